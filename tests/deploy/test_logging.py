"""Logs are one JSON object per line, for Django's loggers, gunicorn's and the app's."""

import json
import logging
import sys

from django.conf import settings
from django.test import RequestFactory

from isesaki.logging import JsonFormatter


def _record(name: str, message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.WARNING, __file__, 1, message, args or None, None)
    record.__dict__.update(extra)
    return record


def test_a_record_becomes_one_line_of_json_with_time_level_logger_and_message() -> None:
    line = JsonFormatter().format(_record("indicators", "実績値 %s\n件", 3))

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "indicators"
    assert entry["message"] == "実績値 3\n件"
    assert entry["time"].endswith("+00:00")


def test_an_exception_stays_on_the_same_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        record = _record("django.request", "Internal Server Error")
        record.exc_info = sys.exc_info()

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: bad" in json.loads(line)["exception"]


def test_a_django_request_record_carries_status_method_and_path() -> None:
    request = RequestFactory().post("/admin/login/")
    record = _record("django.request", "Forbidden", status_code=403, request=request)

    entry = json.loads(JsonFormatter().format(record))

    assert (entry["status"], entry["method"], entry["path"]) == (403, "POST", "/admin/login/")


def test_a_gunicorn_access_record_carries_the_request_as_fields() -> None:
    atoms = {"h": "10.0.0.9", "m": "GET", "U": "/healthz", "q": "", "s": "200", "B": 16}
    atoms |= {"M": 3, "a": "curl/8", "r": "GET /healthz HTTP/1.1"}
    record = _record("gunicorn.access", '%(h)s "%(r)s" %(s)s', atoms)
    record.levelno, record.levelname = logging.INFO, "INFO"

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == '10.0.0.9 "GET /healthz HTTP/1.1" 200'
    assert entry["status"] == 200
    assert (entry["path"], entry["duration_ms"], entry["remote_addr"]) == (
        "/healthz",
        3,
        "10.0.0.9",
    )


def test_django_gunicorn_and_app_loggers_all_write_through_the_json_formatter() -> None:
    config = settings.LOGGING
    root_handlers = config["root"]["handlers"]

    assert {config["handlers"][h]["formatter"] for h in root_handlers} == {"json"}
    assert config["formatters"]["json"]["()"] is JsonFormatter
    for name in ["django", "django.request", "gunicorn.error", "gunicorn.access", "indicators"]:
        assert config["loggers"][name]["propagate"] is True
        assert config["loggers"][name]["handlers"] == []


def test_a_management_command_prints_no_log_line() -> None:
    """django-axes' 「AXES: BEGIN version …」 at start-up no longer lands on every command."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert done.stderr == ""
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_login_failures_of_django_axes_are_still_logged() -> None:
    config = settings.LOGGING["loggers"]
    assert config["axes"]["level"] == settings.LOGGING["root"]["level"]
    assert logging.getLogger("axes.handlers.database").isEnabledFor(logging.INFO)
    assert not logging.getLogger("axes.apps").isEnabledFor(logging.INFO)
