"""Shared test fixtures: the reference data is loaded once per test database, people are made per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from langson.core.services.seed import load_reference_data

    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def fresh_calendars() -> None:
    """Each test's rolled-back data must not live on in the process's caches (calendars, unit loads)."""
    from langson.core.services.calendar import forget_calendars
    from langson.services.assignment import forget_loads

    forget_calendars()
    forget_loads()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from langson.core.models import OrgUnit, User

    def make(
        username: str,
        role: str,
        unit_code: str | None = None,
        password: str = "mat-khau-thu-nghiem",  # noqa: S107
    ) -> Any:
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        user = User(username=username, role=role, org_unit=unit, full_name=username.title())
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def commune_officer(make_user: Callable[..., Any]) -> Any:
    return make_user("canbo.dongdang", "commune_officer", "6184")


@pytest.fixture
def administrator(make_user: Callable[..., Any]) -> Any:
    return make_user("quantri.test", "administrator")


@pytest.fixture
def api_client() -> Callable[..., Any]:
    """A client that calls the API with a bearer key of the given person, as a machine client would."""
    from django.test import Client

    from langson.core.api_auth import issue_token

    def make(user: Any) -> Any:
        _, key = issue_token(user, "pytest")
        return Client(headers={"Authorization": f"Bearer {key}"})

    return make
