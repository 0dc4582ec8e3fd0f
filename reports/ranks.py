"""The one place the report and its exports take a rank from: a sheet's from
``evaluations.figures``, a series' in the plan's rank scheme (``measures.RankScheme``);
callers here never judge."""

from collections.abc import Iterable
from dataclasses import dataclass

from dashboards.series import SeriesView
from dashboards.series import series_rank as rank_of_view
from evaluations.figures import Figure, rank_of, suggestion
from evaluations.models import EvaluationSheet, Rank
from kpi.rank_scheme import Scheme

PROVISIONAL = "未確定"


@dataclass(frozen=True)
class SheetRankCell:
    """A project's or measure's rank in the report: the finalised one, or the suggestion of
    the figures read now, marked 未確定."""

    label: str
    finalised: bool

    def __str__(self) -> str:
        return self.label if self.finalised else f"{self.label}（{PROVISIONAL}）"


def sheet_rank(sheet: EvaluationSheet | None, figures: Iterable[Figure]) -> SheetRankCell:
    if sheet is not None and sheet.is_finalised and sheet.final_rank:
        return SheetRankCell(Rank(sheet.final_rank).label, True)
    return SheetRankCell(suggestion(figures).label, False)


def series_rank(view: SeriesView, scheme: Scheme) -> str:
    """A series' rank label in the plan's rank scheme (``dashboards.series.series_rank``, as
    the JSON gives it); a series without a target reads as such."""
    ranked = rank_of_view(view, scheme)
    return ranked.label if ranked else rank_of(None).label
