"""Rank schemes as data: the README's configured schemes of 長与町 and 多摩市, checked against
example values of the plan's own indicators, and the default that reproduces today's statuses."""

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kpi.progress import STATUS_LABELS, Goal, Status, TargetKind, evaluate
from kpi.rank_scheme import DEFAULT_SCHEME, Rounding, Scheme, rank, scheme_from_dict

D = Decimal
README = Path(__file__).resolve().parents[2] / "README.md"
# K006 刑法犯認知件数: 1,869件 → 1,400件.
CRIME = Goal(D("1869"), 2023, D("1400"), 2029, TargetKind.DECREASE)
# K062 新規就農者数（累計）: 17名 → 77名.
NEW_FARMERS = Goal(D("17"), 2023, D("77"), 2029, TargetKind.INCREASE)


def readme_scheme(city: str) -> Scheme:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- rank-scheme: {city} -->\n```yaml\n(.*?)```", text, re.S)
    assert match, f"README has no rank scheme of {city}"
    return scheme_from_dict(yaml.safe_load(match.group(1)))


def label(scheme: Scheme, goal: Goal, value: str, year: int = 2025) -> str:
    return rank(scheme, goal, evaluate(goal, {year: D(value)})).label


def test_nagayo_ranks_by_the_change_against_the_baseline_with_s_for_a_met_target() -> None:
    nagayo = readme_scheme("長与町")
    assert label(nagayo, CRIME, "1400") == "S"
    assert label(nagayo, CRIME, "1600") == "A"  # 14.4 % fewer than the baseline
    assert label(nagayo, CRIME, "1800") == "B"  # 3.7 % fewer: within ±10 %
    assert label(nagayo, CRIME, "2100") == "C"  # 12.4 % more
    assert rank(nagayo, CRIME, evaluate(CRIME, {})).label == "未把握"


def test_tama_ranks_by_pace_against_the_expected_value_and_truncates() -> None:
    tama = readme_scheme("多摩市")
    assert label(tama, NEW_FARMERS, "37") == "①"  # the expected value of 令和7年度
    assert label(tama, NEW_FARMERS, "36") == "②"  # 95 %
    assert label(tama, NEW_FARMERS, "28") == "③"  # 55 %
    # 1,712.73件 is 99.96 % of the way expected by 令和7年度: 切り捨て keeps it below 100 %.
    assert label(tama, CRIME, "1712.73") == "②"
    assert label(replace(tama, rounding=Rounding.HALF_UP), CRIME, "1712.73") == "①"


def test_the_default_scheme_reproduces_todays_statuses() -> None:
    for values in ({2025: "1700"}, {2025: "1900"}, {2025: "1400"}, {2025: "1790"}, {}):
        progress = evaluate(CRIME, {y: D(v) for y, v in values.items()})
        assert rank(DEFAULT_SCHEME, CRIME, progress).label == STATUS_LABELS[progress.status]
    assert {b.status for b in DEFAULT_SCHEME.bands} | {"no_data", "no_verdict"} == set(Status)


def test_bands_must_go_from_the_best_to_the_worst() -> None:
    with pytest.raises(ValueError, match="best to the worst"):
        scheme_from_dict(
            {
                "code": "x",
                "name": "x",
                "version": "1",
                "basis": "pace",
                "bands": [{"lowest": "60", "label": "B"}, {"lowest": "100", "label": "A"}],
            }
        )
