"""docker-compose.yml, checked without a Docker engine: first against the compose specification's
JSON schema (the copy check-jsonschema ships), then for what production relies on."""

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = BASE_DIR / "docker-compose.yml"
ENV_EXAMPLE = BASE_DIR / ".env.example"
# ${NAME}, ${NAME:-default}, ${NAME:?error}; not $${NAME}, which the container's shell expands.
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>\w+)(?P<operator>:?[-?+])?[^}]*\}")
SECRET = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY$", re.IGNORECASE)
# Read by gunicorn itself, not by our code.
GUNICORN_VARIABLES = {"WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _schema() -> dict[str, Any]:
    vendored = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    return json.loads(vendored.read_text(encoding="utf-8"))


def _interpolations() -> list[re.Match[str]]:
    return list(INTERPOLATION.finditer(COMPOSE.read_text(encoding="utf-8")))


def _env_example_names() -> set[str]:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    return {m["name"] for line in lines if (m := re.match(r"#?(?P<name>[A-Z][A-Z0-9_]*)=", line))}


def test_docker_compose_yml_is_valid_under_the_compose_specification_schema(
    compose: dict[str, Any],
) -> None:
    schema = _schema()
    validator_class = validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)

    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(compose)
    ]

    assert errors == []


def test_the_schema_check_would_catch_a_misspelt_condition(compose: dict[str, Any]) -> None:
    schema = _schema()
    broken = {**compose, "services": {**compose["services"]}}
    broken["services"]["app"] = {
        **compose["services"]["app"],
        "depends_on": {"db": {"condition": "healthy"}},
    }

    assert not validator_for(schema)(schema).is_valid(broken)


def test_the_database_is_postgresql_16_and_healthy_only_when_pg_isready_answers(
    compose: dict[str, Any],
) -> None:
    db = compose["services"]["db"]
    test = db["healthcheck"]["test"]

    assert db["image"].startswith("postgres:16")
    assert test[0] in {"CMD", "CMD-SHELL"}
    assert "pg_isready" in " ".join(test[1:])


def test_the_app_starts_only_once_the_database_is_healthy(compose: dict[str, Any]) -> None:
    assert compose["services"]["app"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_database_keeps_its_files_in_a_named_volume(compose: dict[str, Any]) -> None:
    mounts = [m.split(":") for m in compose["services"]["db"]["volumes"]]
    [source] = [source for source, target, *_ in mounts if target == "/var/lib/postgresql/data"]

    assert source in compose["volumes"]
    assert not source.startswith((".", "/", "~"))  # a named volume, not a folder of the host


def test_the_app_container_holds_no_state_and_reads_no_configuration_files(
    compose: dict[str, Any],
) -> None:
    app = compose["services"]["app"]

    assert {"volumes", "configs", "secrets", "command"}.isdisjoint(app)
    assert app["env_file"] == ".env"
    assert app["environment"]["DEBUG"] == "false"


def test_the_database_is_not_published_on_the_host(compose: dict[str, Any]) -> None:
    assert "ports" not in compose["services"]["db"]


def test_no_secret_has_a_default_value() -> None:
    secrets = [m for m in _interpolations() if SECRET.search(m["name"])]

    assert {m["name"] for m in secrets} >= {"SECRET_KEY", "POSTGRES_PASSWORD"}
    assert [m[0] for m in secrets if m["operator"] != ":?"] == []


def test_no_secret_is_written_into_the_compose_file(compose: dict[str, Any]) -> None:
    for service in compose["services"].values():
        for name, value in service.get("environment", {}).items():
            if SECRET.search(name):
                assert INTERPOLATION.fullmatch(str(value)), f"{name} must come from .env"


def test_every_variable_the_compose_file_reads_is_explained_in_env_example() -> None:
    assert {m["name"] for m in _interpolations()} - _env_example_names() == set()


def test_every_variable_in_env_example_is_read_by_the_app_compose_or_gunicorn() -> None:
    readers = [BASE_DIR / "isesaki" / "settings.py", COMPOSE, *(BASE_DIR / "docker").iterdir()]
    text = "\n".join(path.read_text(encoding="utf-8") for path in readers)
    unread = {name for name in _env_example_names() if not re.search(rf"\b{name}\b", text)}
    unread -= {m["name"] for m in _interpolations()} | GUNICORN_VARIABLES

    assert unread == set()


def test_env_example_ships_no_secret_values() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()

    assert "SECRET_KEY=" in lines
    assert "POSTGRES_PASSWORD=" in lines


def test_the_database_runs_without_jit_and_the_app_shares_a_database_cache(
    compose: dict[str, Any],
) -> None:
    """JIT compiling made the dashboards' status queries 13× slower (issue 16); several app
    containers share the page cache only through a backend outside their processes."""
    assert compose["services"]["db"]["command"] == ["postgres", "-c", "jit=off"]
    assert compose["services"]["app"]["environment"]["KPI_CACHE"].endswith("database}")
    entrypoint = (BASE_DIR / "docker" / "entrypoint.sh").read_text(encoding="utf-8")
    assert "manage.py createcachetable" in entrypoint
