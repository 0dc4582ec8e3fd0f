from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = "計画の構成（政策・重点施策）"

    def ready(self) -> None:
        from measures import versioning

        versioning.connect()
