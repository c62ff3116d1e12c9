"""Existing cases: move each status to what its PD requests call for (as tracking.actions does
from now on), with a status-history row saying so. Closed cases and cases without requests keep
their status. The rule is copied here, as a migration must not change when the code does."""

from django.db import migrations

AWAITING = {"sent", "acknowledged"}
OF_REQUEST = {
    "sent": "submitted",
    "acknowledged": "submitted",
    "no_response": "submitted",
    "drafted": "preparing",
    "granted": "decided",
    "partially_granted": "decided",
    "denied": "decided",
}


def status_for(current, newest_first):
    if current == "closed":
        return current
    statuses = [s for s in newest_first if s != "withdrawn"]
    if any(s in AWAITING for s in statuses):
        return "submitted"
    if statuses:
        return OF_REQUEST[statuses[0]]
    return "preparing" if current in ("submitted", "decided") else current


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    PDRequest = apps.get_model("tracking", "PDRequest")
    StatusChange = apps.get_model("cases", "StatusChange")
    db = schema_editor.connection.alias  # migrations may run on the owner's connection
    case_ids = PDRequest.objects.using(db).values_list("case_id", flat=True).distinct()
    for case in (
        Case.objects.using(db)
        .filter(pk__in=case_ids)
        .exclude(status="closed")
        .only("pk", "status")
        .iterator()
    ):
        statuses = list(
            PDRequest.objects.using(db)
            .filter(case_id=case.pk)
            .order_by("-created", "-id")
            .values_list("status", flat=True)
        )
        new = status_for(case.status, statuses)
        if new != case.status:
            StatusChange.objects.using(db).create(
                case_id=case.pk,
                old_status=case.status,
                new_status=new,
                reason="Brought in line with the case's PD requests (upgrade)",
            )
            Case.objects.using(db).filter(pk=case.pk).update(status=new)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0002_tasks_and_digests"), ("cases", "0004_notes_and_status_changes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
