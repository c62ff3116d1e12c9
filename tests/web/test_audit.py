from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from discretion.web.audit.models import AppendOnlyError, AuditEvent


def test_viewing_a_case_writes_an_audit_row(client, bob, case):
    client.force_login(bob)
    client.get(reverse("cases:detail", kwargs={"code": case.code}))
    event = AuditEvent.objects.filter(action="view").get()
    assert (event.user, event.case_id, event.organisation_id) == (bob, case.pk, case.organisation_id)


def test_the_orm_refuses_to_change_or_delete_audit_rows(case):
    event = AuditEvent.objects.filter(case_id=case.pk).first()
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_raw_updates_and_deletes(case):
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET summary = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.exclude(summary="x").count() == AuditEvent.objects.count() > 0


def test_only_organisation_admins_see_the_audit_log(client, alice, admin, case, charlie):
    client.force_login(alice)
    assert client.get(reverse("audit")).status_code == 403
    client.force_login(admin)
    r = client.get(reverse("audit"))
    assert r.status_code == 200
    assert "Case created" in r.content.decode()
    client.force_login(charlie)  # admin of another organisation
    r = client.get(reverse("audit"))
    assert r.status_code == 200
    assert "Case created" not in r.content.decode()


def test_the_audit_log_filters_by_action(client, admin, case):
    client.force_login(admin)
    r = client.get(reverse("audit"), {"action": "screen"})
    assert {e.action for e in r.context["page"]} == {"screen"}
