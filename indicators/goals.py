"""A series' target as the pure core's ``Goal``, judged with the tolerances of the settings:
where every reading of progress starts — the dashboards and the evaluation sheets alike."""

from decimal import Decimal
from functools import cache

from django.conf import settings

from indicators.models import Target
from kpi.progress import Goal, Tolerances


@cache
def tolerances() -> Tolerances:
    return Tolerances(
        on_track_margin=Decimal(str(settings.KPI_ON_TRACK_MARGIN)),
        keep_tolerance=Decimal(str(settings.KPI_KEEP_TOLERANCE)),
    )


def goal_of(target: Target) -> Goal:
    return Goal(
        baseline=target.baseline_value,
        baseline_year=target.baseline_year,
        target=target.target_value,
        target_year=target.target_year,
        kind=target.target_kind,  # type: ignore[arg-type]
    )
