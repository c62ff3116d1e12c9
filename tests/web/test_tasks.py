"""Tasks on a case, with follow-ups and hearings among them, and the What is due page."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse
from web_builders import make_case, make_user

from discretion.web.audit.models import AuditEvent
from discretion.web.tracking.models import PDRequest, Task


def _add(client, case, **data):
    return client.post(
        reverse("cases:task_new", kwargs={"code": case.code}), {"title": "Get school records"} | data
    )


def test_it_adds_a_task_with_due_date_and_assignee_and_audits_it(client, alice, bob, case):
    client.force_login(alice)

    r = _add(client, case, due_on="2026-03-02", assigned_to=bob.pk)

    assert r.status_code == 302 and r["Location"].endswith("#tasks")
    task = Task.objects.get(case=case)
    assert (task.title, task.due_on, task.assigned_to, task.done) == (
        "Get school records",
        date(2026, 3, 2),
        bob,
        False,
    )
    assert AuditEvent.objects.filter(action="create", object_type="Task", case=case).exists()
    page = client.get(reverse("cases:detail", kwargs={"code": case.code})).content.decode()
    assert "Get school records" in page and "For Bob" in page


def test_bad_task_input_names_the_field_and_keeps_what_was_typed(client, alice, case, charlie):
    client.force_login(alice)
    r = _add(client, case, title="   ", due_on="next Tuesday")
    body = r.content.decode()
    assert r.status_code == 400
    assert "Task: Say what needs doing." in body and "Due: Enter a valid date." in body
    assert 'value="next Tuesday"' in body
    r = _add(client, case, assigned_to=charlie.pk)  # not a member of Alpha
    assert r.status_code == 400 and "For: Select a valid choice." in r.content.decode()
    assert not Task.objects.exists()


def test_read_only_members_cannot_be_given_tasks(client, alice, rita, case):
    client.force_login(alice)
    assert _add(client, case, assigned_to=rita.pk).status_code == 400


def test_done_reopen_edit_and_delete(client, alice, bob, case):
    client.force_login(bob)
    _add(client, case)
    task = Task.objects.get()

    client.post(reverse("tracking:task_done", kwargs={"code": task.code}))
    task.refresh_from_db()
    assert task.done and task.done_by == bob and task.done_at is not None

    client.post(reverse("tracking:task_done", kwargs={"code": task.code}), {"done": "0"})
    task.refresh_from_db()
    assert not task.done and task.done_by is None

    r = client.get(reverse("tracking:task_edit", kwargs={"code": task.code}))
    assert r.status_code == 200 and 'value="Get school records"' in r.content.decode()
    client.post(
        reverse("tracking:task_edit", kwargs={"code": task.code}),
        {"title": "Get report cards", "due_on": "2026-04-01"},
    )
    task.refresh_from_db()
    assert (task.title, task.due_on) == ("Get report cards", date(2026, 4, 1))

    client.post(reverse("tracking:task_delete", kwargs={"code": task.code}))
    assert not Task.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="Task").exists()


@time_machine.travel("2026-03-02 09:00-05:00")
def test_what_is_due_has_my_tasks_follow_ups_and_hearings_by_day(client, alice, bob, alpha):
    mine = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Mina Mine"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2026-03-05", "time": "8:30 AM"}},
    )
    theirs = make_case(alpha, assigned_to=bob, identity={"name": "Theo Theirs"})
    PDRequest.objects.create(case=mine, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 20))
    Task.objects.create(case=mine, title="Overdue call", due_on=date(2026, 2, 27))
    Task.objects.create(case=mine, title="Today's filing", due_on=date(2026, 3, 2), assigned_to=alice)
    Task.objects.create(case=theirs, title="Alice helps Bob", due_on=date(2026, 3, 4), assigned_to=alice)
    Task.objects.create(case=theirs, title="Bob's own", due_on=date(2026, 3, 3))
    Task.objects.create(case=mine, title="Someday", assigned_to=alice)
    Task.objects.create(case=mine, title="Done already", due_on=date(2026, 3, 2), done=True)
    client.force_login(alice)

    r = client.get(reverse("tracking:due"))

    body = r.content.decode()
    overdue, today, ahead, undated = (
        body.split('id="due-overdue"')[1].split("</section>")[0],
        body.split('id="due-today"')[1].split("</section>")[0],
        body.split('id="due-ahead"')[1].split("</section>")[0],
        body.split('id="due-undated"')[1].split("</section>")[0],
    )
    assert "Overdue call" in overdue and "Follow up on the PD request" in overdue  # 30 days after Jan 20
    assert "Chase the open PD request" in overdue  # 14 days before the hearing
    assert "Today&#x27;s filing" in today
    assert "Alice helps Bob" in ahead and "Hearing" in ahead
    assert "Someday" in undated
    assert "Bob&#x27;s own" not in body and "Done already" not in body

    everyone = client.get(reverse("tracking:due"), {"who": "all"}).content.decode()
    assert "Bob&#x27;s own" in everyone
    bobs = client.get(reverse("tracking:due"), {"who": str(bob.pk)}).content.decode()
    assert "Bob&#x27;s own" in bobs and "Overdue call" not in bobs
    wrong = client.get(reverse("tracking:due"), {"who": "999999", "days": "365"})
    assert wrong.status_code == 200 and "Whose: choose someone from the list" in wrong.content.decode()


def test_a_closed_case_has_no_follow_ups_but_keeps_its_tasks(client, alice, case):
    from discretion.web.cases.models import Case

    PDRequest.objects.create(case=case, kind="dismissal").set_status("sent", by=alice, on=date(2020, 1, 1))
    Task.objects.create(
        case=case, title="Send the closing letter", due_on=date(2020, 1, 1), assigned_to=alice
    )
    Case.objects.filter(pk=case.pk).update(status="closed")
    client.force_login(alice)
    body = client.get(reverse("tracking:due")).content.decode()
    assert "Send the closing letter" in body and "Follow up on the PD request" not in body


def test_the_dashboard_shows_tasks_due_this_week(client, alice, case):
    from django.utils.timezone import localdate

    Task.objects.create(case=case, title="Draft the declaration", due_on=localdate(), assigned_to=alice)
    client.force_login(alice)
    body = client.get(reverse("tracking:dashboard")).content.decode()
    assert "Draft the declaration" in body and 'class="due-task"' in body


def test_the_digest_switch_is_kept_per_person(client, alice):
    from discretion.web.tracking.models import DigestPreference

    client.force_login(alice)
    client.post(reverse("tracking:digest"), {})
    assert DigestPreference.objects.get(user=alice).daily is False
    client.post(reverse("tracking:digest"), {"daily": "on"})
    assert DigestPreference.objects.get(user=alice).daily is True


def test_a_colleague_in_another_organisation_cannot_touch_a_task(client, case, other_org):
    outsider = make_user("olga", other_org)
    task = Task.objects.create(case=case, title="Private")
    client.force_login(outsider)
    assert client.post(reverse("tracking:task_done", kwargs={"code": task.code})).status_code == 404
    assert not Task.objects.get().done
