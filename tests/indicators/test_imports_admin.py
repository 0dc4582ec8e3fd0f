"""Importing through the admin: upload → preview of every row → confirm, the entry templates,
and the read-only import records. Bad files answer with a message, never a 500."""

import io
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from indicators.imports.templates import template_rows
from indicators.imports.uploads import upload_folder
from indicators.models import Actual, ActualStatus, Department, ImportRecord, Indicator
from measures.models import ActionPlan
from tests.conftest import add_actual
from tests.indicators.admin_forms import form_data
from tests.indicators.import_files import accepted_files, bad_files, csv_file, xlsx_file

if TYPE_CHECKING:  # what the test client returns (django-stubs names it privately)
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:indicators_actual_import")
CONFIRM = reverse("admin:indicators_actual_import_confirm")
TEMPLATE = reverse("admin:indicators_actual_import_template")
HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]
TODAY = date(2026, 11, 29)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_file(client: Client, data: bytes, name: str = "実績.csv", **fields: str) -> "Response":
    payload = {"encoding": "auto", "format": "auto", **fields}
    return client.post(IMPORT, {"import_file": SimpleUploadedFile(name, data), **payload})


def confirm_preview(client: Client, preview_html: str) -> "Response":
    return client.post(CONFIRM, form_data(preview_html, "import-confirm"))


def test_staff_open_the_import_page_from_the_actual_list(sato: User) -> None:
    client = logged_in(sato)
    assert IMPORT in client.get(reverse("admin:indicators_actual_changelist")).text

    page = client.get(IMPORT)
    assert page.status_code == 200
    assert "自動判定" in page.text and "Shift_JIS（CP932）" in page.text and TEMPLATE in page.text


def test_people_who_do_not_enter_actuals_cannot_import(
    watanabe: User, django_user_model: type[User]
) -> None:
    assert logged_in(watanabe).get(IMPORT).status_code == 302  # no admin access: to the login
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)  # staff, no role
    client = logged_in(clerk)
    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(CONFIRM, {}).status_code == 403


def test_a_cp932_csv_is_previewed_row_by_row_with_its_encoding_before_anything_is_saved(
    sato: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2023, "95.0")
    rows = [
        HEADER,
        ["T101", "", "令和５年度", "95.3％", "修正"],
        ["T101", "", "R6", "９５．５", ""],
    ]

    page = post_file(logged_in(sato), csv_file(rows, "cp932"))

    assert page.status_code == 200
    html = page.text
    assert "Shift_JIS（CP932）" in html and "実績値" in html
    assert "新規 <strong>1</strong>" in html and "変更 <strong>1</strong>" in html
    assert "95.0％" in html and "95.3％" in html and "95.5％" in html
    assert 'id="import-confirm"' in html
    assert list(Actual.objects.values_list("value", flat=True)) == [Decimal("95.0")]


def test_confirming_the_preview_saves_the_file_and_records_the_import(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    preview = post_file(client, csv_file([HEADER, ["T101", "", "R6", "95.5", "①"]], "utf-8-sig"))

    done = confirm_preview(client, preview.text)

    assert done.status_code == 302 and done["Location"] == reverse(
        "admin:indicators_actual_changelist"
    )
    actual = Actual.objects.get()
    assert (actual.value, actual.note, actual.status) == (Decimal("95.5"), "①", ActualStatus.DRAFT)
    record = ImportRecord.objects.get()
    assert (record.user, record.applied, record.encoding, record.rows_new) == (
        sato,
        True,
        "utf-8-sig",
        1,
    )
    messages = client.get(done["Location"]).text
    assert f"取込記録 #{record.pk}" in messages


def test_an_xlsx_upload_is_previewed_and_imported(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    data = xlsx_file([HEADER, ["T101", None, 2024, 95.5, None]])
    preview = post_file(client, data, "実績.xlsx")
    assert "－（Excel）" in preview.text
    confirm_preview(client, preview.text)
    assert Actual.objects.get().value == Decimal("95.5")


def test_a_file_with_an_error_row_shows_every_row_and_offers_no_confirmation(
    sato: User, childcare_indicator: Indicator, school_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", ""], ["T201", "", "R6", "280", ""]]

    page = post_file(logged_in(sato), csv_file(rows))

    assert page.status_code == 200
    assert "エラーがあるため取り込めません" in page.text
    assert (
        "3行目「指標コード」：T201（所管課：学校教育課）の実績値を入力する権限がありません。"
        in page.text
    )
    assert 'id="import-confirm"' not in page.text
    assert page.text.count('<tr class="new">') == 1 and page.text.count('<tr class="error">') == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("写真.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "CSV ではないファイル"),
        ("実績.csv", b" \r\n", "ファイルが空です"),
        ("実績.csv", "年度,実績値\r\n".encode("cp932") + "令和6年度,1\r\n".encode(), "混在"),
        ("実績.csv", "指標コード,実績値\r\nT101,1\r\n".encode(), "列がありません：年度"),
        (
            "実績.csv",
            "指標コード,年度,数値\r\nT101,R6,1\r\n".encode(),
            "不明な列があります：「数値」",
        ),
        ("実績.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls 形式には対応していません"),
        ("実績.xlsx", b"not a zip", "Excel（.xlsx）のファイルとして読めません"),
    ],
)
def test_an_unreadable_file_answers_with_a_message_next_to_the_field_not_an_error_page(
    name: str, data: bytes, message: str, sato: User, childcare_indicator: Indicator
) -> None:
    page = post_file(logged_in(sato), data, name)
    assert page.status_code == 200
    assert message in page.text
    assert 'id="import-confirm"' not in page.text and not ImportRecord.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_form(
    sato: User, childcare_indicator: Indicator, settings: Settings
) -> None:
    settings.KPI_IMPORT_MAX_BYTES = 20
    page = post_file(logged_in(sato), csv_file([HEADER, ["T101", "", "R6", "95.5", ""]]))
    assert page.status_code == 200 and "ファイルが大きすぎます" in page.text


def test_the_encoding_and_the_format_can_be_chosen_in_the_form(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    data = csv_file([HEADER, ["T101", "", "R6", "95.5", "備考"]], "cp932")
    assert "Shift_JIS（CP932）" in post_file(client, data, encoding="cp932").text
    assert "UTF-8（BOM付き） として読めない文字" in post_file(client, data, encoding="utf-8").text
    assert "列がありません：施策番号" in post_file(client, data, format="survey").text


def test_a_confirmation_without_its_preview_or_for_another_file_is_refused(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    preview = post_file(client, csv_file([HEADER, ["T101", "", "R6", "95.5", ""]]))
    fields = form_data(preview.text, "import-confirm")

    forged = client.post(CONFIRM, {**fields, "checksum": "0" * 64})
    assert forged.status_code == 302 and forged["Location"] == IMPORT
    again = client.post(CONFIRM, fields)  # the token was used up by the first attempt
    assert again.status_code == 302 and again["Location"] == IMPORT
    assert "プレビューが見つかりません" in client.get(IMPORT).text
    assert not Actual.objects.exists()


def test_a_value_approved_between_preview_and_confirmation_is_not_overwritten(
    sato: User, childcare_indicator: Indicator
) -> None:
    actual = add_actual(childcare_indicator, 2024, "95.0")
    client = logged_in(sato)
    preview = post_file(client, csv_file([HEADER, ["T101", "", "R6", "95.5", ""]]))
    Actual.objects.filter(pk=actual.pk).update(status=ActualStatus.APPROVED)

    page = confirm_preview(client, preview.text)

    assert page.status_code == 200 and "何も取り込みませんでした" in page.text
    assert "承認済みのため変更できません" in page.text
    assert Actual.objects.get().value == Decimal("95.0")
    assert ImportRecord.objects.get().applied is False


@pytest.mark.parametrize("kind", list(accepted_files()))
def test_every_accepted_file_is_previewed_and_imported_through_the_admin(
    kind: str, sato: User, childcare_indicator: Indicator
) -> None:
    name, data = accepted_files()[kind]
    client = logged_in(sato)
    preview = post_file(client, data, name)
    assert "新規 <strong>1</strong>" in preview.text

    confirm_preview(client, preview.text)

    actual = Actual.objects.get()
    assert (actual.year, actual.value, actual.note) == (2024, Decimal("95.5"), "㈱みらい①～")


@pytest.mark.parametrize("kind", list(bad_files()))
def test_every_bad_file_is_refused_through_the_admin_naming_what_is_wrong(
    kind: str,
    takahashi: User,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    name, data, message = bad_files()[kind]
    page = post_file(logged_in(takahashi), data, name)
    assert page.status_code == 200
    assert message in page.text
    assert 'id="import-confirm"' not in page.text


# --- templates ------------------------------------------------------------------------------
def test_staff_download_a_template_of_their_own_indicators_and_years(
    sato: User, childcare_indicator: Indicator, school_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2024, "95.5")
    response = logged_in(sato).get(TEMPLATE, {"file_type": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff指標コード,指標名,系列,単位,年度,実績値,備考\r\n")
    assert "T101,３歳児健康診査受診率,,％,2024,95.5,\r\n" in text
    assert "T101,３歳児健康診査受診率,,％,2023" not in text  # the baseline year
    assert "T201" not in text


def test_a_template_as_xlsx_lists_the_same_rows(
    takahashi: User, childcare_indicator: Indicator, school_indicator: Indicator
) -> None:
    response = logged_in(takahashi).get(TEMPLATE, {"file_type": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指標コード", "指標名", "系列", "単位", "年度", "実績値", "備考")
    assert {r[0] for r in rows[1:]} == {"T101", "T201"}


def test_a_template_of_one_department_and_not_of_someone_elses(
    sato: User,
    takahashi: User,
    school: Department,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    response = logged_in(takahashi).get(
        TEMPLATE, {"department": str(school.pk), "file_type": "csv"}
    )
    assert "T201" in response.content.decode() and "T101" not in response.content.decode()

    assert logged_in(sato).get(TEMPLATE, {"department": school.pk}).status_code == 404


def test_a_filled_in_template_imports_back_and_an_unfilled_one_changes_nothing(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    template = client.get(TEMPLATE, {"file_type": "csv"}).content
    preview = post_file(client, template)
    assert "新規 <strong>0</strong>" in preview.text and 'id="import-confirm"' not in preview.text
    assert "取り込む行がありません" in preview.text

    filled = template.decode("utf-8").replace(",2024,,", ",2024,95.5,")
    preview = post_file(client, filled.encode("utf-8"))
    assert "新規 <strong>1</strong>" in preview.text


def test_template_cells_that_look_like_formulas_are_neutralised(
    takahashi: User, childcare_indicator: Indicator
) -> None:
    Indicator.objects.filter(pk=childcare_indicator.pk).update(name='=HYPERLINK("http://x")')
    csv_text = logged_in(takahashi).get(TEMPLATE, {"file_type": "csv"}).content.decode()
    assert ',"\'=HYPERLINK(""http://x"")",' in csv_text

    xlsx = logged_in(takahashi).get(TEMPLATE, {"file_type": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert isinstance(sheet, Worksheet)
    cell = sheet["B2"]
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("http://x")', "s")


# --- import records -------------------------------------------------------------------------
def test_import_records_are_read_only_approvers_see_all_and_staff_their_own(
    sato: User,
    suzuki: User,
    takahashi: User,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    for user, code in [(sato, "T101"), (suzuki, "T201")]:
        client = logged_in(user)
        confirm_preview(
            client, post_file(client, csv_file([HEADER, [code, "", "R6", "1", ""]])).text
        )
    mine, theirs = ImportRecord.objects.get(user=sato), ImportRecord.objects.get(user=suzuki)
    changelist = reverse("admin:indicators_importrecord_changelist")

    approver = logged_in(takahashi)
    assert approver.get(changelist).text.count("実績.csv") == 2
    assert changelist in approver.get(reverse("admin:index")).text
    staff = logged_in(sato)
    assert staff.get(changelist).text.count("実績.csv") == 1
    assert changelist in staff.get(IMPORT).text  # staff reach theirs from the import page
    assert (
        staff.get(reverse("admin:indicators_importrecord_change", args=[mine.pk])).status_code
        == 200
    )
    other = reverse("admin:indicators_importrecord_change", args=[theirs.pk])
    assert staff.get(other).status_code == 404
    assert staff.get(reverse("admin:indicators_importrecord_add")).status_code == 403
    delete = reverse("admin:indicators_importrecord_delete", args=[mine.pk])
    assert logged_in(takahashi).post(delete, {"post": "yes"}).status_code == 403
    assert ImportRecord.objects.count() == 2


def test_a_template_takes_the_same_queries_for_one_indicator_or_the_whole_plan(
    plan: ActionPlan,
    takahashi: User,
    childcare: Department,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    Indicator.objects.filter(code="K001").update(department=childcare)
    for department in [childcare, None]:
        approver = type(takahashi).objects.get(pk=takahashi.pk)  # permissions not yet cached
        # the user's permissions (2), series with their indicators, targets, the current
        # plan, stored actuals
        with django_assert_num_queries(6):
            rows = template_rows(approver, department=department, today=TODAY)
        assert len(rows) > (100 if department is None else 0)


def test_a_new_preview_removes_the_file_of_an_unconfirmed_one(
    sato: User, childcare_indicator: Indicator
) -> None:
    client = logged_in(sato)
    rows = [HEADER, ["T101", "", "R6", "95.5", ""]]
    first = form_data(post_file(client, csv_file(rows)).text, "import-confirm")
    second = form_data(post_file(client, csv_file(rows, "cp932")).text, "import-confirm")
    waiting = upload_folder()

    assert not (waiting / first["token"]).exists()
    assert (waiting / second["token"]).exists()
    client.post(CONFIRM, second)
    assert not (waiting / second["token"]).exists()


# --- what the preview says ---------------------------------------------------------------------
def test_the_preview_counts_the_rows_that_show_a_warning_and_says_a_new_value_is_a_draft(
    sato: User, childcare_indicator: Indicator
) -> None:
    """95.2％ (FY2023 baseline) → 10.0％ in FY2024 is a large change: imported with a warning."""
    preview = post_file(
        logged_in(sato), csv_file([HEADER, ["T101", "", "R6", "10.0", "調査方法の変更"]])
    )
    assert "警告 <strong>1</strong>" in preview.text
    assert "取り込むと、この値は下書きとして保存されます" in preview.text
    assert "この値で確定します" not in preview.text
    assert 'id="import-confirm"' in preview.text


def test_a_changed_value_keeps_its_status_and_the_preview_says_so(
    takahashi: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2024, "95.5", ActualStatus.SUBMITTED)
    preview = post_file(
        logged_in(takahashi), csv_file([HEADER, ["T101", "", "R6", "10.0", "訂正"]])
    )
    assert "取り込むと、この値に変更されます（状態は「提出済」のままです）。" in preview.text


def test_the_preview_says_year_for_calendar_year_indicators(
    sato: User, childcare_indicator: Indicator
) -> None:
    Indicator.objects.filter(pk=childcare_indicator.pk).update(period_kind="calendar")
    preview = post_file(logged_in(sato), csv_file([HEADER, ["T101", "", "2024", "95.5", ""]]))
    table = preview.text.split('<table class="import-preview">')[1].split("</table>")[0]
    assert '<th scope="col">年</th>' in table
    assert "令和6年（2024）" in table and "令和6年度" not in table
