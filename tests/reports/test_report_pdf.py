"""The annual report's PDF, read back with pdftotext: built once (it takes seconds) for the
small world with measure 1-1's sheet finalised through the committee and the others open."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from reports.pdf import RefusingFetcher, html_pdf
from tests.evaluations.builders import World
from tests.reports.conftest import COMMITTEE_COMMENT, finalise_through_committee

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils"),
]


def _text(pdf: Path) -> str:
    """The PDF's text without any white space (pdftotext lays out spaces as it measures)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "\f".join(re.sub(r"\s+", "", page) for page in text.split("\f"))


def test_the_report_pdf_holds_every_project_rank_and_figure_of_the_year(
    world_2025: World,
    people: dict[str, User],
    watanabe: User,
    client: Client,
    tmp_path: Path,
) -> None:
    finalise_through_committee(world_2025.childcare_measure.evaluation_sheets.get(), people)
    client.force_login(watanabe)

    response = client.get("/report/2025.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = _text(pdf)
    # cover, contents, summary
    assert "令和7年度効果検証報告書" in text and "伊勢崎市" in text and "テスト計画" in text
    assert "目次" in text and "総括" in text
    assert "重点プロジェクト1子育て応援プロジェクト" in text
    # the project is not finalised: its rank is the suggestion, marked (1 達成, 1 悪化: B)
    assert "B（概ね順調）未確定" in text
    # the finalised measure: the rank given, the department's text and the committee's comment
    assert "重点施策1-1子どもを産み育てる環境づくりの推進" in text
    assert "A（順調）" in text and COMMITTEE_COMMENT in text
    assert "受診率は95.8％に上がった。" in text
    # each indicator's figures: baseline, the year's actual, target, rate, status
    for figure in ("95.2％", "96.5％", "100.0%", "達成", "300人", "310人", "250人", "悪化"):
        assert figure in text, figure
    assert "T101３歳児健康診査受診率" in text and "T201不登校児童生徒数" in text
    # page numbers and the date on every page but the cover; the Japanese fonts embedded
    pages = text.split("\f")[:-1]
    assert len(pages) >= 5
    for number, page in enumerate(pages[1:], start=2):
        assert f"{number}/{len(pages)}" in page and "年" in page and "日" in page
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    noto = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert noto and all(" yes yes yes " in line for line in noto)
    # the summary page as an image (looked at when this test was written: the table of the
    # projects' ranks and counts, the ◎/○ table, the footer)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "3", "-l", "3", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    image = next(tmp_path.glob("page*.png"))
    shutil.copy(image, Path(tempfile.gettempdir()) / "kpi-report-summary.png")
    assert image.stat().st_size > 10_000


def test_the_report_fetches_nothing_from_outside() -> None:
    fetcher = RefusingFetcher()
    html = '<img src="http://example.com/x.png"><link rel="stylesheet" href="file:///etc/passwd">'
    html_pdf(html, fetcher)

    assert sorted(fetcher.refused) == ["file:///etc/passwd", "http://example.com/x.png"]
