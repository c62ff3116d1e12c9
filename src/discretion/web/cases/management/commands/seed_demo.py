"""Create the demo organisation, its people and sample cases; or bulk-create N synthetic cases.

  python -m discretion.web.manage seed_demo                 # demo org, 5 people, a dozen cases
  python -m discretion.web.manage seed_demo --cases 10000   # plus 10,000 synthetic cases (load tests)

Demo people are marked is_demo; `discretion serve` without --demo disables them, so demo
credentials never work outside demo mode. Every person, name and number here is invented.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.timezone import localdate, now

from discretion.casefile import load_case
from discretion.errors import DiscretionError
from discretion.facts import CaseFacts
from discretion.web.accounts.models import Membership, Organisation, Role
from discretion.web.cases import actions
from discretion.web.cases.models import Case, CaseRevision, Status

DEMO_SLUG = "demo-legal-aid"
PEOPLE = [
    # username, first, last, role, org admin
    ("ana", "Ana", "Ruiz", Role.ATTORNEY, False),
    ("marcus", "Marcus", "Bell", Role.ACCREDITED, False),
    ("paula", "Paula", "Okoye", Role.STAFF, False),
    ("reed", "Reed", "Tanaka", Role.READ_ONLY, False),
    ("admin", "Dana", "Whitfield", Role.ATTORNEY, True),
]


def examples_folder() -> Path | None:
    """The fictional example cases: inside the installed package (the wheel force-includes
    examples/ as discretion/examples, pyproject.toml), else at the root of a source checkout."""
    import discretion

    package = Path(discretion.__file__).resolve().parent
    for folder in (package / "examples", package.parents[1] / "examples"):
        if folder.is_dir() and any(folder.glob("*.yaml")):
            return folder
    return None


COURTS = [
    "New York - Broadway",
    "New York - Varick",
    "Chicago",
    "Los Angeles - Olive",
    "San Francisco",
    "Houston",
    "Miami - Krome",
    "Newark",
    "Atlanta",
    "Adelanto",
    "Minneapolis",
    "Seattle",
    "Boston",
    "Dallas",
]
FIRST = [
    "María",
    "José",
    "Ana",
    "Luis",
    "Carmen",
    "Jorge",
    "Rosa",
    "Miguel",
    "Fatima",
    "Ahmed",
    "Thanh",
    "Mei",
    "Olga",
    "Ivan",
    "Grace",
    "Samuel",
    "Amina",
    "Kwame",
    "Lucía",
    "Diego",
    "Priya",
    "Ravi",
    "Esther",
    "Yusuf",
]
LAST = [
    "López",
    "García",
    "Hernández",
    "Martínez",
    "Nguyen",
    "Okafor",
    "Haddad",
    "Warsame",
    "Petrenko",
    "Chen",
    "Morales",
    "Reyes",
    "Cruz",
    "Mensah",
    "Singh",
    "Patel",
    "Flores",
    "Ramírez",
    "Ibrahim",
    "Kowalski",
]
COUNTRIES = [
    "Guatemala",
    "Honduras",
    "El Salvador",
    "Mexico",
    "Venezuela",
    "Somalia",
    "Vietnam",
    "Ukraine",
    "Ghana",
    "India",
    "China",
    "Haiti",
]
# As-of dates that fall under different policies, so the demo shows more than today's.
SCREEN_DATES = [None, date(2012, 6, 1), date(2016, 3, 1), date(2018, 5, 1), date(2022, 2, 1), None]


class Command(BaseCommand):
    help = "Create the demo organisation, people and sample cases; --cases N adds N synthetic cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=0, help="Also bulk-create this many synthetic cases."
        )
        parser.add_argument(
            "--password", default="", help="Password for every demo person (default: random)."
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--base-url", default="", help="Prefix of the printed person-side links.")

    def handle(self, *args, cases: int, password: str, seed: int, base_url: str = "", **options):
        if cases < 0 or cases > 1_000_000:
            raise CommandError("--cases must be between 0 and 1000000")
        password = password or secrets.token_urlsafe(9)
        org, users = ensure_demo_people(password)
        created = 0
        if not Case.objects.filter(organisation=org).exists():
            created = seed_samples(org, users)
        if cases:
            bulk_cases(org, users, cases, seed=seed)
        self.stdout.write(
            f"Demo organisation: {org.name} ({Case.objects.filter(organisation=org).count()} cases; {created} samples created now)"
        )
        self.stdout.write("Demo logins (demo mode only):")
        for username, first, last, role, is_admin in PEOPLE:
            label = Role(role).label + (", organisation admin" if is_admin else "")
            self.stdout.write(f"  {username:<8} {password}   {first} {last} — {label}")
        from discretion.web.client import demo

        self.stdout.write("The person's side (demo mode only):")
        for line in [*demo.seed(org, users, base_url=base_url), demo.mail_line()]:
            self.stdout.write(line)


def ensure_demo_people(password: str):
    User = get_user_model()
    org, _ = Organisation.objects.get_or_create(
        slug=DEMO_SLUG, defaults={"name": "Riverside Immigrant Legal Aid (demo)"}
    )
    users = {}
    for username, first, last, role, is_admin in PEOPLE:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        m = getattr(user, "membership", None)
        if m is not None and not m.is_demo:
            raise CommandError(f"user {username!r} exists and is not a demo user; refusing to touch it")
        user.is_active = True
        user.is_staff = is_admin  # the organisation admin also gets the back office
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"organisation": org, "role": role, "is_org_admin": is_admin, "is_demo": True}
        )
        users[username] = user
    _demo_signers(org, users)
    return org, users


def _demo_signers(org, users) -> None:
    """The demo letterhead and the representatives' signer profiles (fictional), so a demo
    letter has a complete signature block."""
    from discretion.web.documents.models import Letterhead, SignerProfile

    Letterhead.objects.get_or_create(
        organisation=org,
        defaults={
            "name": org.name.replace(" (demo)", ""),
            "address": "400 River Street, Suite 12, Riverside, CA 92501",
            "phone": "(951) 555-0190",
            "email": "intake@example.org",
        },
    )
    for username, kind, bar in (
        ("ana", "attorney", "555101"),
        ("admin", "attorney", "555102"),
        ("marcus", "accredited_representative", ""),
    ):
        user = users[username]
        SignerProfile.objects.get_or_create(
            user=user,
            defaults={
                "name": user.get_full_name(),
                "kind": kind,
                "bar_number": bar,
                "bar_state": "California" if bar else "",
                "eoir_id": f"ZZ{bar or '555103'}",
                "phone": "(951) 555-0191",
                "email": user.email,
            },
        )


def disable_demo_people() -> int:
    """Outside demo mode, demo logins must not work."""
    from discretion.web.client import demo as client_demo

    for org in Organisation.objects.filter(slug=DEMO_SLUG):
        client_demo.disable(org)
    User = get_user_model()
    demo = User.objects.filter(membership__is_demo=True, is_active=True)
    count = 0
    for user in demo:
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
        count += 1
    return count


def _examples() -> list[CaseFacts]:
    out = []
    folder = examples_folder()
    for path in sorted(folder.glob("*.yaml")) if folder else []:
        try:
            out.append(load_case(path))
        except DiscretionError:
            continue
    if not out:
        out.append(CaseFacts.model_validate({"identity": {"name": "Sample Person", "a_number": "200555001"}}))
    return out


def _variant(facts: CaseFacts, i: int, rng: random.Random, today: date) -> CaseFacts:
    data = facts.model_dump(mode="json", exclude_none=True)
    ident = data.setdefault("identity", {})
    ident["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
    ident["a_number"] = f"{rng.randint(200, 249)}{rng.randint(0, 999999):06d}"
    data["case_id"] = f"DEMO-{2026}-{100 + i}"
    proc = data.setdefault("proceedings", {})
    proc["court"] = rng.choice(COURTS)
    # Near dates, so the demo's "this week" page has hearings on it.
    days = [4, 9, 2, 13, 6, 20][i % 6]
    proc["next_hearing"] = {"date": (today + timedelta(days=days)).isoformat(), "kind": "master"}
    return CaseFacts.model_validate(data)


def seed_samples(org, users) -> int:
    rng = random.Random(7)
    today = localdate()
    attorneys = [users["ana"], users["marcus"], users["admin"]]
    samples = _examples()
    facts_list = list(samples) + [_variant(f, i, rng, today) for i, f in enumerate(samples[:6])]
    statuses = [
        Status.PREPARING,
        Status.INTAKE,
        Status.SUBMITTED,
        Status.PREPARING,
        Status.DECIDED,
        Status.INTAKE,
    ]
    for i, facts in enumerate(facts_list):
        case = actions.create_case(
            org,
            facts=facts,
            by=users["paula"],
            assigned_to=attorneys[i % len(attorneys)],
            status=statuses[i % len(statuses)],
        )
        on = SCREEN_DATES[i % len(SCREEN_DATES)]
        if on is not None:
            actions.screen_quietly(case, by=users["paula"], on=on)
        actions.screen_quietly(case, by=users["paula"], on=today)
        if i % 3 == 0:  # ana's cases: follow-ups fall due this week, one is overdue
            _demo_request(case, users, today - timedelta(days=20 + i))
    return len(facts_list)


def _demo_request(case, users, sent_on: date) -> None:
    from discretion.web.tracking.models import PDRequest, RequestStatus

    pd = PDRequest.objects.create(
        case=case,
        kind=case.requested_action or "dismissal",
        office="OPLA New York City",
        channel="email",
        created_by=users["ana"],
    )
    pd.set_status(
        RequestStatus.DRAFTED,
        by=users["paula"],
        on=sent_on - timedelta(days=3),
        note="Draft letter and exhibits ready",
    )
    pd.set_status(
        RequestStatus.SENT, by=users["ana"], on=sent_on, note="Emailed to the OPLA field office PD mailbox"
    )


def bulk_cases(org, users, n: int, *, seed: int = 2026) -> None:
    """Fast path for load tests: bulk inserts, no screening, one revision row per case."""
    rng = random.Random(seed)
    today = localdate()
    people = list(users.values())
    statuses = list(Status.values)
    batch = 1000
    created_at = now()
    start = Case.objects.filter(organisation=org).count()
    for offset in range(0, n, batch):
        objs = []
        for i in range(offset, min(n, offset + batch)):
            hearing = today + timedelta(days=rng.randint(-30, 400)) if rng.random() < 0.85 else None
            data: dict[str, Any] = {
                "case_id": f"BULK-{start + i:06d}",
                "identity": {
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}",
                    "a_number": f"{rng.randint(200, 249)}{rng.randint(0, 999999):06d}",
                    "country_of_birth": rng.choice(COUNTRIES),
                },
                "proceedings": {
                    "in_proceedings": True,
                    "court": rng.choice(COURTS),
                    "detained": rng.random() < 0.1,
                },
                "entry": {"first_entry_on": (today - timedelta(days=rng.randint(365, 9000))).isoformat()},
            }
            if hearing:
                data["proceedings"]["next_hearing"] = {"date": hearing.isoformat(), "kind": "master"}
            case = Case(
                organisation=org,
                status=rng.choice(statuses),
                assigned_to=rng.choice(people),
                created=created_at,
                updated=created_at - timedelta(minutes=i),
            )
            case.apply_facts(CaseFacts.model_validate(data))
            objs.append(case)
        with transaction.atomic():
            made = Case.objects.bulk_create(objs)
            if made and made[0].pk is None:  # backends that do not return ids
                made = list(Case.objects.filter(code__in=[c.code for c in objs]))
            CaseRevision.objects.bulk_create(
                [CaseRevision(case=c, version=1, facts=c.facts, section="") for c in made]
            )
