"""Running a management command (manage.py): a database that does not answer is one Japanese
line and exit status 1, not a traceback, for every command — ours, Django's and the libraries'.
Any other database error is a bug and keeps its traceback."""

import sys
from collections.abc import Sequence

from django.core.management import execute_from_command_line
from django.db import DatabaseError, InterfaceError, OperationalError, connections

EXIT_DATABASE_DOWN = 1


def run(argv: Sequence[str]) -> None:
    try:
        execute_from_command_line(list(argv))
    except (OperationalError, InterfaceError) as error:
        if _database_answers():
            raise
        sys.stderr.write(database_down_message() + "\n")
        raise SystemExit(EXIT_DATABASE_DOWN) from error


def database_down_message() -> str:
    settings = connections["default"].settings_dict
    where = settings.get("NAME") or ""
    if settings.get("HOST"):
        where = f"{settings['HOST']}:{settings.get('PORT') or '既定のポート'}／{where}"
    return (
        f"データベースに接続できません（{where}）。データベースが動いているか、"
        "DATABASE_URL が正しいかを確かめてください。何も変更していません。"
    )


def _database_answers() -> bool:
    connection = connections["default"]
    try:
        connection.close()
        connection.ensure_connection()
    except DatabaseError:
        return False
    return True
