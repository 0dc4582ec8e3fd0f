"""The dashboards' formatting filters and tags (dashboards/templatetags/kpi.py), once each."""

from decimal import Decimal

from django.template import Context, Template

from dashboards.templatetags import kpi
from indicators.models import Indicator
from tests.dashboards.builders import crime_view, no_target_view

D = Decimal


def test_numbers_print_as_the_plan_prints_them() -> None:
    people = Indicator(unit="人", decimals=0)
    share = Indicator(unit="％", decimals=1)
    assert kpi.kpi_number(D("25702.0000"), people) == "25,702人"
    assert kpi.kpi_number(D("30.25"), share) == "30.3％"
    assert kpi.kpi_number(None, people) == "－"


def test_years_print_in_wareki_with_the_gregorian_year() -> None:
    assert kpi.wareki(2024) == "令和6年度（2024）"
    assert kpi.wareki(2024, "calendar") == "令和6年（2024）"
    assert kpi.wareki(2019) == "令和元年度（2019）"
    assert kpi.wareki_short(2024) == "令和6年度"
    assert kpi.wareki(None) == ""


def test_a_rate_has_one_decimal_and_none_is_a_dash() -> None:
    assert kpi.rate(D("36")) == "36.0%"
    assert kpi.rate(D("-8.3")) == "-8.3%"
    assert kpi.rate(None) == "－"


def test_status_labels_are_japanese() -> None:
    assert [
        kpi.status_label(s) for s in ("achieved", "on_track", "behind", "worse", "no_data")
    ] == [
        "達成",
        "順調",
        "遅れ",
        "悪化",
        "未入力",
    ]


def test_the_status_badge_names_the_status_and_marks_a_provisional_latest_value() -> None:
    approved = crime_view({2024: "1752", 2025: "1700"})
    provisional = crime_view({2024: "1752", 2025: "1700"}, provisional=frozenset({2025}))
    assert kpi.status_badge(approved) == '<span class="badge status-on_track">順調</span>'
    assert (
        kpi.status_badge(provisional) == '<span class="badge status-on_track">順調（暫定）</span>'
    )
    assert kpi.status_badge(no_target_view()) == '<span class="badge status-none">目標なし</span>'


def test_the_progress_bar_is_clamped_to_0_100_but_the_figure_is_not() -> None:
    over = kpi.progress_bar(D("120.5"))
    assert 'value="100.0"' in over and "120.5%" in over
    under = kpi.progress_bar(D("-8.3"))
    assert 'value="0.0"' in under and "-8.3%" in under
    assert "style=" not in over  # a strict CSP forbids inline styles
    assert kpi.progress_bar(None) == '<span class="muted">－</span>'


def test_links_keep_the_as_of_year_and_the_provisional_choice() -> None:
    assert kpi.view_query(2025, False) == "?year=2025"
    assert kpi.view_query(2025, True) == "?year=2025&provisional=1"
    assert kpi.view_query(None, False) == ""
    assert kpi.view_query(2031, False, "2030-2034") == "?year=2031&plan=2030-2034"
    rendered = Template("{% load kpi %}{% keep_view %}").render(
        Context({"as_of": 2026, "provisional": True})
    )
    assert rendered == "?year=2026&amp;provisional=1"


def test_the_headline_chart_is_a_compact_svg_whose_text_is_escaped() -> None:
    view = crime_view({2024: "1752"})
    view.indicator.name = "<b>刑法犯</b>"
    svg = kpi.headline_chart(view)
    assert svg.startswith("<svg") and 'width="380"' in svg
    assert "<b>" not in svg and "&lt;b&gt;刑法犯" in svg


def test_matrix_cells_are_one_escaped_cell_per_project() -> None:
    from dashboards.templatetags.kpi import matrix_cells

    assert matrix_cells(["◎", "", "○", "<b>"]) == (
        "<td>◎</td><td></td><td>○</td><td>&lt;b&gt;</td>"
    )
