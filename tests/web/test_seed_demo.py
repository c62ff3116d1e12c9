from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from discretion.web.accounts.models import Membership
from discretion.web.cases.management.commands.seed_demo import DEMO_SLUG, disable_demo_people
from discretion.web.cases.models import Case


def test_it_creates_the_demo_organisation_with_every_role(db):
    out = StringIO()
    call_command("seed_demo", password="demo-pass-123", stdout=out)
    roles = set(Membership.objects.filter(organisation__slug=DEMO_SLUG).values_list("role", flat=True))
    assert roles == {"attorney", "accredited", "staff", "read_only"}
    assert Membership.objects.filter(is_org_admin=True, is_demo=True).exists()
    assert Case.objects.filter(organisation__slug=DEMO_SLUG).count() >= 12
    assert "demo-pass-123" in out.getvalue()


def test_it_bulk_creates_cases(db):
    call_command("seed_demo", cases=1500, password="demo-pass-123", stdout=StringIO())
    cases = Case.objects.filter(reference__startswith="BULK-")
    assert cases.count() == 1500
    assert cases.exclude(name="").count() == 1500
    assert cases.filter(revisions__version=1).count() == 1500


def test_demo_logins_stop_working_outside_demo_mode(client, db):
    call_command("seed_demo", password="demo-pass-123", stdout=StringIO())
    disable_demo_people()
    r = client.post("/accounts/login/", {"username": "ana", "password": "demo-pass-123"})
    assert r.status_code == 400
