"""The environment helpers of isesaki/settings.py: a yes/no variable is read strictly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from isesaki.settings import env_bool

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " On "])
def test_env_bool_reads_the_yes_words_in_any_case(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KPI_SOME_FLAG", value)

    assert env_bool("KPI_SOME_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "NO", "off", "Off\n"])
def test_env_bool_reads_the_no_words_in_any_case(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KPI_SOME_FLAG", value)

    assert env_bool("KPI_SOME_FLAG", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_falls_back_to_the_default_when_the_variable_is_unset(
    monkeypatch: pytest.MonkeyPatch, default: bool
) -> None:
    monkeypatch.delenv("KPI_SOME_FLAG", raising=False)

    assert env_bool("KPI_SOME_FLAG", default) is default


@pytest.mark.parametrize("value", ["ture", "flase", "y", "n", "2", "", "enabled", "真"])
def test_env_bool_refuses_a_value_it_does_not_know_naming_the_variable_and_the_accepted_words(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KPI_SOME_FLAG", value)

    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("KPI_SOME_FLAG", True)

    message = str(refused.value)
    assert f"KPI_SOME_FLAG={value!r}" in message
    assert "1/0, true/false, yes/no, on/off" in message


def test_the_site_refuses_to_start_with_a_misspelt_yes_no_setting() -> None:
    environment = {
        **os.environ,
        "AXES_ENABLED": "ture",
        "DJANGO_SETTINGS_MODULE": "isesaki.settings",
    }
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert started.returncode != 0
    assert "ImproperlyConfigured: AXES_ENABLED='ture' is not a yes/no value" in started.stderr
    assert "1/0, true/false, yes/no, on/off" in started.stderr


@pytest.mark.parametrize(
    ("value", "backend"),
    [("locmem", "LocMemCache"), ("database", "DatabaseCache"), ("redis", None)],
)
def test_kpi_cache_chooses_the_page_caches_backend(value: str, backend: str | None) -> None:
    environment = {
        **os.environ,
        "KPI_CACHE": value,
        "DJANGO_SETTINGS_MODULE": "isesaki.settings",
    }
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.CACHES['default']['BACKEND'])"
    started = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True
    )
    if backend is None:
        assert started.returncode != 0 and "KPI_CACHE='redis'" in started.stderr
    else:
        assert started.stdout.strip().endswith(backend)
