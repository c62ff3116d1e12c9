"""Every URL of the workbench, reversed with Alpha's objects, requested by someone who must not
see them: an anonymous visitor and a member of another organisation. A new URL is covered
automatically; a URL with a parameter this test does not know fails until it is taught here."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from web_builders import make_user

from discretion.web.tracking.models import PDRequest, RequestStatus

SKIP_NAMESPACES = {"admin"}  # Django's admin: staff-only, filtered by organisation (test_admin.py)
PUBLIC = {"accounts:login", "healthz"}
# The person's pages: no login by design (a public booking page, or a private link's own token).
PERSON_PAGES = {
    "booking:start",
    "booking:court",
    "booking:safety",
    "booking:detained",
    "booking:hearing",
    "booking:day",
    "booking:time",
    "booking:contact",
    "booking:check",
    "booking:manage",
    "booking:calendar",
    "booking:cancel",
    "booking:move_day",
    "booking:move_time",
    "intake:open",
    "intake:home",
    "intake:next",
    "intake:question",
    "intake:entry",
    "intake:more",
    "intake:documents",
    "intake:document",
    "intake:review",
    "intake:summary",
    "intake:leave",
}
PUBLIC |= PERSON_PAGES


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIP_NAMESPACES:
                continue
            yield from _patterns(p, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", list(p.pattern.converters)


ALL_URLS = sorted({(name, tuple(params)) for name, params in _patterns()})


@pytest.fixture
def world(alpha, alice, case, charlie, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from discretion.web.accounts.models import CalendarFeed
    from discretion.web.cases.models import CaseNote
    from discretion.web.files.store import store
    from discretion.web.tracking.models import Task

    pd = PDRequest.objects.create(case=case, kind="dismissal", office="OPLA Chicago", created_by=alice)
    pd.set_status(RequestStatus.SENT, by=alice)
    task = Task.objects.create(case=case, title="Call Alma Quintero about the lease", assigned_to=alice)
    note = CaseNote.objects.create(case=case, body="Alma Quintero called: secret lease found", author=alice)
    f = store(SimpleUploadedFile("lease.pdf", b"%PDF-1.4 secret lease"), case=case, by=alice)
    CalendarFeed.objects.create(user=alice)
    charlie_feed = CalendarFeed.objects.create(user=charlie)
    from datetime import UTC, datetime

    from discretion.web.booking.models import Booking, ConsultationPage
    from discretion.web.intake import actions as intake_actions

    ConsultationPage.objects.create(organisation=alpha, slug="alpha-book", published=True)
    booking = Booking.objects.create(
        organisation=alpha,
        practitioner=alice,
        starts_at=datetime(2031, 1, 6, 15, tzinfo=UTC),
        ends_at=datetime(2031, 1, 6, 16, tzinfo=UTC),
        time_zone="UTC",
        in_court="yes",
        detained="no",
        name="Booked Person",
        phone="1",
    )
    invitation, _token = intake_actions.invite(case, by=alice)
    from discretion.web.cases.models import ScreeningRecord
    from discretion.web.documents.models import GeneratedDocument

    failed_build = GeneratedDocument.objects.create(
        case=case,
        kind="packet",
        status="failed",
        error="Alma Quintero's exhibit is damaged",
        screening=ScreeningRecord.objects.filter(case=case).first(),
        case_version=case.version,
        facts_digest="x",
        policy_id="p",
        policy_sha256="y",
    )
    return {
        "failed_build": failed_build,
        "case": case,
        "pd": pd,
        "file": f,
        "charlie_feed": charlie_feed,
        "booking": booking,
        "invitation": invitation,
        "task": task,
        "note": note,
    }


def _kwargs(name: str, params: tuple[str, ...], world) -> dict:
    kwargs = {}
    for param in params:
        if param == "code":
            if name.startswith("cases:note_") and name != "cases:note_new":
                kwargs["code"] = world["note"].code
            elif name.startswith("tracking:task_"):
                kwargs["code"] = world["task"].code
            elif name == "documents:remove":
                kwargs["code"] = world["failed_build"].code
            elif name.startswith(("cases:", "documents:")):
                kwargs["code"] = world["case"].code
            elif name.startswith("tracking:request"):
                kwargs["code"] = world["pd"].code
            elif name == "download":
                kwargs["code"] = world["file"].code
            elif name == "intake:case":
                kwargs["code"] = world["case"].code
            elif name.startswith("intake:"):
                kwargs["code"] = world["invitation"].code
            elif name.startswith("booking:"):
                kwargs["code"] = world["booking"].code
            else:
                pytest.fail(f"teach test_access_matrix which object {name}'s <code> is")
        elif param == "user_id":
            kwargs["user_id"] = world["case"].assigned_to_id  # alice
        elif param == "section":
            kwargs["section"] = "identity"
        elif param == "token" and name == "tracking:feed":
            # A feed token is a credential of its own: use the outsider's own token and check
            # it shows nothing of Alpha's.
            kwargs["token"] = world["charlie_feed"].token
        elif param == "token":
            kwargs["token"] = "not-a-token-of-anyone"  # a guessed link: a plain page, nothing of Alpha's
        elif param == "slug":
            kwargs["slug"] = "alpha-book"
        elif param == "day":
            kwargs["day"] = "2031-01-06"
        elif param == "path":
            kwargs["path"] = "identity.date_of_birth"
        elif param == "item_id":
            kwargs["item_id"] = "passport"
        elif param == "lang":
            kwargs["lang"] = "en"
        elif param == "pk":
            kwargs["pk"] = 1
        else:
            pytest.fail(f"teach test_access_matrix the URL parameter {param!r} of {name}")
    return kwargs


SECRETS = ("Alma Quintero", "208555014", "208-555-014", "ALPHA-1", "secret lease", "about the lease")


def _assert_no_case_data(response, label):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    for secret in SECRETS:
        assert secret.encode() not in body, f"{label} leaked {secret!r}"


@pytest.mark.parametrize(("name", "params"), ALL_URLS, ids=[n for n, _ in ALL_URLS])
def test_it_shows_nothing_to_anonymous_visitors(client, world, name, params):
    url = reverse(name, kwargs=_kwargs(name, params, world))
    for method in ("get", "post"):
        r = getattr(client, method)(url)
        _assert_no_case_data(r, f"anonymous {method.upper()} {url}")
        if name in PUBLIC or name == "tracking:feed":
            assert r.status_code < 500, f"anonymous {method.upper()} {url}: {r.status_code}"
            continue
        assert r.status_code in (302, 404, 405), f"anonymous {method.upper()} {url}: {r.status_code}"
        if r.status_code == 302:
            assert r["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "params"), ALL_URLS, ids=[n for n, _ in ALL_URLS])
def test_it_shows_nothing_to_other_organisations(client, world, charlie, name, params):
    client.force_login(charlie)
    url = reverse(name, kwargs=_kwargs(name, params, world))
    for method in ("get", "post"):
        r = getattr(client, method)(url)
        _assert_no_case_data(r, f"charlie {method.upper()} {url}")
        if "code" in params or "user_id" in params:
            assert r.status_code in (404, 405), f"charlie {method.upper()} {url}: {r.status_code}"


def test_every_case_url_is_in_the_matrix():
    names = {n for n, _ in ALL_URLS}
    assert {"cases:detail", "cases:section", "tracking:request", "download", "tracking:feed"} <= names
    new = {"cases:note_new", "cases:note_edit", "cases:note_delete", "cases:task_new", "cases:export_yaml"}
    new |= {"cases:list_csv", "tracking:due", "tracking:digest", "tracking:task_edit", "tracking:task_done"}
    assert new | {"tracking:task_delete", "documents:editor"} <= names


@pytest.mark.parametrize(("name", "params"), ALL_URLS, ids=[n for n, _ in ALL_URLS])
def test_read_only_members_can_change_nothing(client, world, rita, name, params):
    from discretion.web.audit.models import AuditEvent
    from discretion.web.cases.models import Case

    client.force_login(rita)
    case = world["case"]
    from discretion.web.cases.models import CaseNote
    from discretion.web.documents.models import GeneratedDocument
    from discretion.web.tracking.models import Task

    def state():
        return (
            Case.objects.get(pk=case.pk).version,
            Case.objects.get(pk=case.pk).status,
            PDRequest.objects.get(pk=world["pd"].pk).status,
            list(Task.objects.filter(case=case).values_list("title", "done", "due_on")),
            list(CaseNote.objects.filter(case=case).values_list("body", flat=True)),
            PDRequest.objects.filter(case=case).count(),
            Case.objects.count(),
            GeneratedDocument.objects.count(),
        )

    before = state()
    url = reverse(name, kwargs=_kwargs(name, params, world))
    r = client.post(
        url,
        {
            "identity.name": "Changed",
            "version": case.version,
            "new_status": "denied",
            "on": "2025-01-01",
            "title": "Changed",
            "body": "Changed",
            "status": "closed",
            "closing_reason": "other",
            "why": "x",
            "kind": "dismissal",
            "channel": "email",
            "done": "1",
        },
    )
    if name not in PUBLIC | {
        "accounts:logout",
        "accounts:password",
        "tracking:calendar",
        "tracking:feed",
        "tracking:digest",
        "audit",
    }:
        assert r.status_code in (403, 405), f"rita POST {url}: {r.status_code}"
    assert state() == before
    assert not AuditEvent.objects.filter(
        user=rita, action__in=["change", "create", "delete"], case=case
    ).exists()


def test_a_member_without_an_organisation_sees_no_cases(client, world, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x" * 12)
    client.force_login(loner)
    assert client.get(reverse("cases:detail", kwargs={"code": world["case"].code})).status_code == 404
    assert client.get(reverse("cases:list")).status_code == 404


def test_a_colleague_sees_the_case(client, world, bob):
    client.force_login(bob)
    r = client.get(reverse("cases:detail", kwargs={"code": world["case"].code}))
    assert r.status_code == 200
    assert b"Alma Quintero" in r.content


def test_make_user_helper_works(other_org):
    assert make_user("zed", other_org).membership.organisation == other_org
