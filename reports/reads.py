"""What the annual report (効果検証報告書) shows, read once for the PDF and the XLSX alike.

Per project its page as the dashboards read it (``dashboards.reads.project_page``), per measure
its figures as the evaluation reads them (``evaluations.figures.live_figures``); where the year's
sheet is finalised, its frozen figures and rank are what the report prints, otherwise today's
approved figures marked 未確定. Only approved actuals count: the report is what the city
publishes (provisional values never enter it)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from dashboards.reads import MatrixPage, ProjectPage, matrix_page, project_page
from dashboards.series import SeriesView
from evaluations.figures import Figure, live_figures
from evaluations.models import EvaluationSheet, ExternalComment, SheetFigure
from evaluations.services import row_figure
from kpi.progress import STATUS_LABELS, Status
from kpi.rank_scheme import Scheme
from measures.models import ActionPlan, Measure, scheme_of_plan
from projects.models import Theme
from reports.models import CycleCalendar
from reports.ranks import SheetRankCell, series_rank, sheet_rank

NO_TARGET = "目標なし"


@dataclass(frozen=True)
class SeriesRow:
    """One series in a table of the report: what the dashboards read, with the rate, status
    and rank the finalised sheet froze where there is one."""

    view: SeriesView
    values: list[Decimal | None]  # the approved actuals of the report's years
    rate: Decimal | None
    status: str  # a Status value, "" without a target
    rank: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[Status(self.status)] if self.status else NO_TARGET


@dataclass(frozen=True)
class ThemeTable:
    theme: Theme
    rows: list[SeriesRow]


@dataclass(frozen=True)
class ProjectChapter:
    page: ProjectPage
    sheet: EvaluationSheet | None
    rank: SheetRankCell
    headline: list[SeriesRow]
    themes: list[ThemeTable]
    comments: list[ExternalComment]

    @property
    def project(self):  # type: ignore[no-untyped-def]
        return self.page.project

    @property
    def counts(self) -> dict[str, int]:
        """Status label → number of the project's series (each once), 目標なし apart."""
        seen: dict[int, SeriesRow] = {}
        for row in [*self.headline, *(r for t in self.themes for r in t.rows)]:
            seen.setdefault(row.view.series.pk, row)
        counts = {label: 0 for label in STATUS_LABELS.values()}
        for row in seen.values():
            if row.status:
                counts[row.status_label] += 1
        return counts


@dataclass(frozen=True)
class MeasureChapter:
    measure: Measure
    sheet: EvaluationSheet | None
    rank: SheetRankCell
    figures: list[Figure]
    comments: list[ExternalComment]


@dataclass(frozen=True)
class Report:
    plan: ActionPlan
    year: int
    issued: date
    years: list[int]  # the years whose actuals the tables show
    projects: list[ProjectChapter]
    measures: list[MeasureChapter]
    matrix: MatrixPage
    sheets: int = 0
    finalised_sheets: int = 0
    status_labels: list[str] = field(default_factory=lambda: list(STATUS_LABELS.values()))

    @property
    def finalised(self) -> bool:
        """Every sheet of the year is finalised (確定): the report the public may read."""
        return self.sheets > 0 and self.sheets == self.finalised_sheets


@dataclass
class _Subject:
    """What ``live_figures`` reads of a sheet, for a measure that has none yet."""

    pk: int
    project_id: int | None
    measure_id: int | None


def _frozen(sheets: Iterable[EvaluationSheet]) -> dict[int, dict[int, Figure]]:
    """finalised sheet id → series id → its frozen figure: one query."""
    ids = [s.pk for s in sheets if s.is_finalised]
    frozen: dict[int, dict[int, Figure]] = defaultdict(dict)
    for row in SheetFigure.objects.filter(sheet_id__in=ids).order_by("sheet_id", "order"):
        frozen[row.sheet_id][row.series_id] = row_figure(row)
    return frozen


def _comments(sheets: Iterable[EvaluationSheet]) -> dict[int, list[ExternalComment]]:
    by_sheet: dict[int, list[ExternalComment]] = defaultdict(list)
    ids = [s.pk for s in sheets if s.is_finalised]
    for comment in ExternalComment.objects.filter(sheet_id__in=ids).order_by("created_at"):
        by_sheet[comment.sheet_id].append(comment)
    return by_sheet


def _row(
    view: SeriesView, years: list[int], frozen: dict[int, Figure], scheme: Scheme
) -> SeriesRow:
    values = [view.actuals.get(y) for y in years]
    figure = frozen.get(view.series.pk)
    if figure is not None:
        return SeriesRow(view, values, figure.rate, figure.status, figure.rank_label)
    progress = view.progress if view.has_target else None
    status = view.progress.status.value if progress else ""
    return SeriesRow(view, values, view.progress.rate, status, series_rank(view, scheme))


def _figures_for_rank(rows: Iterable[SeriesRow]) -> list[Figure]:
    """The statuses as figures, for the rank suggestion of an unfinalised project."""
    seen: dict[int, SeriesRow] = {}
    for row in rows:
        seen.setdefault(row.view.series.pk, row)
    return [_status_figure(r) for r in seen.values()]


def _status_figure(row: SeriesRow) -> Figure:
    view = row.view
    return Figure(
        series_id=view.series.pk,
        indicator_code=view.indicator.code,
        indicator_name=view.indicator.name,
        series_label=view.series.label,
        unit=view.indicator.unit,
        decimals=view.indicator.decimals,
        period_kind=view.indicator.period_kind,
        baseline_value=None,
        baseline_year=None,
        baseline_label="",
        target_value=None,
        target_year=None,
        target_kind="",
        target_label="",
        latest_value=view.progress.latest_value,
        latest_year=view.progress.latest_year,
        rate=row.rate,
        status=row.status,
        rank_label=row.rank,
        rank_scheme="",
        rank_scheme_version="",
    )


def report_years(plan: ActionPlan, year: int) -> list[int]:
    return list(range(plan.first_year, max(year, plan.first_year) + 1))


def issued_date(plan: ActionPlan, year: int) -> date:
    calendar = CycleCalendar.objects.filter(plan=plan, year=year).first()
    if calendar and calendar.report_date:
        return calendar.report_date
    return timezone.localdate()


def annual_report(plan: ActionPlan, year: int) -> Report:
    """The year's report: a fixed number of queries per project (its page) and a handful for
    all measures together, however many series and years."""
    years = report_years(plan, year)
    sheets = list(EvaluationSheet.objects.of_year(plan, year).select_related("step"))
    by_project = {s.project_id: s for s in sheets if s.project_id}
    by_measure = {s.measure_id: s for s in sheets if s.measure_id}
    frozen = _frozen(sheets)
    comments = _comments(sheets)
    scheme = scheme_of_plan(plan)
    chapters = []
    for project in plan.projects.order_by("number"):
        page = project_page(project, year)
        sheet = by_project.get(project.pk)
        own = frozen.get(sheet.pk, {}) if sheet else {}
        headline = [_row(v, years, own, scheme) for v in page.headline]
        themes = [
            ThemeTable(s.theme, [_row(r.view, years, own, scheme) for r in s.rows])
            for s in page.sections
        ]
        all_rows = [*headline, *(r for t in themes for r in t.rows)]
        rank = sheet_rank(sheet, _figures_for_rank(all_rows))
        chapters.append(
            ProjectChapter(
                page, sheet, rank, headline, themes, comments.get(sheet.pk, []) if sheet else []
            )
        )
    measures = list(plan.measures.select_related("policy", "lead_department").order_by("order"))
    subjects = [_Subject(-m.pk, None, m.pk) for m in measures]
    live = live_figures(plan, year, subjects) if subjects else {}
    measure_chapters = []
    for measure in measures:
        sheet = by_measure.get(measure.pk)
        if sheet is not None and sheet.is_finalised:
            figures = list(frozen.get(sheet.pk, {}).values())
        else:
            figures = live.get(-measure.pk, [])
        measure_chapters.append(
            MeasureChapter(
                measure,
                sheet,
                sheet_rank(sheet, figures),
                figures,
                comments.get(sheet.pk, []) if sheet else [],
            )
        )
    return Report(
        plan=plan,
        year=year,
        issued=issued_date(plan, year),
        years=years,
        projects=chapters,
        measures=measure_chapters,
        matrix=matrix_page(plan),
        sheets=len(sheets),
        finalised_sheets=sum(s.is_finalised for s in sheets),
    )
