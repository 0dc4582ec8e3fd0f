"""Turn a plan's readable YAML source (``fixtures/source/*.yaml``) into fixture-like records.

The YAML is what maintainers read and correct; ``plan_loader`` (``manage.py load_plan``) writes
these records into the database by natural keys. Their primary keys are local references only,
assigned in document order, so the same YAML always gives the same records.
"""

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from kpi.progress import BaselineMeaning, KeepDirection, TargetKind
from kpi.wareki import PeriodKind

Record = dict[str, Any]
TARGET_KINDS = frozenset(TargetKind)
PERIODS = frozenset(PeriodKind)
ENTRY_MODES = frozenset({"total", "yearly"})


class PlanSourceError(ValueError):
    """The YAML source is inconsistent; the message names the place."""


def _decimal(value: Any, where: str) -> str | None:
    if value is None:
        return None
    try:
        return str(Decimal(str(value)))
    except InvalidOperation as exc:
        raise PlanSourceError(f"{where}: not a number: {value!r}") from exc


class _Builder:
    def __init__(self, source: Record) -> None:
        self.source = source
        self.records: list[Record] = []
        self.counters: dict[str, int] = {}
        self.measures: dict[str, int] = {}
        self.directions: dict[tuple[str, int], int] = {}
        self.initiatives: dict[tuple[int, str, str], int] = {}
        self.indicators: dict[str, int] = {}
        self.related_plans: dict[str, int] = {}
        self.projects: dict[int, int] = {}

    def add(self, model: str, fields: Record) -> int:
        pk = self.counters.get(model, 0) + 1
        self.counters[model] = pk
        self.records.append({"model": model, "pk": pk, "fields": fields})
        return pk

    def build(self) -> list[Record]:
        plan = self.source["plan"]
        self.plan_pk = self.add(
            "measures.actionplan",
            {
                "code": plan["code"],
                "name": plan["name"],
                "first_year": plan["first_year"],
                "last_year": plan["last_year"],
            },
        )
        self._policies()
        self._indicators()
        self._measure_links()
        self._projects()
        self._glossary()
        return self.records

    def _policies(self) -> None:
        order = 0
        for policy in self.source["policies"]:
            policy_pk = self.add(
                "measures.policy",
                {"plan": self.plan_pk, "number": policy["number"], "name": policy["name"]},
            )
            for measure in policy["measures"]:
                order += 1
                code = measure["code"]
                if code in self.measures:
                    raise PlanSourceError(f"measure {code}: defined twice")
                self.measures[code] = self.add(
                    "measures.measure",
                    {
                        "plan": self.plan_pk,
                        "policy": policy_pk,
                        "code": code,
                        "name": measure["name"],
                        "order": order,
                    },
                )
                for number, name in (measure.get("directions") or {}).items():
                    self.directions[(code, int(number))] = self.add(
                        "measures.direction",
                        {"measure": self.measures[code], "number": int(number), "name": name or ""},
                    )

    def _indicators(self) -> None:
        satisfaction = {
            m["satisfaction"]: m["code"]
            for p in self.source["policies"]
            for m in p["measures"]
            if m.get("satisfaction")
        }
        for item in self.source["indicators"]:
            code = item["code"]
            if code in self.indicators:
                raise PlanSourceError(f"indicator {code}: defined twice")
            period = item.get("period", "fiscal")
            if period not in PERIODS:
                raise PlanSourceError(f"indicator {code}: unknown period {period!r}")
            survey = satisfaction.get(code)
            entry = item.get("entry", "total")
            if entry not in ENTRY_MODES or (entry == "yearly" and not item.get("cumulative")):
                raise PlanSourceError(f"indicator {code}: entry {entry!r} needs a cumulative one")
            self.indicators[code] = self.add(
                "indicators.indicator",
                {
                    "code": code,
                    "name": item["name"],
                    "unit": item.get("unit", ""),
                    "decimals": item.get("decimals", 0),
                    "definition": item.get("definition", ""),
                    "period_kind": period,
                    "cumulative": bool(item.get("cumulative", False)),
                    "entry_mode": entry,
                    "source": item.get("source", ""),
                    "survey_measure": self.measures[survey] if survey else None,
                },
            )
            for order, series in enumerate(self._series_of(item), start=1):
                self._series(code, order, series)
        unknown = set(satisfaction) - set(self.indicators)
        if unknown:
            raise PlanSourceError(f"satisfaction: unknown indicators {sorted(unknown)}")

    @staticmethod
    def _series_of(item: Record) -> Iterator[Record]:
        if "series" in item:
            yield from item["series"]
        else:
            yield {"label": "", "baseline": item.get("baseline"), "target": item.get("target")}

    def _series(self, code: str, order: int, series: Record) -> None:
        where = f"indicator {code} series {series.get('label') or order}"
        series_pk = self.add(
            "indicators.series",
            {"indicator": self.indicators[code], "label": series.get("label", ""), "order": order},
        )
        baseline, target = series.get("baseline"), series.get("target")
        if target is None:
            if baseline is not None:
                raise PlanSourceError(f"{where}: a baseline without a target")
            return
        if target.get("kind") not in TARGET_KINDS:
            raise PlanSourceError(f"{where}: unknown target kind {target.get('kind')!r}")
        plan = self.source["plan"]
        baseline = baseline or {"value": None}
        self.add(
            "indicators.target",
            {
                "series": series_pk,
                "plan": self.plan_pk,
                "baseline_value": _decimal(baseline.get("value"), where),
                "baseline_year": baseline.get("year", plan["baseline_year"]),
                "baseline_label": baseline.get("label", ""),
                "target_value": _decimal(target["value"], where),
                "target_year": target.get("year", plan["target_year"]),
                "target_kind": target["kind"],
                "target_label": target.get("label", ""),
                **self._verdict_rules(baseline, target, where),
            },
        )

    @staticmethod
    def _verdict_rules(baseline: Record, target: Record, where: str) -> Record:
        """What the verdict rules need (``kpi.progress``): the meaning of a －, the direction of
        a 維持, the noise band and the interim targets."""
        meaning = baseline.get("meaning", BaselineMeaning.START_ZERO.value)
        keep = target.get("keep", KeepDirection.EXACT.value)
        if meaning not in frozenset(BaselineMeaning):
            raise PlanSourceError(f"{where}: unknown baseline meaning {meaning!r}")
        if keep not in frozenset(KeepDirection):
            raise PlanSourceError(f"{where}: unknown keep direction {keep!r}")
        if keep != KeepDirection.EXACT and target["kind"] != TargetKind.KEEP:
            raise PlanSourceError(f"{where}: a keep direction on a {target['kind']} target")
        interim = [
            {"year": int(step["year"]), "value": _decimal(step["value"], where)}
            for step in target.get("interim", [])
        ]
        return {
            "baseline_meaning": meaning,
            "keep_direction": keep,
            "noise_band": _decimal(target.get("band"), where),
            "interim_targets": interim,
        }

    def _indicator(self, code: str, where: str) -> int:
        try:
            return self.indicators[code]
        except KeyError:
            raise PlanSourceError(f"{where}: unknown indicator {code!r}") from None

    def _measure_links(self) -> None:
        for policy in self.source["policies"]:
            for measure in policy["measures"]:
                for order, code in enumerate(measure.get("sdgs") or [], start=1):
                    where = f"measure {measure['code']} sdgs[{order}]"
                    self.add(
                        "indicators.sdglocalindicator",
                        {
                            "measure": self.measures[measure["code"]],
                            "indicator": self._indicator(code, where),
                            "order": order,
                        },
                    )

    def _projects(self) -> None:
        for project in self.source["projects"]:
            number = project["number"]
            pk = self.add(
                "projects.project",
                {
                    "plan": self.plan_pk,
                    "number": number,
                    "name": project["name"],
                    "short_name": project["short_name"],
                    "aim": project["aim"],
                    "context": project.get("context", ""),
                },
            )
            self.projects[number] = pk
            for order, code in enumerate(project["indicators"], start=1):
                where = f"project {number} indicators[{order}]"
                self.add(
                    "projects.projectindicator",
                    {"project": pk, "indicator": self._indicator(code, where), "order": order},
                )
            for order, theme in enumerate(project["themes"], start=1):
                self._theme(pk, number, order, theme)
            for order, name in enumerate(project.get("related_plans") or [], start=1):
                if name not in self.related_plans:
                    self.related_plans[name] = self.add("projects.relatedplan", {"name": name})
                self.add(
                    "projects.projectrelatedplan",
                    {"project": pk, "related_plan": self.related_plans[name], "order": order},
                )

    def _theme(self, project_pk: int, number: int, order: int, theme: Record) -> None:
        theme_pk = self.add(
            "projects.theme",
            {
                "project": project_pk,
                "order": order,
                "name": theme["name"],
                "description": theme.get("description", ""),
                "main_initiatives": theme.get("main_initiatives", ""),
            },
        )
        for link_order, link in enumerate(theme["links"], start=1):
            where = f"project {number} theme {order} link {link_order}"
            key = (link["measure"], int(link["direction"]))
            if key not in self.directions:
                raise PlanSourceError(f"{where}: unknown direction {key[0]} 方針{key[1]}")
            direction = self.directions[key]
            initiative = None
            if link.get("initiative"):
                ikey = (direction, link["initiative"], link.get("program", ""))
                if ikey not in self.initiatives:
                    self.initiatives[ikey] = self.add(
                        "measures.initiative",
                        {"direction": direction, "name": ikey[1], "program": ikey[2]},
                    )
                initiative = self.initiatives[ikey]
            self.add(
                "projects.themelink",
                {
                    "theme": theme_pk,
                    "order": link_order,
                    "direction": direction,
                    "initiative": initiative,
                    "indicator": self._indicator(link["indicator"], where),
                },
            )

    def _glossary(self) -> None:
        for term in self.source.get("glossary") or []:
            unknown = [n for n in term.get("projects", []) if n not in self.projects]
            if unknown:
                raise PlanSourceError(f"glossary {term['term']}: unknown projects {unknown}")
            self.add(
                "projects.glossaryterm",
                {
                    "term": term["term"],
                    "description": term["description"],
                    "projects": [self.projects[n] for n in term.get("projects", [])],
                },
            )


MODEL_ORDER = [
    "measures.actionplan",
    "measures.policy",
    "measures.measure",
    "measures.direction",
    "measures.initiative",
    "indicators.indicator",
    "indicators.series",
    "indicators.target",
    "indicators.sdglocalindicator",
    "projects.project",
    "projects.projectindicator",
    "projects.theme",
    "projects.themelink",
    "projects.relatedplan",
    "projects.projectrelatedplan",
    "projects.glossaryterm",
]


def build_fixture(source: Record) -> list[Record]:
    """Fixture records, grouped by model in dependency order (loaddata needs no forward refs)."""
    records = _Builder(source).build()
    return sorted(records, key=lambda r: (MODEL_ORDER.index(r["model"]), r["pk"]))
