"""The one place the report, the worry list and the exports take a rank from. The scheme
behind it lives in ``evaluations.figures`` (and is becoming data); callers here never judge."""

from collections.abc import Iterable
from dataclasses import dataclass

from evaluations.figures import Figure, rank_of, suggestion
from evaluations.models import EvaluationSheet, Rank
from kpi.progress import Progress

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


def series_rank(progress: Progress | None) -> str:
    """A series' rank label (None: no target)."""
    return rank_of(progress).label
