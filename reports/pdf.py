"""The annual report as PDF: the report's HTML (``reports/report.html``) laid out by WeasyPrint.

WeasyPrint rather than the headless Chromium of the browser tests: it is a library (no browser
process to start and keep per request), implements CSS paged media (``@page`` margin boxes with
page counters, ``target-counter`` for the table of contents, ``break-inside``), embeds the subset
of the Japanese fonts it uses (Noto Sans CJK from the system, found through fontconfig), and its
maintained releases are on PyPI. Nothing is fetched: the CSS and the charts (SVG) are inline,
and the URL fetcher refuses every URL, so a stray link cannot reach the network or the disk."""

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from reports.reads import Report
from reports.views_context import report_context


class RefusingFetcher(URLFetcher):
    """Refuses every resource but inline ``data:`` URLs; remembers what it refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"外部の資源は読み込みません: {url}")
        return super().fetch(url, headers)


def report_html(report: Report) -> str:
    return render_to_string("reports/report.html", report_context(report))


def html_pdf(html: str, fetcher: RefusingFetcher | None = None) -> bytes:
    document = HTML(string=html, url_fetcher=fetcher or RefusingFetcher(), base_url="about:blank")
    content: bytes = document.write_pdf()
    return content


def report_pdf(report: Report) -> bytes:
    return html_pdf(report_html(report))
