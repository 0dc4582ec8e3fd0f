from decimal import Decimal

from kpi.progress import Status
from kpi.sheet_rank import RANK_LABELS, SheetRank, suggest_rank

A, T, B, W, N = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.BEHIND,
    Status.WORSE,
    Status.NO_DATA,
)


def test_four_of_five_series_met_or_on_track_suggest_a() -> None:
    suggestion = suggest_rank([A, A, T, T, B])
    assert suggestion.rank is SheetRank.A
    assert (suggestion.good, suggestion.evaluable, suggestion.share) == (4, 5, Decimal("80.0"))


def test_the_bands_start_at_80_50_and_20_percent() -> None:
    assert suggest_rank([A, B, B, B, B]).rank is SheetRank.C  # 20 %
    assert suggest_rank([A, B]).rank is SheetRank.B  # 50 %
    assert suggest_rank([A, A, A, B]).rank is SheetRank.B  # 75 %
    assert suggest_rank([A, W, W, W, W, W]).rank is SheetRank.D  # 16.7 %
    assert suggest_rank([W]).rank is SheetRank.D


def test_series_without_data_or_target_neither_help_nor_hurt() -> None:
    suggestion = suggest_rank([A, N, N, None])
    assert suggestion.rank is SheetRank.A
    assert (suggestion.evaluable, suggestion.no_data) == (1, 2)


def test_no_evaluable_series_suggests_nothing() -> None:
    suggestion = suggest_rank([N, None])
    assert suggestion.rank is None and suggestion.share is None
    assert suggestion.label == "－（評価できる指標なし）"


def test_statuses_may_come_as_the_stored_text() -> None:
    assert suggest_rank(["achieved", "behind"]).rank is SheetRank.B


def test_the_share_is_rounded_half_up_to_a_tenth() -> None:
    assert suggest_rank([A, B, B]).share == Decimal("33.3")
    assert suggest_rank([A, A, B]).share == Decimal("66.7")


def test_every_rank_has_a_label() -> None:
    assert [RANK_LABELS[r] for r in SheetRank] == [
        "A（順調）",
        "B（概ね順調）",
        "C（やや遅れ）",
        "D（遅れ）",
    ]


def test_met_but_at_risk_counts_as_met_and_no_verdict_is_not_evaluable() -> None:
    suggestion = suggest_rank(["at_risk", "on_track", "flat", "no_verdict"])
    assert (suggestion.evaluable, suggestion.good, suggestion.no_data) == (3, 2, 1)
