"""The Dockerfile, read as text (no Docker engine here): the properties production relies on."""

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
COMPILERS = re.compile(r"\b(build-essential|gcc|g\+\+|clang|make|libpq-dev|python3-dev)\b")

Instruction = tuple[str, str]


def _instructions() -> list[Instruction]:
    """(INSTRUCTION, arguments) pairs; continuation lines joined, comments dropped."""
    text = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    pairs = [line.strip().split(maxsplit=1) for line in joined.splitlines() if line.strip()]
    return [(pair[0].upper(), pair[1] if len(pair) > 1 else "") for pair in pairs]


def _stages() -> list[list[Instruction]]:
    stages: list[list[Instruction]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


def _final() -> list[Instruction]:
    return _stages()[-1]


def _arguments(stage: list[Instruction], name: str) -> list[str]:
    return [args for instruction, args in stage if instruction == name]


def _healthcheck_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", BASE_DIR / "docker/healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_image_is_built_in_stages_from_python_3_11_slim() -> None:
    bases = [stage[0][1].split()[0] for stage in _stages()]

    assert len(bases) >= 2
    assert all(base == "python:3.11-slim" for base in bases)


def test_wheels_are_built_in_the_builder_and_installed_without_an_index() -> None:
    builder = " ".join(_arguments(_stages()[0], "RUN"))
    final = " ".join(_arguments(_final(), "RUN") + _arguments(_final(), "COPY"))

    assert "pip wheel" in builder
    assert "from=builder" in final
    assert "--no-index" in final


def test_the_builder_makes_the_wheels_of_the_lock_checking_its_hashes() -> None:
    builder = _stages()[0]
    runs = " ".join(_arguments(builder, "RUN"))

    assert any("requirements.lock" in copy for copy in _arguments(builder, "COPY"))
    assert "-r requirements.lock" in runs
    assert "--require-hashes" in runs


RUNTIME_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-cjk", "poppler-utils"]


def test_the_final_image_installs_no_compiler() -> None:
    final = " ".join(_arguments(_final(), "RUN"))

    # Only the report's runtime libraries: pango for WeasyPrint, the fonts it embeds, poppler
    installed = re.findall(r"apt-get install -y --no-install-recommends ([^&]+)", final)
    assert [p.split() for p in installed] == [RUNTIME_PACKAGES]
    assert not COMPILERS.search(final)


def test_the_image_itself_defaults_to_debug_off() -> None:
    settings = " ".join(_arguments(_final(), "ENV"))

    assert re.search(r"(^|\s)DEBUG=false(\s|$)", settings), settings


def test_the_app_runs_as_a_user_other_than_root() -> None:
    users = _arguments(_final(), "USER")

    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_static_files_are_collected_when_the_image_is_built() -> None:
    assert any("collectstatic" in run for run in _arguments(_final(), "RUN"))


def test_the_image_checks_its_health_at_healthz() -> None:
    [healthcheck] = _arguments(_final(), "HEALTHCHECK")
    probe = json.loads(healthcheck.split("CMD", 1)[1])
    script = next(arg for arg in probe if arg.endswith(".py"))

    assert "/healthz" in (BASE_DIR / script.removeprefix("/app/")).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("kpi.example.jp,localhost", "kpi.example.jp"),
        (".example.jp", "example.jp"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_probe_sends_a_host_that_allowed_hosts_accepts(
    allowed_hosts: str, host: str
) -> None:
    assert _healthcheck_module().probe_host(allowed_hosts) == host


def test_gunicorn_runs_with_a_raised_timeout_and_without_a_control_socket() -> None:
    [cmd] = _arguments(_final(), "CMD")
    command = json.loads(cmd)
    timeout = int(command[command.index("--timeout") + 1])

    assert command[0] == "gunicorn"
    assert timeout >= 120  # admin imports of large files take longer than the default 30 s
    assert "--no-control-socket" in command


def test_the_entrypoint_migrates_and_then_hands_over_to_the_command() -> None:
    [entrypoint] = _arguments(_final(), "ENTRYPOINT")
    script = (BASE_DIR / "docker" / "entrypoint.sh").read_text(encoding="utf-8")

    assert "docker/entrypoint.sh" in entrypoint
    assert "manage.py migrate" in script
    assert script.rstrip().endswith('exec "$@"')


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = (BASE_DIR / ".dockerignore").read_text(encoding="utf-8").splitlines()

    assert {".env", "db.sqlite3", ".venv", ".git", "staticfiles"} <= set(ignored)


def test_gunicorn_freezes_the_garbage_collector_and_collects_less_often_in_a_worker() -> None:
    import gc
    import runpy

    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "docker/gunicorn.conf.py"))
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    try:
        config["post_worker_init"](object())
        assert gc.get_freeze_count() > before
        assert gc.get_threshold() == config["GC_THRESHOLDS"]
        assert gc.get_threshold()[0] > thresholds[0]  # fewer collections than the default
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
