from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    """The yearly evaluation (効果検証・施策評価): sheets, the review chain, the 推進会議."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "効果検証（評価調書）"
