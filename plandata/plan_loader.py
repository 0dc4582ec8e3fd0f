"""Load one plan's YAML into the database by natural keys (``manage.py load_plan``).

The records come from ``plan_source.build_fixture`` (so every key the YAML format grows flows
through), but their primary keys are only local references: each row is matched by its natural
key — the plan's code, a policy's number, a measure's code, a direction's number, a project's
number, a theme's and a link's order, an indicator's permanent code, a target's series and plan
— and created, updated in place or removed. Rows of other plans are never read for writing:
only this plan's policies, measures, projects and targets, and the indicators this plan alone
uses, may change or go. Indicators are shared by the plans that show them; an indicator that
continues keeps its series and actuals and gets this plan's target.

An indicator new to the database may be written with a provisional code (anything but
``K`` + digits, e.g. ``NEW-1``, used by the YAML's links): it is matched to an indicator of the
same exact name (the plan's rule: same name, same indicator), else given the next free code.

A removal that would orphan data — a series with actuals or frozen evaluation figures, a measure
or project with evaluation sheets — is refused (``PlanLoadError``) unless ``confirm_removals``;
then the data goes with it (historical rows keep their history).
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluations.models import EvaluationSheet, SheetFigure
from indicators.models import Actual, Indicator, SdgLocalIndicator, Series, Target
from measures.models import ActionPlan, Direction, Initiative, Measure, Policy
from measures.signals import data_changed
from plandata.plan_source import Record, build_fixture
from projects.models import (
    GlossaryTerm,
    Project,
    ProjectIndicator,
    ProjectRelatedPlan,
    RelatedPlan,
    Theme,
    ThemeLink,
)

PERMANENT_CODE = re.compile(r"^K(\d+)$")
Key = tuple[Any, ...]


class PlanLoadError(ValueError):
    """The YAML cannot be loaded as it is; the message says what and where."""


@dataclass(frozen=True)
class Change:
    action: str  # 新規 | 変更 | 削除
    what: str  # 重点施策 1-1 …
    detail: str = ""  # 名称：「前」→「後」

    def __str__(self) -> str:
        return f"{self.action} {self.what}" + (f"：{self.detail}" if self.detail else "")


@dataclass
class LoadResult:
    plan: ActionPlan
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    assigned_codes: dict[str, str] = field(default_factory=dict)  # provisional → permanent

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for change in self.changes:
            counts[change.action] += 1
        return dict(counts)


@dataclass(frozen=True)
class _Spec:
    """How one model's rows are matched and scoped."""

    model: type[models.Model]
    key: tuple[str, ...]  # natural key fields (FKs by their attname)
    scope: Callable[[ActionPlan], models.QuerySet[Any]]  # the rows this plan owns
    label: Callable[[dict[str, Any]], str]
    replace: bool = False  # no dependents: a changed row is deleted and created anew


def _verbose(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def _fk_map(model: type[models.Model]) -> dict[str, str]:
    """field name → related model label, for the record fields that are foreign keys."""
    return {
        f.name: f.related_model._meta.label_lower
        for f in model._meta.concrete_fields
        if f.many_to_one and isinstance(f.related_model, type)
    }


class _Loader:
    def __init__(self, source: Record, *, confirm_removals: bool, reason: str) -> None:
        self.records = build_fixture(source)
        self.confirm = confirm_removals
        self.reason = reason
        self.local: dict[str, dict[int, int]] = defaultdict(dict)  # model → local pk → pk
        self.labels: dict[str, dict[int, str]] = defaultdict(dict)  # model → pk → label
        self.deferred: list[tuple[_Spec, list[models.Model]]] = []
        self._series_labels: dict[int, list[str]] = defaultdict(list)  # this YAML's

    # --- the run --------------------------------------------------------------------------
    def run(self) -> LoadResult:
        by_model: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            by_model[record["model"]].append(record)
        (plan_record,) = by_model.pop("measures.actionplan")
        self.plan, change = self._plan(plan_record)
        self.result = LoadResult(self.plan, changes=[change] if change else [])
        self.local["measures.actionplan"][plan_record["pk"]] = self.plan.pk
        self._resolve_codes(by_model["indicators.indicator"])
        for spec in self._specs():
            self._sync(spec, by_model.get(spec.model._meta.label_lower, []))
        self._glossary(by_model.get("projects.glossaryterm", []))
        self._check_removals()
        for spec, rows in reversed(self.deferred):
            self._delete(spec, rows)
        return self.result

    def _check_removals(self) -> None:
        """Every refused removal at once, before anything is deleted."""
        if self.confirm:
            return
        refused = [
            f"{_verbose(spec.model)} {obj}（{'、'.join(b for b, _ in blockers)}）"
            for spec, rows in self.deferred
            for obj in rows
            if (blockers := _blockers(obj))
        ]
        if refused:
            raise PlanLoadError(
                "次の削除はデータを失うため行いません（--confirm-removals で確認すると、"
                "そのデータごと削除します）：\n" + "\n".join(f"  {r}" for r in refused)
            )

    def _plan(self, record: Record) -> tuple[ActionPlan, Change | None]:
        fields = record["fields"]
        what = f"アクションプラン {fields['code']} {fields['name']}"
        plan = ActionPlan.objects.filter(code=fields["code"]).first()
        if plan is None:
            return ActionPlan.objects.create(**fields), Change("新規", what)
        changed = self._differences(plan, fields)
        if not changed:
            return plan, None
        for name, (_, new) in changed.items():
            setattr(plan, name, new)
        plan.save()
        return plan, Change("変更", what, _detail(changed))

    # --- indicator codes ------------------------------------------------------------------
    def _resolve_codes(self, records: list[Record]) -> None:
        """Give provisional codes a permanent one: the indicator of the same name, else the
        next free number (after every code in the database and in this YAML)."""
        provisional = [r for r in records if not PERMANENT_CODE.match(r["fields"]["code"])]
        if not provisional:
            return
        explicit = {r["fields"]["code"] for r in records} - {
            r["fields"]["code"] for r in provisional
        }
        known = set(Indicator.objects.values_list("code", flat=True)) | explicit
        numbers = [int(m.group(1)) for c in known if (m := PERMANENT_CODE.match(c))]
        width = max((len(c) - 1 for c in known if PERMANENT_CODE.match(c)), default=3)
        following = max(numbers, default=0) + 1
        names = [r["fields"]["name"] for r in provisional]
        by_name: dict[str, str] = {}
        for code, name in (
            Indicator.objects.filter(name__in=names).order_by("code").values_list("code", "name")
        ):
            if code not in explicit:
                by_name.setdefault(name, code)
        for record in provisional:
            fields = record["fields"]
            found = by_name.get(fields["name"])
            if found is not None:
                code = found
            else:
                code = f"K{following:0{width}d}"
                following += 1
                by_name[fields["name"]] = code
            self.result.assigned_codes[fields["code"]] = code
            self.result.notes.append(f"指標 {fields['code']}（{fields['name']}）→ {code}")
            fields["code"] = code

    # --- one model ------------------------------------------------------------------------
    def _specs(self) -> list[_Spec]:
        def label(model: type[models.Model], render: Callable[[dict[str, Any]], str]) -> Any:
            return lambda f: f"{_verbose(model)} {render(f)}"

        measure = self.labels["measures.measure"]
        indicator = self.labels["indicators.indicator"]
        series = self.labels["indicators.series"]
        project = self.labels["projects.project"]
        theme = self.labels["projects.theme"]
        direction = self.labels["measures.direction"]
        return [
            _Spec(
                Policy,
                ("plan_id", "number"),
                lambda p: Policy.objects.filter(plan=p),
                label(Policy, lambda f: f"{f['number']} {f['name']}"),
            ),
            _Spec(
                Measure,
                ("plan_id", "code"),
                lambda p: Measure.objects.filter(plan=p),
                label(Measure, lambda f: f"{f['code']} {f['name']}"),
            ),
            _Spec(
                Direction,
                ("measure_id", "number"),
                lambda p: Direction.objects.filter(measure__plan=p),
                label(Direction, lambda f: f"{measure.get(f['measure_id'])} 方針{f['number']}"),
            ),
            _Spec(
                Initiative,
                ("direction_id", "name", "program"),
                lambda p: Initiative.objects.filter(direction__measure__plan=p),
                label(Initiative, lambda f: f"{direction.get(f['direction_id'])} {f['name']}"),
            ),
            _Spec(
                Indicator,
                ("code",),
                self._indicators_of,
                label(Indicator, lambda f: f"{f['code']} {f['name']}"),
            ),
            _Spec(
                Series,
                ("indicator_id", "label"),
                self._series_of,
                label(
                    Series,
                    lambda f: (
                        f"{indicator.get(f['indicator_id'])}"
                        + (f"（{f['label']}）" if f["label"] else "")
                    ),
                ),
            ),
            _Spec(
                Target,
                ("series_id", "plan_id"),
                lambda p: Target.objects.filter(plan=p),
                label(Target, lambda f: f"{series.get(f['series_id'])}"),
            ),
            _Spec(
                SdgLocalIndicator,
                ("measure_id", "indicator_id"),
                lambda p: SdgLocalIndicator.objects.filter(measure__plan=p),
                label(
                    SdgLocalIndicator,
                    lambda f: f"{measure.get(f['measure_id'])} {indicator.get(f['indicator_id'])}",
                ),
                replace=True,
            ),
            _Spec(
                Project,
                ("plan_id", "number"),
                lambda p: Project.objects.filter(plan=p),
                label(Project, lambda f: f"{f['number']} {f['name']}"),
            ),
            _Spec(
                ProjectIndicator,
                ("project_id", "indicator_id"),
                lambda p: ProjectIndicator.objects.filter(project__plan=p),
                label(
                    ProjectIndicator,
                    lambda f: f"{project.get(f['project_id'])} {indicator.get(f['indicator_id'])}",
                ),
                replace=True,
            ),
            _Spec(
                Theme,
                ("project_id", "order"),
                lambda p: Theme.objects.filter(project__plan=p),
                label(Theme, lambda f: f"{project.get(f['project_id'])} {f['order']}"),
            ),
            _Spec(
                ThemeLink,
                ("theme_id", "order"),
                lambda p: ThemeLink.objects.filter(theme__project__plan=p),
                label(ThemeLink, lambda f: f"{theme.get(f['theme_id'])} {f['order']}行目"),
                replace=True,
            ),
            _Spec(
                RelatedPlan,
                ("name",),
                lambda p: RelatedPlan.objects.none(),  # shared by the plans: never removed
                label(RelatedPlan, lambda f: f["name"]),
            ),
            _Spec(
                ProjectRelatedPlan,
                ("project_id", "related_plan_id"),
                lambda p: ProjectRelatedPlan.objects.filter(project__plan=p),
                lambda f: f"プロジェクトの関連計画 {project.get(f['project_id'])}",
                replace=True,
            ),
        ]

    def _desired(self, spec: _Spec, records: list[Record]) -> dict[Key, tuple[int, dict]]:
        fks = _fk_map(spec.model)
        desired: dict[Key, tuple[int, dict]] = {}
        for record in records:
            fields: dict[str, Any] = {}
            for name, value in record["fields"].items():
                if name in fks:
                    fields[f"{name}_id"] = (
                        None if value is None else self.local[fks[name]][int(value)]
                    )
                else:
                    model_field = spec.model._meta.get_field(name)
                    assert isinstance(model_field, models.Field)
                    fields[name] = model_field.to_python(value)
            desired[tuple(fields[k] for k in spec.key)] = (record["pk"], fields)
        return desired

    def _sync(self, spec: _Spec, records: list[Record]) -> None:
        label_of = self.labels[spec.model._meta.label_lower]
        local = self.local[spec.model._meta.label_lower]
        desired = self._desired(spec, records)
        if spec.model is Series:
            for indicator_id, label in desired:
                self._series_labels[indicator_id].append(label)
        keys = list(desired)
        existing = {tuple(getattr(o, k) for k in spec.key): o for o in self._existing(spec, keys)}
        created, updated, update_fields = [], [], set()
        for key, (local_pk, fields) in desired.items():
            obj = existing.pop(key, None)
            if obj is not None:
                fields = self._keep_shared(obj, fields)
                changed = self._differences(obj, fields)
                if changed:
                    self._changed(spec.label(fields), changed)
                if changed and isinstance(obj, Indicator) and self._shared(obj):
                    self.result.notes.append(
                        f"指標 {obj.code} は他の計画でも使われています：変更はその計画にも表れます"
                    )
                if changed and spec.replace:
                    self._delete(spec, [obj], quiet=True)
                    obj = None
                    created.append((local_pk, spec.model(**fields)))
                    continue
                for name, (_, new) in changed.items():
                    setattr(obj, name, new)
                if changed:
                    update_fields |= set(changed)
                    updated.append(obj)
            if obj is None:
                obj = spec.model(**fields)
                created.append((local_pk, obj))
                self.result.changes.append(Change("新規", spec.label(fields)))
            else:
                local[local_pk] = obj.pk
                label_of[obj.pk] = spec.label(fields)
        self._write(spec.model, [o for _, o in created], updated, sorted(update_fields))
        for local_pk, obj in created:
            local[local_pk] = obj.pk
            label_of[obj.pk] = spec.label({**obj.__dict__})
        self.deferred.append((spec, [o for o in existing.values() if o.pk not in local.values()]))

    def _existing(self, spec: _Spec, keys: list[Key]) -> Iterable[models.Model]:
        """The plan's rows, and (for shared models) the rows the YAML names by key."""
        rows = {o.pk: o for o in spec.scope(self.plan)}
        if spec.model in (Indicator, Series, RelatedPlan) and keys:
            field_name = spec.key[0]
            wanted = {k[0] for k in keys}
            rows |= {
                o.pk: o
                for o in spec.model._default_manager.filter(**{f"{field_name}__in": wanted})
                if tuple(getattr(o, k) for k in spec.key) in set(keys)
            }
        return rows.values()

    def _shared(self, indicator: Indicator) -> bool:
        return Indicator.objects.filter(
            _indicator_use(self.plan, others=True), pk=indicator.pk
        ).exists()

    def _keep_shared(self, obj: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
        """An indicator keeps a 市民意識調査 measure of another plan (it has one such link); a
        series keeps its place where another plan's series of the indicator holds the one the
        YAML gives."""
        if isinstance(obj, Series) and fields.get("order", obj.order) != obj.order:
            labels = self._series_labels.get(obj.indicator_id, [])
            held = Series.objects.filter(indicator_id=obj.indicator_id, order=fields["order"])
            if held.exclude(label__in=labels).exists():
                return {**fields, "order": obj.order}
            return fields
        if not isinstance(obj, Indicator) or obj.survey_measure_id is None:
            return fields
        wanted = fields.get("survey_measure_id")
        if obj.survey_measure_id == wanted:
            return fields
        if Measure.objects.filter(pk=obj.survey_measure_id, plan=self.plan).exists():
            return fields
        if wanted is not None:
            self.result.notes.append(
                f"指標 {obj.code} は他の計画の施策の満足度指標のままです（対象施策は1つです）"
            )
        return {**fields, "survey_measure_id": obj.survey_measure_id}

    @staticmethod
    def _differences(obj: models.Model, fields: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        return {
            name: (getattr(obj, name), value)
            for name, value in fields.items()
            if getattr(obj, name) != value
        }

    def _changed(self, what: str, changed: dict[str, tuple[Any, Any]]) -> None:
        self.result.changes.append(Change("変更", what, _detail(changed)))

    def _write(
        self,
        model: type[models.Model],
        created: list[models.Model],
        updated: list[models.Model],
        update_fields: list[str],
    ) -> None:
        historical = _is_historical(model)
        if updated:
            if model is Series and "order" in update_fields:
                # (indicator, order) is unique: move the changed ones out of the way first.
                for obj in updated:
                    Series.objects.filter(pk=obj.pk).update(order=1000 + obj.order)  # type: ignore[attr-defined]
            if historical:
                bulk_update_with_history(
                    updated, model, update_fields, default_change_reason=self.reason
                )
            else:
                model._default_manager.bulk_update(updated, update_fields)
        if created:
            if model is Series:
                _free_orders(created)  # type: ignore[arg-type]
            if historical:
                bulk_create_with_history(created, model, default_change_reason=self.reason)
            else:
                model._default_manager.bulk_create(created)
        if created or updated:
            data_changed.send(sender=model)  # bulk writes send no model signal (cached pages)

    # --- removals -------------------------------------------------------------------------
    def _indicators_of(self, plan: ActionPlan) -> models.QuerySet[Indicator]:
        """The indicators only this plan uses (they go when its YAML drops them)."""
        used_by = _indicator_use
        mine = Indicator.objects.filter(used_by(plan))
        return mine.exclude(used_by(plan, others=True))

    def _series_of(self, plan: ActionPlan) -> models.QuerySet[Series]:
        """Series of the indicators the YAML names, unless another plan gives them a target."""
        codes = {r["fields"]["code"] for r in self.records if r["model"] == "indicators.indicator"}
        return Series.objects.filter(
            models.Q(indicator__code__in=codes) | models.Q(indicator__in=self._indicators_of(plan))
        ).exclude(targets__plan__in=ActionPlan.objects.exclude(pk=plan.pk))

    def _delete(self, spec: _Spec, rows: list[models.Model], *, quiet: bool = False) -> None:
        if not rows:
            return
        for obj in rows:
            blockers = _blockers(obj)
            if not quiet:
                what = f"{_verbose(spec.model)} {obj}"
                self.result.changes.append(
                    Change("削除", what, "、".join(f"{b}も削除" for b, _ in blockers))
                )
            for _, dependent in blockers:
                for row in dependent:
                    row.delete()  # one by one: historical rows record their deletion
            if isinstance(obj, Indicator):
                for series in obj.series.all():
                    series.delete()
            obj.delete()

    # --- glossary -------------------------------------------------------------------------
    def _glossary(self, records: list[Record]) -> None:
        """Terms are shared by the plans; this plan's projects are set on each, others kept."""
        mine = set(Project.objects.filter(plan=self.plan).values_list("pk", flat=True))
        local = self.local["projects.project"]
        existing = {t.term: t for t in GlossaryTerm.objects.prefetch_related("projects")}
        for record in records:
            fields = record["fields"]
            wanted = {local[p] for p in fields["projects"]}
            term = existing.pop(fields["term"], None)
            what = f"用語解説 {fields['term']}"
            if term is None:
                term = GlossaryTerm.objects.create(
                    term=fields["term"], description=fields["description"]
                )
                self.result.changes.append(Change("新規", what))
                current: set[int] = set()
            else:
                current = {p.pk for p in term.projects.all()} & mine
                if term.description != fields["description"]:
                    self._changed(what, {"description": (term.description, fields["description"])})
                    term.description = fields["description"]
                    term.save(update_fields=["description"])
            if wanted != current:
                if current:
                    self.result.changes.append(Change("変更", what, "掲載プロジェクト"))
                term.projects.remove(*(current - wanted))
                term.projects.add(*(wanted - current))
        for term in existing.values():
            gone = {p.pk for p in term.projects.all()} & mine
            if gone:
                self.result.changes.append(Change("変更", f"用語解説 {term.term}", "掲載終了"))
                term.projects.remove(*gone)


def _free_orders(created: list[Series]) -> None:
    """A new series of an indicator another plan already has series of goes after them."""
    taken = set(
        Series.objects.filter(indicator_id__in={s.indicator_id for s in created}).values_list(
            "indicator_id", "order"
        )
    )
    for series in created:
        if (series.indicator_id, series.order) in taken:
            series.order = max(o for i, o in taken if i == series.indicator_id) + 1
        taken.add((series.indicator_id, series.order))


def _indicator_use(plan: ActionPlan, *, others: bool = False) -> models.Q:
    """Indicators that the plan (or, with ``others``, any other plan) uses."""
    plans = (
        ActionPlan.objects.exclude(pk=plan.pk) if others else ActionPlan.objects.filter(pk=plan.pk)
    )
    return (
        models.Q(series__targets__plan__in=plans)
        | models.Q(theme_links__theme__project__plan__in=plans)
        | models.Q(project_entries__project__plan__in=plans)
        | models.Q(sdg_entries__measure__plan__in=plans)
        | models.Q(survey_measure__plan__in=plans)
    )


def _blockers(obj: models.Model) -> list[tuple[str, Sequence[models.Model]]]:
    """What removing the row would orphan: (what, the rows that would go with it)."""
    found: list[tuple[str, Sequence[models.Model]]] = []
    if isinstance(obj, Indicator | Series):
        series = Series.objects.filter(indicator=obj) if isinstance(obj, Indicator) else [obj]
        actuals = list(Actual.objects.filter(series__in=series))
        figures = list(
            EvaluationSheet.objects.filter(
                pk__in=SheetFigure.objects.filter(series__in=series).values("sheet")
            )
        )
        if actuals:
            found.append((f"実績値 {len(actuals)}件", actuals))
        if figures:
            found.append((f"評価調書 {len(figures)}件（確定した数値）", figures))
    if isinstance(obj, Measure | Project):
        sheets = list(obj.evaluation_sheets.all())
        if sheets:
            found.append((f"評価調書 {len(sheets)}件", sheets))
    return found


def _is_historical(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def _detail(changed: dict[str, tuple[Any, Any]]) -> str:
    return "、".join(f"{n}：{_show(old)} → {_show(new)}" for n, (old, new) in changed.items())


def _show(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"「{text[:40]}…」" if len(text) > 40 else f"「{text}」"


def read_source(path: Path) -> Record:
    """The parsed YAML (libyaml's loader where installed: eight times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as stream:
        source = yaml.load(stream, Loader=loader)  # noqa: S506 (a safe loader)
    if not isinstance(source, dict) or "plan" not in source:
        raise PlanLoadError("計画のYAMLではありません（plan: がありません）")
    return source


def load_plan(
    source: Record, *, dry_run: bool = False, confirm_removals: bool = False, reason: str = ""
) -> LoadResult:
    """Create or update the plan of ``source`` (the parsed YAML) in one transaction; with
    ``dry_run`` everything is rolled back and only the changes are returned."""
    with transaction.atomic():
        result = _Loader(source, confirm_removals=confirm_removals, reason=reason).run()
        if dry_run:
            transaction.set_rollback(True)
    return result
