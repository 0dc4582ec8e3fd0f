"""A series' target as the pure core's ``Goal``, judged with the tolerances of the settings:
where every reading of progress starts — the dashboards and the evaluation sheets alike."""

from decimal import Decimal
from functools import cache

from django.conf import settings

from indicators.models import EntryMode, Target
from kpi.progress import Goal, Revision, Tolerances


@cache
def tolerances() -> Tolerances:
    return Tolerances(
        on_track_margin=Decimal(str(settings.KPI_ON_TRACK_MARGIN)),
        keep_tolerance=Decimal(str(settings.KPI_KEEP_TOLERANCE)),
    )


def goal_of(target: Target) -> Goal:
    """Reads the target's series' indicator (its entry mode): lists select or prefetch it."""
    indicator = target.series.indicator
    return Goal(
        baseline=target.baseline_value,
        baseline_year=target.baseline_year,
        target=target.target_value,
        target_year=target.target_year,
        kind=target.target_kind,  # type: ignore[arg-type]
        baseline_meaning=target.baseline_meaning,  # type: ignore[arg-type]
        keep_direction=target.keep_direction,  # type: ignore[arg-type]
        noise_band=target.noise_band,
        yearly_amounts=indicator.cumulative and indicator.entry_mode == EntryMode.YEARLY,
        interim=interim_of(target.interim_targets),
        revisions=revisions_of(target.revisions),
    )


def revisions_of(raw: object) -> tuple[Revision, ...]:
    """The stored 目標値の見直し as ``Revision``s."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        Revision(int(r["effective_year"]), Decimal(str(r["value"])), int(r["target_year"]))
        for r in raw
    )


def interim_of(raw: object) -> tuple[tuple[int, Decimal], ...]:
    """The stored 中間目標 [{"year": 2027, "value": "50"}] as (year, value) pairs."""
    if not isinstance(raw, list):
        return ()
    return tuple((int(item["year"]), Decimal(str(item["value"]))) for item in raw)
