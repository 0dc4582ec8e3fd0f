"""One-line JSON logs for Django and gunicorn, so that a log collector needs no parsing rules.

No Django imports: gunicorn's master process loads this before Django is set up.
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# gunicorn passes its access-log atoms as the record's args; these are worth a field of their own.
_ACCESS_ATOMS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "a": "user_agent",
}

APP_LOGGERS = ("isesaki", "measures", "indicators", "projects", "axes")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line (json.dumps escapes newlines)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_request_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    fields = {field: atoms[atom] for atom, field in _ACCESS_ATOMS.items()}
    status = str(fields["status"]).split(" ")[0]  # gunicorn may give "200" or "200 OK"
    fields["status"] = int(status) if status.isdigit() else None
    return fields


def _request_fields(record: logging.LogRecord) -> dict[str, Any]:
    if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
        return _access_fields(record.args)
    fields: dict[str, Any] = {}
    status_code = getattr(record, "status_code", None)  # django.request, django.server
    if status_code is not None:
        fields["status"] = status_code
    request = getattr(record, "request", None)
    if request is not None and hasattr(request, "path"):
        fields["method"] = request.method
        fields["path"] = request.path
    return fields


def logging_config(level: str) -> dict[str, Any]:
    """The dictConfig for both Django (settings.LOGGING) and gunicorn (logconfig_dict)."""
    propagate = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {**propagate, "level": level},
            "django.request": {**propagate},
            "django.server": {**propagate},
            "gunicorn.error": {**propagate, "level": level},
            "gunicorn.access": {**propagate, "level": "INFO"},
            **{name: {**propagate, "level": level} for name in APP_LOGGERS},
            # django-axes announces its version at INFO whenever Django starts, so every
            # management command would print a JSON line; its login failures and lockouts are
            # logged by other loggers (axes.handlers.*) and stay.
            "axes.apps": {**propagate, "level": "WARNING"},
            # WeasyPrint (the report's PDF) logs every layout step at INFO; its warnings (a
            # refused resource, an unsupported CSS property) stay.
            "weasyprint": {**propagate, "level": "WARNING"},
            "fontTools": {**propagate, "level": "WARNING"},
        },
    }
