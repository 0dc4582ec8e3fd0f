"""What an approver (承認者) sees beside a value under review: the previous year's value, the
baseline and target, the change in %, the department's note — read from the annotations of
``Actual.objects.with_review_context()`` (no query of its own), formatted as the dashboards."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from indicators.models import Actual, TargetKind
from kpi.numbers import NO_VALUE, format_value
from kpi.wareki import year_label_with_gregorian

KIND_WORDS: dict[str, str] = {
    TargetKind.AT_LEAST: "以上",
    TargetKind.AT_MOST: "以下",
    TargetKind.KEEP: "維持",
}


@dataclass(frozen=True)
class ReviewContext:
    year: str  # 「令和7年度（2025）」
    previous: str  # 「1,750件」, 「1,869件（現状値）」 when the year before is the baseline, 「－」
    goal: str  # 「1,869件 → 1,400件」
    change: str  # 「+3.2%」, 「0から変化」, 「－」
    jumped: bool  # more than KPI_JUMP_WARNING_SHARE: the form asked for a reason
    note: str


def review_context(actual: Actual) -> ReviewContext:
    indicator = actual.series.indicator

    def number(value: Decimal | None) -> str:
        return format_value(value, indicator.decimals, indicator.unit)

    previous: Decimal | None = getattr(actual, "previous_actual", None)
    source = ""
    if previous is None:
        previous = getattr(actual, "previous_baseline", None)
        source = "（現状値）"
    baseline = getattr(actual, "goal_baseline_label", "") or number(
        getattr(actual, "goal_baseline", None)
    )
    target = getattr(actual, "goal_target_label", "") or number(
        getattr(actual, "goal_target", None)
    )
    kind = KIND_WORDS.get(getattr(actual, "goal_kind", None) or "", "")
    has_goal = getattr(actual, "goal_target", None) is not None
    change, jumped = _change(actual.value, previous)
    return ReviewContext(
        year=year_label_with_gregorian(actual.year, indicator.period_kind),
        previous=number(previous) + source if previous is not None else NO_VALUE,
        goal=f"{baseline} → {target}{kind}" if has_goal else "目標なし",
        change=change,
        jumped=jumped,
        note=actual.note,
    )


def _change(value: Decimal, previous: Decimal | None) -> tuple[str, bool]:
    if previous is None:
        return NO_VALUE, False
    if previous == 0:
        return ("±0%", False) if value == 0 else ("0から変化", True)
    share = (value - previous) / abs(previous)
    limit = Decimal(str(settings.KPI_JUMP_WARNING_SHARE))
    return f"{share * 100:+.1f}%", abs(share) > limit
