"""A series' target as the pure core's ``Goal``, judged with the tolerances of the settings:
where every reading of progress starts — the dashboards and the evaluation sheets alike."""

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

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
    return goal_of_row(
        (
            indicator.cumulative,
            indicator.entry_mode,
            *(getattr(target, name) for name in GOAL_FIELDS[2:]),
        )
    )


# What a goal is made of, as ``Target.objects.values_list(*GOAL_FIELDS)`` reads it: overviews
# read thousands of targets as plain rows, not as three model instances each.
GOAL_FIELDS = (
    "series__indicator__cumulative",
    "series__indicator__entry_mode",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "target_kind",
    "baseline_meaning",
    "keep_direction",
    "noise_band",
    "interim_targets",
    "revisions",
)


def goal_of_row(row: Sequence[Any]) -> Goal:
    """The goal of a row of ``GOAL_FIELDS`` values (the same goal ``goal_of`` makes)."""
    (
        cumulative,
        entry_mode,
        baseline,
        baseline_year,
        target,
        target_year,
        kind,
        meaning,
        keep_direction,
        noise_band,
        interim,
        revisions,
    ) = row
    return Goal(
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        target_year=target_year,
        kind=kind,
        baseline_meaning=meaning,
        keep_direction=keep_direction,
        noise_band=noise_band,
        yearly_amounts=cumulative and entry_mode == EntryMode.YEARLY,
        interim=interim_of(interim),
        revisions=revisions_of(revisions),
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
