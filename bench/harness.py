"""The harness the benchmarks share: options, one child process per database engine, and a
scratch database made before and dropped after each measurement.

A bench script calls ``run(__doc__, measure, name=..., options={"--rows": 10_000, ...})``.
Run plainly, it starts itself again once per engine (``--db both|sqlite|postgres``) with
``DATABASE_URL`` set, so each engine gets a fresh Django with its own settings; in that child,
``measure(args)`` runs inside a scratch database (``test_<name>``) that is dropped afterwards,
also when the measurement fails.

PostgreSQL: ``BENCH_POSTGRES_URL`` names the server and a database name from which the
scratch one is derived (default ``postgres://postgres@127.0.0.1:5432/kpi_bench_<name>``); the
role needs CREATEDB. SQLite: the scratch database is a file in /tmp, as in production, not the
tests' in-memory one.
"""

import argparse
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sqlite", "postgres")

Measure = Callable[[argparse.Namespace], None]


def run(
    doc: str | None,
    measure: Measure,
    *,
    name: str,
    options: Mapping[str, int],
    db: str = "both",
) -> None:
    """Parses the command line (integer ``options`` with their defaults, plus ``--db`` with
    ``db`` as its default), then either starts one child per engine or, in a child, measures
    in a scratch database."""
    args = _parser(doc, options, db).parse_args()
    if args.child:
        _in_scratch_database(name, measure, args)
    else:
        for engine in ENGINES if args.db == "both" else (args.db,):
            _start_child(name, engine)


def _parser(doc: str | None, options: Mapping[str, int], db: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    for option, default in options.items():
        parser.add_argument(option, type=int, default=default, help=f"default {default:_}")
    parser.add_argument("--db", choices=["both", *ENGINES], default=db)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser


def _database_url(name: str, engine: str) -> str:
    if engine == "sqlite":
        return f"sqlite:////tmp/kpi_bench_{name}_{os.getpid()}.sqlite3"
    default = f"postgres://postgres@127.0.0.1:5432/kpi_bench_{name}"
    return os.environ.get("BENCH_POSTGRES_URL", default)


def _start_child(name: str, engine: str) -> None:
    print(f"== {engine} ==", flush=True)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(name, engine),
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
    }
    # The same command line again; a later --db wins over an earlier one.
    command = [sys.executable, sys.argv[0], *sys.argv[1:], "--db", engine, "--child"]
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def _in_scratch_database(name: str, measure: Measure, args: argparse.Namespace) -> None:
    # As in the tests (pyproject): STATIC_ROOT exists only after collectstatic.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isesaki.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"/tmp/kpi_bench_{name}_{os.getpid()}"
    # DEBUG off: it would keep every query's SQL in memory. The test environment also lets
    # the test client's "testserver" host in.
    setup_test_environment(debug=False)
    scratch = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    print(f"scratch database {scratch}", flush=True)
    try:
        measure(args)
    finally:
        connection.creation.destroy_test_db(scratch, verbosity=0)
