from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The read side: every dashboard page, its request parameters, reads, tables and tags.
    No models of its own."""

    name = "dashboards"
    verbose_name = "ダッシュボード"
