"""Plain builders for web tests (no factory library): make_org, make_user, make_case."""

from __future__ import annotations

from datetime import date


def make_org(name: str):
    from discretion.web.accounts.models import Organisation

    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_user(
    username: str,
    org,
    role: str = "attorney",
    *,
    admin: bool = False,
    password: str = "correct horse battery",
):
    from django.contrib.auth import get_user_model

    from discretion.web.accounts.models import Membership

    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=username.title()
    )
    Membership.objects.create(user=user, organisation=org, role=role, is_org_admin=admin)
    return user


def make_case(org, *, by=None, assigned_to=None, screen: bool = False, **facts):
    """A case with facts; keyword arguments are CaseFacts sections (identity={...})."""
    from discretion.facts import CaseFacts
    from discretion.web.cases import actions

    data = {"identity": {"name": "Alma Quintero Sol", "a_number": "208555014"}} | facts
    case = actions.create_case(org, facts=CaseFacts.model_validate(data), by=by, assigned_to=assigned_to)
    if screen:
        actions.screen_case(case, by=by, on=date(2025, 6, 1))
    return case
