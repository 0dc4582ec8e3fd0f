"""The SVG line chart's geometry, from values alone (kpi.charts)."""

import re
from dataclasses import replace
from decimal import Decimal

from kpi.charts import ChartData, OtherGoal, line_chart, y_axis

D = Decimal

# 刑法犯認知件数: 1,869 (2023) → 1,400 (2029), actuals 1,752 and 1,700.
CRIME = ChartData(
    title="刑法犯認知件数",
    decimals=0,
    unit="件",
    baseline=(2023, D("1869")),
    target=(2029, D("1400")),
    actuals=[(2024, D("1752"), False), (2025, D("1700"), True)],
    forecast=(2029, D("1500")),
    start_value=D("1869"),
)


def _circles(svg: str) -> list[tuple[str, float, float]]:
    found = re.findall(r'<circle class="([^"]+)" cx="([0-9.]+)" cy="([0-9.]+)"', svg)
    return [(css, float(x), float(y)) for css, x, y in found]


def test_a_chart_with_nothing_to_draw_is_empty() -> None:
    assert line_chart(ChartData(title="空", decimals=0, unit="件")) == ""


def test_years_run_left_to_right_and_smaller_values_lie_lower() -> None:
    svg = line_chart(CRIME, width=640, height=260)
    baseline, first, second = _circles(svg)
    assert baseline[0] == "baseline-point"
    assert baseline[1] < first[1] < second[1]  # 2023, 2024, 2025 from left to right
    # SVG's y grows downwards: 1,869 is drawn above 1,752, which is above 1,700.
    assert baseline[2] < first[2] < second[2]


def test_every_point_lies_inside_the_drawing_area() -> None:
    svg = line_chart(CRIME, width=640, height=260)
    for _, x, y in _circles(svg):
        assert 0 <= x <= 640 and 0 <= y <= 260


def test_a_provisional_actual_is_marked_and_titled_so() -> None:
    svg = line_chart(CRIME)
    assert 'class="actual-point provisional"' in svg
    assert "<title>実績値（暫定） 1,700件</title>" in svg
    assert "<title>実績値 1,752件</title>" in svg


def test_the_target_is_a_diamond_and_the_straight_line_runs_from_the_start_to_it() -> None:
    svg = line_chart(CRIME)
    assert '<polygon class="target-point"' in svg and "目標値 1,400件" in svg
    assert "<title>目標への直線</title>" in svg
    assert 'class="forecast-line"' in svg and "予測 1,500件" in svg


def test_a_hold_goal_draws_a_level_line_instead_of_a_line_toward_the_target() -> None:
    # 休日夜間急患センターの開設日数 365日 (維持).
    keep = ChartData(
        title="開設日数",
        decimals=0,
        unit="日",
        baseline=(2023, D("365")),
        target=(2029, D("365")),
        actuals=[(2024, D("365"), False)],
        start_value=D("365"),
        hold=True,
    )
    svg = line_chart(keep)
    level = re.search(
        r'<line class="plan-line" x1="[0-9.]+" y1="([0-9.]+)" x2="[0-9.]+" y2="([0-9.]+)"', svg
    )
    assert level is not None and level.group(1) == level.group(2)
    assert "目標の水準" in svg and "目標への直線" not in svg


def test_small_charts_leave_out_the_axes() -> None:
    assert 'class="tick"' in line_chart(CRIME, width=640, height=260)
    assert 'class="tick"' not in line_chart(CRIME, width=380, height=100)


def test_text_in_the_chart_is_escaped() -> None:
    hostile = ChartData(
        title='<script>"x"</script>', decimals=0, unit="件", actuals=[(2024, D("1"), False)]
    )
    svg = line_chart(hostile)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_another_plans_goal_is_drawn_beside_this_plans_and_widens_the_years() -> None:
    later = OtherGoal(
        label="後期アクションプラン", target=(2034, D("1200")), start=(2028, D("1500"))
    )
    svg = line_chart(replace(CRIME, others=[later]))
    assert '<line class="plan-line other-plan"' in svg
    assert (
        "後期アクションプラン 目標値 1,200件" in svg
        and "後期アクションプラン 現状値 1,500件" in svg
    )
    assert ">R16<" in svg  # the years run on to the later plan's target year (令和16年度)
    assert svg.count('class="target-point') == 2
    without_baseline = replace(later, has_baseline=False)
    assert "現状値 1,500件" not in line_chart(replace(CRIME, others=[without_baseline]))


def test_the_y_axis_runs_in_round_steps_with_the_unit_above_it() -> None:
    svg = line_chart(CRIME)
    ticks = re.findall(r'text-anchor="end">([0-9,]+)</text>', svg)
    values = [int(t.replace(",", "")) for t in ticks]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in (100, 200, 250, 500)
    assert "（件）" in svg


def test_positive_values_far_from_zero_get_a_broken_axis_and_near_ones_start_at_zero() -> None:
    assert 'class="axis-break"' in line_chart(CRIME)  # 1,400–1,869: not from 0
    small = replace(CRIME, baseline=(2023, D("300")), start_value=D("300"), target=(2029, D("100")))
    assert y_axis(D("100"), D("1752")).low == 0
    assert 'class="axis-break"' not in line_chart(small)


def test_a_one_point_dip_of_a_rate_is_not_drawn_as_a_collapse() -> None:
    axis = y_axis(D("94.2"), D("96.5"))
    assert axis.high - axis.low >= D("9.65") and axis.broken


def test_charts_have_a_legend_and_the_target_written_out() -> None:
    svg = line_chart(CRIME)
    assert '<g class="legend">' in svg
    assert all(label in svg for label in ("実績値", "目標値", "目標への直線", "予測"))
    assert "目標 1,400件</text>" in svg


def test_the_headline_charts_have_axes_whose_labels_fit_inside() -> None:
    svg = line_chart(CRIME, width=380, height=170)
    assert 'class="tick"' in svg
    left = min(
        float(v)
        for v in re.findall(r'class="tick" x="([0-9.]+)" y="[0-9.]+" text-anchor="end"', svg)
    )
    assert left >= 7 * len("1,900")  # the widest label ends at x and starts inside the chart
