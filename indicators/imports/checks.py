"""Checks of planned rows against the database: the user's scope, the entry rules, the stored
values and their statuses, duplicates and large jumps; each row is then new, changed,
unchanged or an error."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings

from indicators.imports.columns import CODE, MEASURE, NAME, NOTE, SATISFACTION, VALUE, YEAR, Columns
from indicators.imports.plan import PlannedRow, RowKind
from indicators.imports.rows import Lookups, chunked
from indicators.models import Actual, ActualStatus
from kpi import entry_rules

MAX_NOTE = Actual._meta.get_field("note").max_length or 500


def check(rows: list[PlannedRow], columns: Columns, lookups: Lookups, *, lock: bool) -> None:
    """Scope, entry rules, duplicates, the stored values and statuses; then classify."""
    candidates = [r for r in rows if r.kind == RowKind.PENDING]
    years = {r.year for r in candidates if r.year is not None}
    series = {r.series_id for r in candidates if r.series_id is not None}
    stored = _stored_actuals(series, years | {y - 1 for y in years}, lock=lock)
    for row in candidates:
        _check_row(row, columns, lookups, stored)
    _refuse_duplicates(rows, columns)
    _refuse_falling_totals(rows, columns, stored, lookups)
    _warn_jumps(rows, stored, lookups)


StoredActual = tuple[int, Decimal, str, str]  # primary key, value, note, status


def _stored_actuals(
    series: Iterable[int], years: Iterable[int], *, lock: bool
) -> dict[tuple[int, int], StoredActual]:
    """(series id, year) → the stored actual, for these series (the file's) and years: one
    query per CHUNK series, and the rows stay locked until the import's transaction ends when
    ``lock`` (in the order of the unique key, and only the actuals: no join)."""
    stored: dict[tuple[int, int], StoredActual] = {}
    if not years:
        return stored
    fields = ("series_id", "year", "pk", "value", "note", "status")
    for chunk in chunked(sorted(series)):
        actuals = Actual.objects.filter(series_id__in=chunk, year__in=sorted(years))
        actuals = actuals.order_by("series_id", "year")
        if lock:
            actuals = actuals.select_for_update()
        stored.update(
            ((s, y), (pk, v, n, st)) for s, y, pk, v, n, st in actuals.values_list(*fields)
        )
    return stored


def _check_row(
    row: PlannedRow,
    columns: Columns,
    lookups: Lookups,
    stored: dict[tuple[int, int], StoredActual],
) -> None:
    info, year, value = row.indicator, row.year, row.new_value
    assert info is not None and year is not None and value is not None
    where = columns.label(MEASURE if row.measure else CODE if CODE.key in columns.index else NAME)
    if lookups.editable is not None and info.pk not in lookups.editable:
        row.error(
            where,
            f"：{info.code}（所管課：{info.department}）の実績値を入力する権限がありません。",
        )
        return
    for message in entry_rules.year_errors(year, info.rules):
        row.error(columns.label(YEAR), f"：{message}")
    for message in entry_rules.value_errors(value, info.rules):
        column = SATISFACTION if row.measure else VALUE
        row.error(columns.label(column), f"：{message}")
    if row.new_note is not None and len(row.new_note) > MAX_NOTE:
        row.error(columns.label(NOTE), f"：{MAX_NOTE}文字以内にしてください。")
    if row.errors:
        return
    assert row.series_id is not None
    existing = stored.get((row.series_id, year))
    if existing is None:
        row.kind = RowKind.NEW
        return
    row.actual_id, row.old_value, row.old_note, row.old_status = existing
    if row.old_value == value and not row.note_changed:
        row.kind = RowKind.UNCHANGED
    elif row.old_status == ActualStatus.APPROVED:
        row.error(
            columns.label(VALUE if not row.measure else SATISFACTION),
            "：承認済みのため変更できません（承認者が「承認を取り消す」と変更できます）。",
        )
    elif row.old_status not in lookups.statuses:
        label = ActualStatus(row.old_status).label
        row.error(
            columns.label(VALUE if not row.measure else SATISFACTION),
            f"：{label}のため変更できません（差し戻されると変更できます）。",
        )
    else:
        row.kind = RowKind.CHANGED


def _refuse_duplicates(rows: list[PlannedRow], columns: Columns) -> None:
    lines: dict[tuple[int, int], list[PlannedRow]] = defaultdict(list)
    for row in rows:
        if row.series_id is not None and row.year is not None and row.kind != RowKind.BLANK:
            lines[(row.series_id, row.year)].append(row)
    for same in lines.values():
        if len(same) < 2:
            continue
        for row in same:
            others = "、".join(str(o.line) for o in same if o is not row)
            row.error(
                columns.label(YEAR),
                f"：同じ指標・系列・年度の行が {others}行目にもあります（1行にまとめてください）。",
            )


def _previous_of(
    row: PlannedRow,
    incoming: dict[tuple[int | None, int | None], Decimal | None],
    stored: dict[tuple[int, int], StoredActual],
    lookups: Lookups,
) -> Decimal | None:
    """The previous year's value: in the file, else stored, else the baseline of that year."""
    assert row.series_id is not None and row.year is not None
    before = (row.series_id, row.year - 1)
    previous = incoming.get(before)
    if previous is None:
        previous = stored[before][1] if before in stored else lookups.baselines.get(before)
    return previous


def _refuse_falling_totals(
    rows: list[PlannedRow],
    columns: Columns,
    stored: dict[tuple[int, int], StoredActual],
    lookups: Lookups,
) -> None:
    """A running total (累計) below the previous year's is refused, as on the entry form."""
    incoming = {(r.series_id, r.year): r.new_value for r in rows if r.kind in RowKind.WRITTEN}
    for row in rows:
        if row.kind not in RowKind.WRITTEN or not row.indicator.rules.running_total:  # type: ignore[union-attr]
            continue
        assert row.year is not None and row.new_value is not None
        error = entry_rules.falling_total_error(
            row.new_value,
            _previous_of(row, incoming, stored, lookups),
            previous_year=row.year - 1,
            rules=row.indicator.rules,  # type: ignore[union-attr]
        )
        if error:
            row.error(columns.label(VALUE), f"：{error}")


def _warn_jumps(
    rows: list[PlannedRow], stored: dict[tuple[int, int], StoredActual], lookups: Lookups
) -> None:
    """A move of more than KPI_JUMP_WARNING_SHARE from the previous year's value (in the file,
    else stored, else the baseline) is a warning, as on the entry form; confirming the import
    confirms the value."""
    share = Decimal(str(settings.KPI_JUMP_WARNING_SHARE))
    incoming = {(r.series_id, r.year): r.new_value for r in rows if r.kind in RowKind.WRITTEN}
    for row in rows:
        if row.kind not in RowKind.WRITTEN:
            continue
        assert row.series_id is not None and row.year is not None and row.indicator
        before = (row.series_id, row.year - 1)
        previous = incoming.get(before)
        if previous is None:
            previous = stored[before][1] if before in stored else lookups.baselines.get(before)
        jump = entry_rules.jump(
            row.new_value,  # type: ignore[arg-type]
            previous,
            previous_year=row.year - 1,
            share=share,
            rules=row.indicator.rules,
        )
        if jump is not None:
            row.warnings.append(f"{jump.message().split('。')[0]}。{_what_importing_does(row)}")


def _what_importing_does(row: PlannedRow) -> str:
    """What confirming the import does with the value (README: Statuses): a new value is a
    draft (下書き) that the dashboards count once approved; a changed one keeps its status."""
    if row.actual_id is None:
        return (
            "取り込むと、この値は下書きとして保存されます"
            "（提出・承認されるまでダッシュボードには表示されません）。"
        )
    status = ActualStatus(row.old_status).label if row.old_status else ""
    return f"取り込むと、この値に変更されます（状態は「{status}」のままです）。"
