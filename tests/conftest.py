"""A small named cast shared by the tests."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from measures.models import ActionPlan


@pytest.fixture
def plan(db) -> ActionPlan:  # type: ignore[no-untyped-def]
    """The whole 前期 plan, loaded from fixtures/plan.json as a newcomer would."""
    call_command("loaddata", "plan", verbosity=0)
    current = ActionPlan.objects.current()
    assert current is not None
    return current


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_superuser("kanri", "kanri@example.com", "pw-kanri-1")
