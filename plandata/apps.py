from django.apps import AppConfig


class PlanDataConfig(AppConfig):
    """The plan's content as files: a plan's YAML source → the database (``load_plan``) and the
    whole database as one JSON file (``export_all`` / ``import_all``). No models of its own."""

    name = "plandata"
    verbose_name = "計画データ"
