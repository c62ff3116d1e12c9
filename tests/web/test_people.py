from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from discretion.web.accounts.models import Membership


def _add(client, **overrides):
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Park",
        "email": "nina@example.org",
        "role": "staff",
        "password": "a long enough passphrase",
    } | overrides
    return client.post(reverse("accounts:people"), data)


def test_an_admin_adds_a_colleague_to_their_organisation(client, admin, alpha):
    client.force_login(admin)
    r = _add(client)
    assert r.status_code == 302
    nina = get_user_model().objects.get(username="nina")
    assert nina.membership.organisation == alpha and nina.membership.role == "staff"
    assert nina.check_password("a long enough passphrase")


def test_bad_new_member_input_names_the_field(client, admin, alice):
    client.force_login(admin)
    r = _add(client, username="alice", password="short", role="boss")
    assert r.status_code == 400
    body = r.content.decode()
    assert "Username: That username is taken." in body
    assert "Role: Select a valid choice." in body
    assert not get_user_model().objects.filter(username="nina").exists()
    r = _add(client, password="short")
    assert "First password: This password is too short." in r.content.decode()


def test_an_admin_changes_a_role_and_switches_off_access(client, admin, alice):
    client.force_login(admin)
    r = client.post(reverse("accounts:member", kwargs={"user_id": alice.pk}), {"role": "read_only"})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.membership.role == "read_only" and alice.is_active is False


def test_an_admin_cannot_lock_themselves_out(client, admin):
    client.force_login(admin)
    client.post(
        reverse("accounts:member", kwargs={"user_id": admin.pk}), {"role": "attorney", "is_active": "on"}
    )
    assert Membership.objects.get(user=admin).is_org_admin is True


def test_people_of_another_organisation_are_out_of_reach(client, charlie, alice):
    client.force_login(charlie)
    assert (
        client.post(
            reverse("accounts:member", kwargs={"user_id": alice.pk}), {"role": "read_only"}
        ).status_code
        == 404
    )
    assert "alice" not in client.get(reverse("accounts:people")).content.decode()
    alice.refresh_from_db()
    assert alice.membership.role == "attorney"


def test_members_who_are_not_admins_cannot_manage_people(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:people")).status_code == 403


def test_everyone_can_change_their_own_password(client, bob):
    client.force_login(bob)
    r = client.post(
        reverse("accounts:password"), {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    )
    assert r.status_code == 400
    assert "Your old password was entered incorrectly" in r.content.decode()
    r = client.post(
        reverse("accounts:password"),
        {
            "old_password": "correct horse battery",
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert r.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("another long passphrase")
