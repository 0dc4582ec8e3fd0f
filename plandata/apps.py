from django.apps import AppConfig


class PlanDataConfig(AppConfig):
    """The plan's content as files: the YAML source → fixture (``build_plan_fixture``) and the
    whole database as one JSON file (``export_all`` / ``import_all``). No models of its own."""

    name = "plandata"
    verbose_name = "計画データ"
