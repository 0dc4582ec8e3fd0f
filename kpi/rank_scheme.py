"""A plan's rank scheme (評価基準): how a series' verdict is written in the city's own words.

A scheme is data (``measures.RankScheme``, or a YAML block read by ``scheme_from_dict``):

* ``basis`` — the figure the bands are read from:
  ``status`` (today's 達成・順調・遅れ・悪化: each band names a status),
  ``progress`` (進捗率: (latest − start) / (target − start) × 100),
  ``pace`` (against the expected value of the year: (latest − start) / (expected − start) × 100),
  ``achievement`` (達成率: latest / target × 100, target / latest for a lower target),
  ``baseline_change`` (change against the baseline, % of |baseline|, + in the good direction),
  ``previous_change`` (change against the previous year, % of |previous|, + in the good direction);
* ``bands`` — best first, each ``{lowest, label, colour}``: the first band whose ``lowest``
  the figure reaches is the rank (``lowest`` null: everything left);
* ``met_label`` — the rank of a series that meets its target (長与町 S), whatever the figure;
  empty: the bands decide;
* ``not_evaluable_label`` (the figure cannot be computed: a value to hold, a baseline of 0, a
  first survey) and ``no_data_label`` (no actual yet);
* ``rounding`` — 四捨五入 (``half_up``) or 切り捨て (``down``) of the figure to ``decimals``
  before the bands are read (茨城県 truncates: 99.96 % is not 100 %).

A verdict stores the scheme's code and version (``evaluations``): a later change of the scheme
gets a new version and does not rewrite what was published.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from kpi.progress import (
    STATUS_LABELS,
    Goal,
    Progress,
    Status,
    direction_of,
    expected_value,
    is_hold_goal,
)


class Basis(StrEnum):
    STATUS = "status"  # 状況（達成・順調・遅れ・悪化）
    PROGRESS = "progress"  # 進捗率
    PACE = "pace"  # その年度の期待値に対する進み具合
    ACHIEVEMENT = "achievement"  # 達成率
    BASELINE_CHANGE = "baseline_change"  # 現状値からの変化率
    PREVIOUS_CHANGE = "previous_change"  # 前年度からの変化率


class Rounding(StrEnum):
    HALF_UP = "half_up"  # 四捨五入
    DOWN = "down"  # 切り捨て


@dataclass(frozen=True)
class Band:
    label: str
    colour: str = "#7b8494"
    lowest: Decimal | None = None  # the figure reaches it (>=); None: the rest
    status: str = ""  # basis ``status``: the status this band names


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    version: str
    basis: Basis
    bands: tuple[Band, ...]
    met_label: str = ""
    not_evaluable_label: str = "評価不能"
    no_data_label: str = "未入力"
    rounding: Rounding = Rounding.HALF_UP
    decimals: int = 1


@dataclass(frozen=True)
class Rank:
    label: str
    colour: str
    figure: Decimal | None  # the basis figure, rounded; None for ``status``


_COLOURS = {
    Status.ACHIEVED: "#1b7f3b",
    Status.AT_RISK: "#1b7f3b",
    Status.ON_TRACK: "#2f6fb0",
    Status.FLAT: "#5f6b7a",
    Status.BEHIND: "#b7791f",
    Status.WORSE: "#c0392b",
}
# Today's statuses as a scheme: what a plan without its own scheme is judged by.
DEFAULT_SCHEME = Scheme(
    code="status",
    name="状況（達成・順調・遅れ・悪化）",
    version="1",
    basis=Basis.STATUS,
    bands=tuple(
        Band(label=STATUS_LABELS[s], colour=c, status=s.value) for s, c in _COLOURS.items()
    ),
    not_evaluable_label=STATUS_LABELS[Status.NOT_EVALUABLE],
    no_data_label=STATUS_LABELS[Status.NO_DATA],
)


def rank(scheme: Scheme, goal: Goal, progress: Progress, previous: Decimal | None = None) -> Rank:
    """The series' rank under the scheme; ``previous`` is the value of the year before the
    latest (for ``previous_change``)."""
    if progress.status is Status.NO_DATA:
        return Rank(scheme.no_data_label, "#7b8494", None)
    if scheme.basis is Basis.STATUS:
        band = next((b for b in scheme.bands if b.status == progress.status.value), None)
        if band is None:
            return Rank(scheme.not_evaluable_label, "#7b8494", None)
        return Rank(band.label, band.colour, None)
    if progress.met and scheme.met_label:
        return Rank(scheme.met_label, scheme.bands[0].colour, None)
    raw = basis_figure(scheme.basis, goal, progress, previous)
    if raw is None:
        return Rank(scheme.not_evaluable_label, "#7b8494", None)
    figure = _rounded(raw, scheme)
    for band in scheme.bands:
        if band.lowest is None or figure >= band.lowest:
            return Rank(band.label, band.colour, figure)
    return Rank(scheme.not_evaluable_label, "#7b8494", figure)


def basis_figure(
    basis: Basis, goal: Goal, progress: Progress, previous: Decimal | None
) -> Decimal | None:
    """The unrounded figure in % (see the module docstring), or None when it cannot be had."""
    latest, year = progress.latest_value, progress.latest_year
    if latest is None or year is None:
        return None
    goal = goal.in_effect(year)
    direction = direction_of(goal)
    start = goal.start
    if basis is Basis.PROGRESS:
        return None if is_hold_goal(goal) else _share(latest - start, goal.aim - start)
    if basis is Basis.PACE:
        expected = expected_value(goal, year)
        return None if is_hold_goal(goal) else _share(latest - start, expected - start)
    if basis is Basis.ACHIEVEMENT:
        if direction < 0:
            return _share(goal.aim, latest)
        return _share(latest, goal.aim)
    reference = start if basis is Basis.BASELINE_CHANGE else previous
    if reference is None or not direction:
        return None
    change = _share(latest - reference, abs(reference))
    return None if change is None else direction * change


def scheme_from_dict(data: Mapping[str, Any]) -> Scheme:
    """A scheme from its YAML form (README: 評価基準); raises ValueError on a bad one."""
    bands = tuple(
        Band(
            label=str(b["label"]),
            colour=str(b.get("colour", "#7b8494")),
            lowest=None if b.get("lowest") is None else Decimal(str(b["lowest"])),
            status=str(b.get("status", "")),
        )
        for b in data["bands"]
    )
    if not bands:
        raise ValueError("a rank scheme needs at least one band")
    lowest = [b.lowest for b in bands if b.lowest is not None]
    if lowest != sorted(lowest, reverse=True):
        raise ValueError("bands go from the best to the worst (lowest decreasing)")
    return Scheme(
        code=str(data["code"]),
        name=str(data["name"]),
        version=str(data["version"]),
        basis=Basis(data["basis"]),
        bands=bands,
        met_label=str(data.get("met_label", "")),
        not_evaluable_label=str(data.get("not_evaluable_label", "評価不能")),
        no_data_label=str(data.get("no_data_label", "未入力")),
        rounding=Rounding(data.get("rounding", Rounding.HALF_UP)),
        decimals=int(data.get("decimals", 1)),
    )


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return part * 100 / whole


def _rounded(value: Decimal, scheme: Scheme) -> Decimal:
    mode = ROUND_DOWN if scheme.rounding is Rounding.DOWN else ROUND_HALF_UP
    rounded = value.quantize(Decimal(1).scaleb(-scheme.decimals), rounding=mode)
    return abs(rounded) if rounded == 0 else rounded
