"""The daily e-mail of what is due: one per person and day, whoever runs it and however often."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from web_builders import make_case, make_user

from discretion.web.tracking.digest import send_digests
from discretion.web.tracking.models import DigestDelivery, DigestPreference, PDRequest, Task

TODAY = date(2026, 3, 2)


def _world(alpha, alice, bob):
    alice.email, bob.email = "alice@alpha.example", "bob@alpha.example"
    alice.save()
    bob.save()
    mine = make_case(
        alpha,
        assigned_to=alice,
        identity={"name": "Mina Mine", "a_number": "208555099"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2026-03-04"}},
    )
    Task.objects.create(case=mine, title="File the declaration", due_on=TODAY, assigned_to=alice)
    Task.objects.create(case=mine, title="Late call", due_on=date(2026, 2, 20), assigned_to=alice)
    PDRequest.objects.create(case=mine, kind="dismissal").set_status("sent", by=alice, on=date(2026, 1, 31))
    return mine


@time_machine.travel("2026-03-02 07:00-05:00")
def test_each_person_gets_their_own_digest_once(settings, alpha, alice, bob):
    settings.SITE_URL = "https://pd.example.org"
    mine = _world(alpha, alice, bob)
    quiet = make_user("quinn", alpha)
    quiet.email = "quinn@alpha.example"
    quiet.save()  # nothing due: no e-mail

    run = send_digests(TODAY)

    assert run.sent == ["alice"] and run.nothing_due == 2  # bob and quinn
    (message,) = mail.outbox
    assert message.to == ["alice@alpha.example"]
    assert message.subject == "What is due, Mon Mar 2: 2 overdue, 2 due today, 1 this week"
    text = message.body
    assert "OVERDUE" in text and "Late call" in text and "Chase the open PD request" in text
    assert "TODAY" in text and "File the declaration" in text and "Follow up on the PD request" in text
    assert "THIS WEEK" in text and "Hearing" in text
    assert f"https://pd.example.org/cases/{mine.code}/" in text
    html = message.alternatives[0].content
    assert "<h2" in html and "Mina Mine" in html
    for body in (text, html, message.subject):
        assert "208555099" not in body and "208-555-099" not in body  # never A-numbers
    assert DigestDelivery.objects.get(user=alice, on=TODAY).status == "sent"

    again = send_digests(TODAY)
    assert again.sent == [] and again.already == ["alice"] and len(mail.outbox) == 1


def test_no_digest_for_people_who_switched_it_off_or_have_no_address(alpha, alice, bob):
    _world(alpha, alice, bob)
    Task.objects.create(case=make_case(alpha, assigned_to=bob), title="Bob's", due_on=TODAY, assigned_to=bob)
    DigestPreference.objects.create(user=alice, daily=False)
    bob.email = ""
    bob.save()
    assert send_digests(TODAY).sent == [] and mail.outbox == []


class FlakyBackend(EmailBackend):
    fail = 1

    def send_messages(self, messages):
        if FlakyBackend.fail:
            FlakyBackend.fail -= 1
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_a_failed_send_is_retried_by_the_next_run(settings, alpha, alice, bob):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    _world(alpha, alice, bob)
    first = send_digests(TODAY)
    assert first.failed == ["alice"] and mail.outbox == []
    delivery = DigestDelivery.objects.get(user=alice)
    assert delivery.status == "failed" and "mail server down" in delivery.error
    second = send_digests(TODAY)
    assert second.sent == ["alice"] and len(mail.outbox) == 1


def test_a_digest_another_run_has_claimed_is_not_sent_again(alpha, alice, bob):
    """The claim is the guard: a run that finds the day's row already taken (by a run that is
    still sending, on another worker) skips that person."""
    _world(alpha, alice, bob)
    DigestDelivery.objects.create(user=alice, on=TODAY)  # status "sending", by the other run
    run = send_digests(TODAY)
    assert run.already == ["alice"] and run.sent == [] and mail.outbox == []


def test_the_command_sends_and_dry_runs(alpha, alice, bob, capsys):
    from django.core.management import CommandError, call_command

    _world(alpha, alice, bob)
    call_command("send_digest", date="2026-03-02", dry_run=True)
    assert "alice <alice@alpha.example>: 5 item(s)" in capsys.readouterr().out and mail.outbox == []
    call_command("send_digest", date="2026-03-02")
    assert "1 sent" in capsys.readouterr().out and len(mail.outbox) == 1
    with pytest.raises(CommandError, match="--date: 'March' is not a date written YYYY-MM-DD"):
        call_command("send_digest", date="March")


# --- the recurring run on the task worker -----------------------------------------------------

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_next_run_is_at_the_digest_hour_in_the_server_time_zone(settings):
    from discretion.web.tracking.schedule import next_digest_at

    settings.DIGEST_HOUR = 7
    ny = ZoneInfo("America/New_York")
    assert next_digest_at(datetime(2026, 3, 2, 6, 59, tzinfo=ny)) == datetime(2026, 3, 2, 7, tzinfo=ny)
    assert next_digest_at(datetime(2026, 3, 2, 7, 0, tzinfo=ny)) == datetime(2026, 3, 3, 7, tzinfo=ny)
    # Across the spring change of clocks (March 8, 2026), still 7 o'clock local time.
    before, after = (
        next_digest_at(datetime(2026, 3, 7, 6, tzinfo=ny)),
        next_digest_at(datetime(2026, 3, 8, 6, tzinfo=ny)),
    )
    assert (before.astimezone(ny).hour, after.astimezone(ny).hour) == (7, 7)
    assert before.utcoffset() != after.utcoffset()


def test_scheduling_twice_queues_one_run(settings, db):
    from django_tasks_db.models import DBTaskResult

    from discretion.web.tracking.schedule import ensure_scheduled

    settings.TASKS = DB_TASKS
    first = ensure_scheduled()
    second = ensure_scheduled()
    assert first == second
    assert DBTaskResult.objects.filter(task_path__endswith="daily_digest").count() == 1


def test_the_worker_sends_the_digest_and_queues_tomorrows_run(settings, alpha, alice, bob, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from discretion.web.tracking.models import ScheduledRun
    from discretion.web.tracking.schedule import ensure_scheduled

    settings.TASKS = DB_TASKS
    # Between batches the worker drops connections not in autocommit mode, which the test's own
    # transaction is not; on PostgreSQL that would end the test's transaction. (Two real worker
    # processes are tested in test_digest_workers.py.)
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    _world(alpha, alice, bob)
    with time_machine.travel("2026-03-01 20:00-05:00", tick=False):
        ensure_scheduled()
    with time_machine.travel("2026-03-02 06:30-05:00", tick=False):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        assert mail.outbox == []  # not yet seven o'clock
    with time_machine.travel("2026-03-02 07:01-05:00", tick=False):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [m.to for m in mail.outbox] == [["alice@alpha.example"]]
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.count() == 1
    run = ScheduledRun.objects.get()
    assert run.run_after == datetime(2026, 3, 3, 7, tzinfo=ZoneInfo("America/New_York"))
    assert str(waiting.get().id) == run.task_id
