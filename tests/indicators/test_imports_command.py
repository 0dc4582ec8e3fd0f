"""``manage.py import_actuals``: the admin's import from the command line, printing the preview
as a summary and failing (exit status 1) when any row is in error."""

import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from indicators.models import Actual, ActualStatus, ImportRecord, Indicator
from tests.indicators.import_files import accepted_files, bad_files, csv_file, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = ["指標コード", "系列", "年度", "実績値", "備考"]


def write(tmp_path: Path, data: bytes, name: str = "実績.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_actuals", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_dry_run_prints_the_preview_and_saves_nothing(
    tmp_path: Path, childcare_indicator: Indicator
) -> None:
    path = write(
        tmp_path, csv_file([HEADER, ["T101", "", "令和６年度", "９５．５％", ""]], "cp932")
    )

    out = run(path, "--dry-run")

    assert "実績.csv（CSV、Shift_JIS（CP932）、実績値）" in out
    assert "新規 1、変更 0、変更なし 0" in out
    assert "2行目 新規  T101 ３歳児健康診査受診率 令和6年度（2024） － → 95.5％" in out
    assert "ドライラン：何も保存していません。" in out
    assert not Actual.objects.exists() and not ImportRecord.objects.exists()


def test_an_import_saves_as_the_named_user_and_is_recorded(
    tmp_path: Path, sato: User, childcare_indicator: Indicator
) -> None:
    path = write(tmp_path, xlsx_file([HEADER, ["T101", None, 2024, 95.5, "速報"]]), "実績.xlsx")

    out = run(path, "--user", "sato")

    actual = Actual.objects.get()
    assert (actual.value, actual.status, actual.updated_by) == (
        Decimal("95.5"),
        ActualStatus.DRAFT,
        sato,
    )
    record = ImportRecord.objects.get()
    assert record.via_command and record.user == sato and record.file_type == "xlsx"
    assert f"取り込みました（取込記録 #{record.pk}）" in out


def test_any_error_row_fails_the_command_and_saves_nothing(
    tmp_path: Path, sato: User, childcare_indicator: Indicator, school_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", ""], ["T201", "", "R6", "280", ""]]
    path = write(tmp_path, csv_file(rows))

    with pytest.raises(CommandError, match="エラー 1件：何も保存していません"):
        run(path, "--user", "sato")

    assert not Actual.objects.exists()
    assert ImportRecord.objects.get().applied is False


def test_the_command_exits_with_status_1_on_a_bad_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x00\x01binary")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_actuals", path, "--dry-run"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert "CSV ではないファイル" in result.stderr


def test_saving_needs_a_user_and_an_unknown_user_is_refused(
    tmp_path: Path, childcare_indicator: Indicator
) -> None:
    path = write(tmp_path, csv_file([HEADER, ["T101", "", "R6", "95.5", ""]]))
    with pytest.raises(CommandError, match="--user で取り込む人を指定してください"):
        run(path)
    with pytest.raises(CommandError, match="ユーザー「nobody」はいません"):
        run(path, "--user", "nobody")


def test_encoding_and_format_can_be_named(
    tmp_path: Path, takahashi: User, childcare_indicator: Indicator
) -> None:
    data = csv_file([HEADER, ["T101", "", "R6", "95.5", "備考"]], "cp932")
    path = write(tmp_path, data)
    assert "Shift_JIS（CP932）" in run(path, "--dry-run", "--encoding", "shift_jis")
    with pytest.raises(CommandError, match="UTF-8（BOM付き） として読めない文字"):
        run(path, "--dry-run", "--encoding", "utf-8")
    with pytest.raises(CommandError, match="列がありません：施策番号"):
        run(path, "--dry-run", "--format", "survey")


def test_error_rows_are_printed_naming_row_and_column(
    tmp_path: Path, childcare_indicator: Indicator
) -> None:
    rows = [HEADER, ["T101", "", "R6", "95.5", ""], ["T101", "", "R7", "abc", ""]]
    out = StringIO()
    with pytest.raises(CommandError, match="エラー 1件"):
        call_command("import_actuals", write(tmp_path, csv_file(rows)), "--dry-run", stdout=out)
    assert "3行目 エラー" in out.getvalue()
    assert "「実績値」：「abc」を数値として読めません" in out.getvalue()


def test_a_missing_file_or_one_over_the_size_limit_is_refused(
    tmp_path: Path, settings: Settings
) -> None:
    with pytest.raises(CommandError, match="読めません"):
        run(str(tmp_path / "none.csv"), "--dry-run")
    settings.KPI_IMPORT_MAX_BYTES = 5
    path = write(tmp_path, csv_file([HEADER]))
    with pytest.raises(CommandError, match="ファイルが大きすぎます"):
        run(path, "--dry-run")


@pytest.mark.parametrize("kind", list(accepted_files()))
def test_every_accepted_file_is_imported_by_the_command(
    kind: str, tmp_path: Path, sato: User, childcare_indicator: Indicator
) -> None:
    name, data = accepted_files()[kind]
    assert "新規 1、" in run(write(tmp_path, data, name), "--user", "sato")
    actual = Actual.objects.get()
    assert (actual.year, actual.value, actual.note) == (2024, Decimal("95.5"), "㈱みらい①～")


@pytest.mark.parametrize("kind", list(bad_files()))
def test_every_bad_file_fails_the_command_naming_what_is_wrong(
    kind: str,
    tmp_path: Path,
    takahashi: User,
    childcare_indicator: Indicator,
    school_indicator: Indicator,
) -> None:
    name, data, message = bad_files()[kind]
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_actuals", write(tmp_path, data, name), "--user", "takahashi", stdout=out
        )
    assert message in str(failed.value) + out.getvalue()
    assert not Actual.objects.exists()
