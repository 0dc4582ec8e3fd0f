"""Commands with a database that does not answer: one Japanese line and exit status 1, never a
traceback (run as the operator would, in a subprocess pointed at a closed port)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import unused_port

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://kpi:kpi@127.0.0.1:{unused_port()}/isesaki_kpi",
        "LOG_LEVEL": "WARNING",  # the startup log lines are not the command's output
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def actuals_file(tmp_path: Path) -> Path:
    path = tmp_path / "実績.csv"
    path.write_text("指標コード,年度,実績値\r\nK001,2024,1\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["import_actuals", "{file}", "--dry-run"],
        ["import_actuals", "{file}", "--user", "kanri"],
        ["export_indicators", "--output", "-"],
        ["create_demo_users"],
        ["migrate"],
    ],
)
def test_a_command_says_in_one_line_that_the_database_does_not_answer(
    command: list[str], actuals_file: Path
) -> None:
    result = _manage(*(part.format(file=actuals_file) for part in command))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("データベースに接続できません（127.0.0.1:")
    assert "DATABASE_URL" in lines[0] and "kpi:kpi@" not in lines[0]  # no password
