"""App configs that rename third-party apps for the Japanese admin."""

from axes.apps import AppConfig as AxesConfig


class LoginThrottlingConfig(AxesConfig):
    """django-axes (login throttling): its lists on the admin index under a Japanese name;
    its models' names come from locale/ja."""

    verbose_name = "ログインの制限（django-axes）"
