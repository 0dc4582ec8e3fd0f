"""One read per evaluation page, each in a fixed number of queries: the year's list of sheets,
a sheet with everything it shows, and the finalised sheet a dashboard shows beside its figures."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from evaluations import chains, permissions
from evaluations.figures import Figure, live_figures, suggestion
from evaluations.models import (
    Bureau,
    EvaluationSheet,
    EvaluationSheetQuerySet,
    ExternalComment,
    Position,
    PositionKind,
    ReviewStep,
    SheetFigure,
    SheetState,
    StepEntry,
)
from evaluations.permissions import Place, PositionKey
from evaluations.services import row_figure
from indicators.models import Department
from indicators.permissions import AnyUser
from kpi.sheet_rank import Suggestion, suggest_rank
from measures.models import ActionPlan, Measure
from projects.models import Project, ThemeLink

Holders = Mapping[PositionKey, list[str]]


def position_holders() -> dict[PositionKey, list[str]]:
    """(kind, department id, bureau id) → the holders' names: one query."""
    holders: dict[PositionKey, list[str]] = defaultdict(list)
    for p in Position.objects.select_related("user").order_by("user__username"):
        name = p.user.get_full_name() or p.user.get_username()
        holders[(p.kind, p.department_id, p.bureau_id)].append(name)
    return holders


def holder_label(sheet: EvaluationSheet, place: Place, holders: Holders) -> str:
    """Who holds the sheet now (「子育て支援課 課長（佐藤）」), or 確定."""
    step = sheet.step
    if sheet.state == SheetState.FINALISED:
        return "確定"
    if step.is_author:
        return sheet.department.name if sheet.department else "企画担当"
    if not step.position:
        return step.actor_label
    where: Department | Bureau | None
    if step.position == PositionKind.SECTION_CHIEF:
        where = place.department
        key: PositionKey = (step.position, where.pk if where else None, None)
    else:
        where = place.bureau
        key = (step.position, None, where.pk if where else None)
    if where is None:
        return f"{step.actor_label}（所属の部局が未設定）"
    names = holders.get(key, [])
    who = "・".join(names) if names else "未登録"
    return f"{where.name} {step.actor_label}（{who}）"


# --- the year's list --------------------------------------------------------------------------
@dataclass(frozen=True)
class ListRow:
    sheet: EvaluationSheet
    holder: str
    suggested: Suggestion  # frozen for finalised sheets, read now for the others
    figures: int


@dataclass(frozen=True)
class ListFilter:
    kind: str = ""  # "project", "measure" or "" for both
    state: str = ""  # a SheetState value
    step: str = ""  # a step's order, as text
    department: str = ""  # a department's pk, as text; "planning" for the planning division's

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "ListFilter":
        kind = query.get("kind", "")
        state = query.get("state", "")
        return cls(
            kind=kind if kind in {"project", "measure"} else "",
            state=state if state in SheetState.values else "",
            step=query.get("step", "") if query.get("step", "").isdigit() else "",
            department=query.get("department", ""),
        )

    def apply(self, sheets: EvaluationSheetQuerySet) -> EvaluationSheetQuerySet:
        if self.kind:
            sheets = sheets.filter(**{f"{self.kind}__isnull": False})
        if self.state:
            sheets = sheets.filter(state=self.state)
        if self.step:
            sheets = sheets.filter(step__order=int(self.step)).exclude(state=SheetState.FINALISED)
        if self.department == "planning":
            sheets = sheets.filter(department__isnull=True)
        elif self.department.isdigit():
            sheets = sheets.filter(department_id=int(self.department))
        return sheets


def evaluation_list(
    user: AnyUser, plan: ActionPlan, year: int, chosen: ListFilter
) -> list[ListRow]:
    """The sheets of a year the user may see, filtered: at most 11 queries however many
    sheets (the sheets, bureaus, position holders, and the live figures)."""
    visible = permissions.visible_sheets(user, EvaluationSheet.objects.of_year(plan, year))
    sheets = list(chosen.apply(visible).for_list().select_related("chain__planning_department"))
    if not sheets:
        return []
    bureaus = permissions.bureau_memberships()
    holders = position_holders()
    open_sheets = [s for s in sheets if not s.is_finalised]
    live = live_figures(plan, year, open_sheets) if open_sheets else {}
    frozen_counts = _frozen_counts(s for s in sheets if s.is_finalised)
    rows = []
    for sheet in sheets:
        if sheet.is_finalised:
            counted = frozen_counts.get(sheet.pk, [])
            suggested, total = suggest_rank(counted), len(counted)
        else:
            suggested, total = suggestion(live[sheet.pk]), len(live[sheet.pk])
        place = permissions.place_of(sheet, bureaus)
        rows.append(ListRow(sheet, holder_label(sheet, place, holders), suggested, total))
    return rows


def _frozen_counts(sheets: Iterable[EvaluationSheet]) -> dict[int, list[str | None]]:
    ids = [s.pk for s in sheets]
    statuses: dict[int, list[str | None]] = defaultdict(list)
    if ids:
        rows = SheetFigure.objects.filter(sheet_id__in=ids).values_list("sheet_id", "status")
        for sheet_id, status in rows:
            statuses[sheet_id].append(status or None)
    return statuses


# --- one sheet --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FigureRow:
    figure: Figure  # frozen for a finalised sheet, read now otherwise
    now: Figure | None  # today's figure where it differs from the frozen one
    added: bool = False  # shown now, not in the frozen figures
    removed: bool = False  # frozen, no longer shown now


@dataclass(frozen=True)
class Round:
    number: int
    entries: list[StepEntry]


@dataclass(frozen=True)
class SheetPage:
    sheet: EvaluationSheet
    place: Place
    holder: str
    steps: list[ReviewStep]
    figures: list[FigureRow]
    suggested: Suggestion
    changed: bool  # a frozen figure differs from today's
    rounds: list[Round]  # newest first
    external: list[ExternalComment]
    related: list[EvaluationSheet]  # a project's sheet: its measures' sheets of the year

    @property
    def committee(self) -> ReviewStep | None:
        return chains.committee_step(self.steps)

    @property
    def approving_finalises(self) -> bool:
        """Whether approving at the current step finalises the sheet (it is the last)."""
        following = chains.next_step(
            self.steps, self.sheet.step, to_committee=self.sheet.to_committee
        )
        return following is None

    @property
    def last_return(self) -> StepEntry | None:
        """The comment the author works from after a return or a reopening."""
        if self.sheet.step.is_author and self.rounds and self.sheet.round > 1:
            previous = [r for r in self.rounds if r.number == self.sheet.round - 1]
            if previous and previous[0].entries:
                return previous[0].entries[-1]
        return None


def sheet_for_page(pk: int) -> EvaluationSheet | None:
    return EvaluationSheet.objects.for_page().filter(pk=pk).first()


def sheet_page(sheet: EvaluationSheet, user: AnyUser, place: Place) -> SheetPage:
    """A sheet's page: 12 queries at most, whatever the number of figures, rounds and comments
    (steps, the live figures (5), frozen ones, entries, holders, comments, related sheets)."""
    steps = list(sheet.chain.steps.select_related("group").order_by("order"))
    live = live_figures(sheet.plan, sheet.year, [sheet])[sheet.pk]
    if sheet.is_finalised:
        rows, changed = _compared(sheet, live)
        suggested = suggest_rank(r.figure.status or None for r in rows if not r.added)
    else:
        rows, changed = [FigureRow(f, None) for f in live], False
        suggested = suggestion(live)
    entries = sheet.entries.select_related("step", "user").order_by("created_at", "pk")
    by_round: dict[int, list[StepEntry]] = defaultdict(list)
    for entry in entries:
        by_round[entry.round].append(entry)
    return SheetPage(
        sheet=sheet,
        place=place,
        holder=holder_label(sheet, place, position_holders()),
        steps=steps,
        figures=rows,
        suggested=suggested,
        changed=changed,
        rounds=[Round(n, by_round[n]) for n in sorted(by_round, reverse=True)],
        external=list(sheet.external_comments.select_related("member").order_by("created_at")),
        related=_related_sheets(sheet, user),
    )


def _compared(sheet: EvaluationSheet, live: list[Figure]) -> tuple[list[FigureRow], bool]:
    """The frozen figures, each with today's where it differs; series shown only now last."""
    now = {f.series_id: f for f in live}
    rows = []
    for frozen in (row_figure(r) for r in sheet.figures.order_by("order")):
        today = now.pop(frozen.series_id, None)
        if today is None:
            rows.append(FigureRow(frozen, None, removed=True))
        else:
            rows.append(FigureRow(frozen, today if frozen.differs_from(today) else None))
    rows.extend(FigureRow(f, f, added=True) for f in now.values())
    return rows, any(r.now is not None or r.removed for r in rows)


def _related_sheets(sheet: EvaluationSheet, user: AnyUser) -> list[EvaluationSheet]:
    """Beside a project's sheet, the sheets of the year of the measures its themes link to."""
    if sheet.project_id is None:
        return []
    measures = ThemeLink.objects.filter(theme__project_id=sheet.project_id).values(
        "direction__measure_id"
    )
    related = EvaluationSheet.objects.of_year(sheet.plan, sheet.year).filter(
        measure_id__in=measures
    )
    return list(permissions.visible_sheets(user, related).for_list())


# --- the dashboards ---------------------------------------------------------------------------
def finalised_sheet(
    plan: ActionPlan, year: int, *, project: Project | None = None, measure: Measure | None = None
) -> EvaluationSheet | None:
    """The finalised sheet of the year for a dashboard (one query). Whatever the URL or the
    user, an unfinalised sheet is never shown there (nor in public mode)."""
    sheets = EvaluationSheet.objects.of_year(plan, year).finalised()
    chosen = sheets.filter(project=project) if project else sheets.filter(measure=measure)
    return chosen.first() if (project or measure) else None
