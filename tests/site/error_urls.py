"""The site's URLs plus views that fail, for tests/site/test_errors.py."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from isesaki.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "db" failed: Connection refused')


urlpatterns = [
    path("test-broken/", broken),
    path("test-database-down/", database_down),
    *urlpatterns,
]
