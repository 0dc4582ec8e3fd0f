"""Importing actuals (indicators.imports) without HTTP: what each file becomes row by row, and
what confirming it saves. Files are built as departments send them (import_files.py)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from indicators import imports
from indicators.forms import indicator_rules as form_entry_rules
from indicators.imports import (
    ImportFileError,
    ImportPlan,
    PlannedRow,
    RowKind,
    Upload,
    confirm_import,
    preview_import,
)
from indicators.imports.rows import Lookups
from indicators.models import (
    Actual,
    ActualStatus,
    Department,
    ImportRecord,
    Indicator,
    Series,
    Target,
)
from measures.models import ActionPlan
from tests.conftest import add_actual
from tests.indicators.import_files import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)  # FY2026 (令和8年度) is the newest year that may be entered
HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]


def upload(
    rows: Sequence[Sequence[object]], encoding: str = "utf-8", name: str = "実績.csv"
) -> Upload:
    return Upload(name, csv_file(rows, encoding))


def preview(user: User | None, rows: Sequence[Sequence[object]]) -> ImportPlan:
    return preview_import(upload(rows), user=user, today=TODAY)


def confirm(user: User, rows: Sequence[Sequence[object]]) -> tuple[ImportRecord, ImportPlan]:
    return confirm_import(upload(rows), user=user, today=TODAY)


def only_row(plan: ImportPlan) -> PlannedRow:
    (row,) = plan.rows
    return row


@pytest.fixture
def consultations(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """子育て相談件数 (件, whole numbers) of 子育て支援課: 1,500件 (FY2023) → 2,000件."""
    indicator = Indicator.objects.create(
        code="T102", name="子育て相談件数", unit="件", department=childcare
    )
    series = Series.objects.create(indicator=indicator)
    Target.objects.create(
        series=series,
        plan=entry_plan,
        baseline_value=Decimal(1500),
        baseline_year=2023,
        target_value=Decimal(2000),
        target_year=2029,
        target_kind="increase",
    )
    return indicator


@pytest.fixture
def life_expectancy(childcare: Department, entry_plan: ActionPlan) -> Indicator:
    """健康寿命 (歳, one decimal) with two series, 男性 and 女性."""
    indicator = Indicator.objects.create(
        code="T103", name="健康寿命", unit="歳", decimals=1, department=childcare
    )
    for order, label in enumerate(["男性", "女性"], 1):
        series = Series.objects.create(indicator=indicator, label=label, order=order)
        Target.objects.create(
            series=series,
            plan=entry_plan,
            baseline_value=Decimal("79.0") + order,
            baseline_year=2023,
            target_value=Decimal("81.0") + order,
            target_year=2029,
            target_kind="increase",
        )
    return indicator


# --- accepted files -------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_from_excel_imports_new_values_as_drafts_in_any_accepted_encoding(
    encoding: str, sato: User, consultations: Indicator
) -> None:
    rows = [HEADER, ["Ｔ１０２", "", "令和６年度", "１，８６９件", "㈱みらい①～集計"]]
    record, plan = confirm_import(upload(rows, encoding), user=sato, today=TODAY)

    assert record.applied and plan.counts[RowKind.NEW] == 1
    actual = Actual.objects.get()
    assert (actual.year, actual.value, actual.status) == (2024, Decimal(1869), ActualStatus.DRAFT)
    assert actual.note == "㈱みらい①～集計"  # notes keep their characters: no NFKC
    assert actual.updated_by == sato
    assert record.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}.get(encoding, "cp932")


def test_an_xlsx_imports_like_a_csv_with_numbers_and_percentages_as_excel_shows_them(
    takahashi: User, childcare_indicator: Indicator, consultations: Indicator
) -> None:
    rows: list[Sequence[object]] = [
        HEADER,
        ["T101", None, 2024, 0.955, None],
        ["T102", None, "R6", 1869, "備考"],
    ]
    data = xlsx_file(rows, percent_cells=[(1, 3)])
    record, plan = confirm_import(Upload("実績.xlsx", data), user=takahashi, today=TODAY)

    assert record.applied and record.file_type == "xlsx" and record.encoding == ""
    values = dict(Actual.objects.values_list("series__indicator__code", "value"))
    assert values == {"T101": Decimal("95.5"), "T102": Decimal(1869)}


def test_english_headers_are_read_like_japanese_ones(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [["indicator_code", "series", "year", "value", "note"], ["T101", "", "2024", "95.5", ""]]
    assert preview(sato, rows).counts[RowKind.NEW] == 1


def test_an_indicator_may_be_named_by_its_exact_name_instead_of_its_code(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [["指標名", "年度", "実績値"], ["３歳児健康診査受診率", "R6", "95.5％"]]
    row = only_row(preview(sato, rows))
    assert (row.kind, row.code) == (RowKind.NEW, "T101")

    rows = [["指標名", "年度", "実績値"], ["3歳児健康診査受診率", "R6", "95.5％"]]
    row = only_row(preview(sato, rows))  # a half-width 3 is another name: names are exact
    assert row.messages == ["「指標名」：指標名「3歳児健康診査受診率」の指標がありません。"]


def test_a_name_that_contradicts_the_code_is_an_error_as_when_rows_slipped(
    sato: User, childcare_indicator: Indicator, consultations: Indicator
) -> None:
    rows = [["指標コード", "指標名", "年度", "実績値"], ["T101", "子育て相談件数", "R6", "95.5"]]
    assert only_row(preview(sato, rows)).messages == [
        "「指標名」：「子育て相談件数」は T101 の指標名（３歳児健康診査受診率）と違います。"
        "行がずれていないか確かめてください。"
    ]


@pytest.mark.parametrize(
    "year", ["2024", "R6", "r6", "令和6年度", "令和６年度", "FY2024", "令和6年度（2024）"]
)
def test_years_are_read_in_every_way_they_are_written(
    year: str, sato: User, childcare_indicator: Indicator
) -> None:
    assert only_row(preview(sato, [HEADER, ["T101", "", year, "95.5", ""]])).year == 2024


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("T102", "１，８６９件", "1869"),
        ("T102", "1,869", "1869"),
        ("T101", "30.2％", "30.2"),
        ("T101", "９５．５", "95.5"),
        ("T103", "79.4歳", "79.4"),
    ],
)
def test_values_are_read_with_full_width_digits_separators_and_units(
    code: str,
    value: str,
    expected: str,
    sato: User,
    childcare_indicator: Indicator,
    consultations: Indicator,
    life_expectancy: Indicator,
) -> None:
    series = "男性" if code == "T103" else ""
    row = only_row(preview(sato, [HEADER, [code, series, "R6", value, ""]]))
    assert (row.kind, row.new_value) == (RowKind.NEW, Decimal(expected))


def test_a_value_in_another_unit_than_the_indicators_is_an_error(
    sato: User, consultations: Indicator
) -> None:
    row = only_row(preview(sato, [HEADER, ["T102", "", "R6", "1,869人", ""]]))
    assert row.messages == ["「実績値」：単位「人」がこの指標の単位「件」と違います。"]


def test_a_file_template_rows_left_blank_are_not_imported(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [
        HEADER,
        ["T101", "", "R6", "", ""],
        ["T101", "", "R7", "－", ""],
        ["T101", "", "R5", "95", ""],
    ]
    plan = preview(sato, rows)
    assert [r.kind for r in plan.rows] == [RowKind.BLANK, RowKind.BLANK, RowKind.NEW]


# --- refused rows ---------------------------------------------------------------------------
def test_unknown_indicators_and_series_are_errors_naming_row_and_column(
    sato: User, childcare_indicator: Indicator, life_expectancy: Indicator
) -> None:
    rows = [
        HEADER,
        ["T999", "", "R6", "1", ""],
        ["T101", "全体", "R6", "95.5", ""],
        ["T103", "", "R6", "79.4", ""],
        ["", "", "R6", "79.4", ""],
    ]
    assert preview(sato, rows).messages() == [
        "2行目「指標コード」：指標コード「T999」の指標はありません。",
        "3行目「系列」：T101 の系列「全体」はありません（（系列名なし））。",
        "4行目「系列」：T103 の系列を指定してください（男性、女性）。",
        "5行目「指標コード」：指標コード（または指標名）を入力してください。",
    ]


def test_two_rows_for_the_same_series_and_year_are_both_errors(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", ""], ["T101", "", "2024", "95.6", ""]]
    assert preview(sato, rows).messages() == [
        "2行目「年度」：同じ指標・系列・年度の行が 3行目にもあります（1行にまとめてください）。",
        "3行目「年度」：同じ指標・系列・年度の行が 2行目にもあります（1行にまとめてください）。",
    ]


def test_values_that_break_the_entry_rules_are_errors_as_on_the_entry_form(
    sato: User, childcare_indicator: Indicator, consultations: Indicator
) -> None:
    rows = [
        HEADER,
        ["T101", "", "R6", "約95", ""],
        ["T101", "", "R5", "100.5％", ""],
        ["T102", "", "R6", "-3件", ""],
        ["T101", "", "R7", "95.55", ""],
        ["T102", "", "12月", "3", ""],
    ]
    assert preview(sato, rows).messages() == [
        "2行目「実績値」：「約95」を数値として読めません（例：1,869、30.2％）。",
        "3行目「実績値」：割合（％）は0から100までの値を入力してください。",
        "4行目「実績値」：負の値は入力できません（この指標は0以上の値です）。",
        "5行目「実績値」：小数点以下は1桁までで入力してください。",
        "6行目「年度」：「12月」を年度として読めません（例：2024、R6、令和6年度）。",
    ]


def test_a_year_outside_the_plan_or_still_to_come_is_an_error(
    sato: User, childcare_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "2022", "95.5", ""], ["T101", "", "R9", "95.5", ""]]
    assert preview(sato, rows).messages() == [
        "2行目「年度」：令和4年度は計画の対象期間（令和5年度から）より前です。",
        "3行目「年度」：令和9年度はまだ来ていません。令和8年度までの実績値を入力できます。",
    ]


def test_missing_unknown_and_repeated_columns_refuse_the_file_naming_them(
    sato: User,
) -> None:
    cases = {
        "列がありません：指標コード（indicator_code）または指標名（indicator_name）": [
            ["系列", "年度", "実績値"]
        ],
        "列がありません：実績値（value）": [["指標コード", "年度"]],
        "不明な列があります：「実績」（3列目）": [["指標コード", "年度", "実績"]],
        "列「年度」が2つあります（2列目と3列目）": [["指標コード", "年度", "year", "実績値"]],
    }
    for message, header in cases.items():
        with pytest.raises(ImportFileError, match=message):
            preview(sato, [*header, ["T101", "R6", "1", "1"]])


def test_rows_of_indicators_the_user_may_not_edit_are_refused_naming_the_row(
    sato: User, childcare_indicator: Indicator, school_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", ""], ["T201", "", "R6", "280", ""]]
    plan = preview(sato, rows)
    assert plan.messages() == [
        "3行目「指標コード」：T201（所管課：学校教育課）の実績値を入力する権限がありません。"
    ]


def test_an_approved_value_is_never_overwritten_but_an_unchanged_one_is_fine(
    takahashi: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2024, "95.5", ActualStatus.APPROVED)

    assert only_row(preview(takahashi, [HEADER, ["T101", "", "R6", "95.50", ""]])).kind == (
        RowKind.UNCHANGED
    )
    record, plan = confirm(takahashi, [HEADER, ["T101", "", "R6", "96.0", ""]])
    assert not record.applied
    assert plan.messages() == [
        "2行目「実績値」：承認済みのため変更できません（承認者が「承認を取り消す」と変更できます）。"
    ]
    assert Actual.objects.get().value == Decimal("95.5")


def test_staff_cannot_change_a_submitted_value_but_an_approver_can_and_it_stays_submitted(
    sato: User, takahashi: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2024, "95.5", ActualStatus.SUBMITTED)
    rows = [HEADER, ["T101", "", "R6", "95.8", ""]]

    assert preview(sato, rows).messages() == [
        "2行目「実績値」：提出済のため変更できません（差し戻されると変更できます）。"
    ]
    record, _ = confirm(takahashi, rows)
    assert record.applied
    assert Actual.objects.values_list("value", "status").get() == (
        Decimal("95.8"),
        ActualStatus.SUBMITTED,
    )


def test_a_file_with_one_error_saves_nothing_and_is_recorded_as_refused(
    sato: User, childcare_indicator: Indicator, consultations: Indicator
) -> None:
    add_actual(consultations, 2024, "1800")
    rows = [
        HEADER,
        ["T101", "", "R6", "95.5", ""],
        ["T102", "", "R6", "1900", ""],
        ["T101", "", "R5", "abc", ""],
    ]

    record, plan = confirm(sato, rows)

    assert plan.counts[RowKind.NEW] == 1 and plan.counts[RowKind.CHANGED] == 1
    assert not record.applied and record.rows_errors == 1
    assert "4行目「実績値」" in record.messages
    assert Actual.objects.values_list("value", flat=True).get() == Decimal(1800)


# --- saving ---------------------------------------------------------------------------------
def test_a_changed_value_shows_old_and_new_and_keeps_its_status_and_note(
    sato: User, childcare_indicator: Indicator
) -> None:
    actual = add_actual(childcare_indicator, 2024, "95.5", ActualStatus.RETURNED)
    Actual.objects.filter(pk=actual.pk).update(note="速報値")
    rows = [["指標コード", "年度", "実績値"], ["T101", "R6", "95.7"]]

    row = only_row(preview(sato, rows))
    assert (row.kind, row.old_display, row.new_display) == (RowKind.CHANGED, "95.5％", "95.7％")
    before = Actual.objects.get().updated_at

    confirm(sato, rows)
    actual.refresh_from_db()
    assert (actual.value, actual.note, actual.status) == (
        Decimal("95.7"),
        "速報値",  # the file has no 備考 column: the note stays
        ActualStatus.RETURNED,
    )
    assert actual.updated_by == sato and actual.updated_at > before
    assert actual.review_comment == "確認してください"  # what the import does not write stays


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    sato: User, childcare_indicator: Indicator, consultations: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", "確定値"], ["T102", "", "R6", "1,869件", ""]]
    first, _ = confirm(sato, rows)
    stamps = list(Actual.objects.values_list("updated_at", flat=True))
    history = Actual.history.count()

    second, plan = confirm(sato, rows)

    assert (first.rows_new, second.rows_new, second.rows_unchanged) == (2, 0, 2)
    assert second.applied and plan.previous_import == first
    assert list(Actual.objects.values_list("updated_at", flat=True)) == stamps
    assert Actual.history.count() == history


def test_an_import_is_recorded_with_who_when_file_checksum_format_encoding_and_counts(
    sato: User, childcare_indicator: Indicator
) -> None:
    data = upload([HEADER, ["T101", "", "R6", "95.5", ""], ["T101", "", "R7", "", ""]], "cp932")

    record, _ = confirm_import(data, user=sato, today=TODAY)

    record = ImportRecord.objects.get()
    assert (record.user, record.file_name, record.checksum, record.file_size) == (
        sato,
        "実績.csv",
        data.checksum,
        len(data.data),
    )
    assert (record.format, record.file_type, record.encoding, record.via_command) == (
        "actuals",
        "csv",
        "cp932",
        False,
    )
    assert (record.rows_new, record.rows_changed, record.rows_unchanged, record.rows_blank) == (
        1,
        0,
        0,
        1,
    )
    assert record.applied and record.created_at is not None


def test_history_rows_name_the_importer_and_the_import(
    sato: User, childcare_indicator: Indicator
) -> None:
    add_actual(childcare_indicator, 2023, "95.0")
    record, _ = confirm(
        sato, [HEADER, ["T101", "", "R5", "95.1", ""], ["T101", "", "R6", "95.5", ""]]
    )

    rows = Actual.history.filter(history_user=sato).order_by("year")
    assert [(h.year, h.history_type) for h in rows] == [(2023, "~"), (2024, "+")]
    assert {h.history_change_reason for h in rows} == {f"取込 #{record.pk}（実績.csv）"}


def test_a_large_jump_from_the_previous_year_is_a_warning_that_confirming_accepts(
    sato: User, consultations: Indicator
) -> None:
    # FY2024 from FY2023's baseline (1,500件: +66.7%); FY2025 from FY2024 in the file (+4%).
    rows = [HEADER, ["T102", "", "R7", "2,600件", ""], ["T102", "", "R6", "2,500件", ""]]
    fy2025, fy2024 = preview(sato, rows).rows

    assert (fy2025.kind, fy2025.warnings) == (RowKind.NEW, [])
    assert fy2024.kind == RowKind.NEW
    assert fy2024.warnings == [
        "前年度（令和5年度）の値 1,500件 から大きく変化しています（+66.7%）。"
        "取り込むと、この値は下書きとして保存されます"
        "（提出・承認されるまでダッシュボードには表示されません）。"
    ]


def test_the_import_reads_an_indicators_rules_like_the_entry_form(
    childcare_indicator: Indicator, school_indicator: Indicator, entry_plan: ActionPlan
) -> None:
    sdg_only = Indicator.objects.create(code="T900", name="SDGsの指標", unit="人")
    lookups = Lookups.load(None, TODAY)
    lookups.require(codes=["T101", "T201", "T900"])
    for indicator in [childcare_indicator, school_indicator, sdg_only]:
        assert lookups.by_code[indicator.code].rules == form_entry_rules(indicator, TODAY)


def test_planning_takes_the_same_queries_for_one_row_or_many(
    sato: User,
    childcare_indicator: Indicator,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    few = [HEADER, ["T101", "", "R6", "95.5", ""]]
    many = [HEADER, *(["T101", "", f"{y}", "95.5", ""] for y in range(2023, 2027))]
    for rows in [few, many]:
        sato = type(sato).objects.get(pk=sato.pk)  # a fresh user: permissions not yet cached
        # series, targets, current plan, indicators, the user's permissions (2), editable
        # indicators, stored actuals of the years, an earlier import of the same file
        with django_assert_num_queries(9):
            preview(sato, rows)


def _other_indicators(count: int, department: Department, plan: ActionPlan) -> None:
    """Indicators the file does not name, each with a series, a target and an actual of
    FY2024 (the file's year) and FY2023 (the year before it)."""
    others = Indicator.objects.bulk_create(
        Indicator(code=f"Z{n:03d}", name=f"ほかの指標{n}", unit="人", department=department)
        for n in range(count)
    )
    series = Series.objects.bulk_create(Series(indicator=i) for i in others)
    Target.objects.bulk_create(
        Target(
            series=s,
            plan=plan,
            baseline_value=Decimal(10),
            baseline_year=2023,
            target_value=Decimal(20),
            target_year=2029,
            target_kind="increase",
        )
        for s in series
    )
    Actual.objects.bulk_create(
        Actual(series=s, year=year, value=Decimal(12)) for s in series for year in (2023, 2024)
    )


def _rows_read(queries: CaptureQueriesContext) -> int:
    """The rows the captured SELECTs return, read again (the SQL as it was executed)."""
    with connection.cursor() as cursor:
        total = 0
        for query in queries.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute(query["sql"])
                total += len(cursor.fetchall())
    return total


def test_planning_reads_only_the_indicators_the_file_names_however_many_there_are(
    sato: User,
    childcare: Department,
    childcare_indicator: Indicator,
    consultations: Indicator,
    entry_plan: ActionPlan,
) -> None:
    """By code (T101) and by name (子育て相談件数): the indicators, series, targets and stored
    actuals read are those two indicators' and no others', with 0 or 40 other indicators."""
    add_actual(childcare_indicator, 2023, "95.0")
    by_code = [HEADER, ["T101", "", "R6", "95.5", ""]]
    by_name = [["指標名", "系列", "年度", "実績値"], ["子育て相談件数", "", "R6", "1,600件"]]
    reads = []
    for others in [0, 40]:
        _other_indicators(others, childcare, entry_plan)
        for file in [by_code, by_name]:
            sato = type(sato).objects.get(pk=sato.pk)  # a fresh user: permissions not yet cached
            with CaptureQueriesContext(connection) as queries:
                plan = preview(sato, file)
            assert [row.kind for row in plan.rows] == [RowKind.NEW]
            reads.append((len(queries), _rows_read(queries)))
    assert reads[:2] == reads[2:]


def test_the_lookups_hold_the_indicators_the_rows_name_and_no_others(
    childcare_indicator: Indicator, consultations: Indicator, school_indicator: Indicator
) -> None:
    lookups = Lookups.load(None, TODAY)
    lookups.require(codes=["T101", "X999"], names=["子育て相談件数", "ない指標"])

    assert set(lookups.by_code) == {"T101", "T102"}
    assert set(lookups.by_name) == {"子育て相談件数", "ない指標"}
    assert lookups.by_name["ない指標"] == []
    assert lookups.baselines == {
        (childcare_indicator.series.get().pk, 2023): Decimal("95.2"),
        (consultations.series.get().pk, 2023): Decimal(1500),
    }


def test_rows_resolved_a_few_at_a_time_give_the_plan_of_one_lookup(
    sato: User,
    childcare_indicator: Indicator,
    consultations: Indicator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Codes and names repeated across chunks, unknown ones too: the same rows, kinds and
    messages (row and column named) as when the whole file is looked up at once."""
    rows = [
        ["指標コード", "指標名", "系列", "年度", "実績値"],
        ["T101", "", "", "R5", "95.5"],
        ["x1", "", "", "R5", "1"],
        ["", "子育て相談件数", "", "R5", "1,600件"],
        ["T101", "", "", "R6", "95.6"],
        ["X1", "", "", "R6", "1"],
        ["", "子育て相談件数", "", "R6", "1,650件"],
        ["", "ない指標", "", "R6", "1"],
    ]

    def outcome() -> list[tuple[str, str, list[str]]]:
        plan = preview(sato, rows)
        return [(row.kind, row.code, row.located_messages) for row in plan.rows]

    whole = outcome()
    monkeypatch.setattr(imports.rows, "CHUNK", 2)
    assert outcome() == whole
    assert [messages for _, _, messages in whole if messages] == [
        ["3行目「指標コード」：指標コード「X1」の指標はありません。"],
        ["6行目「指標コード」：指標コード「X1」の指標はありません。"],
        ["8行目「指標名」：指標名「ない指標」の指標がありません。"],
    ]


def test_an_actual_saved_elsewhere_between_check_and_write_refuses_the_import(
    sato: User, childcare_indicator: Indicator, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = imports.check

    def check_then_someone_saves(*args: object, **kwargs: object) -> None:
        checked(*args, **kwargs)  # type: ignore[arg-type]
        add_actual(childcare_indicator, 2024, "90.0")  # typed on the entry form meanwhile

    monkeypatch.setattr(imports, "check", check_then_someone_saves)
    record, plan = confirm(sato, [HEADER, ["T101", "", "R6", "95.5", ""]])

    assert not record.applied and plan.has_errors
    assert "同じ実績値が別の画面から入力されました" in record.messages
    assert not Actual.objects.filter(value=Decimal("95.5")).exists()


def test_a_falling_running_total_is_refused_naming_the_row(
    sato: User, new_farmers: Indicator
) -> None:
    rows = [HEADER, ["T062", "", "R6", "20", ""], ["T062", "", "R7", "19", ""]]
    assert preview(sato, rows).messages() == [
        "3行目「実績値」：累計の指標です。前年度（令和6年度）の累計 20名 を下回る値は入力できま"
        "せん。その年度の増分ではなく、累計値を入力してください。",
    ]
