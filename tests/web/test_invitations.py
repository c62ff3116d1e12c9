"""Invitations and password reset by e-mail, sent through a real SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.timezone import now

from discretion.web.accounts.models import MemberInvitation, Membership
from discretion.web.audit.models import AuditEvent

NEW_PASSWORD = "a long new password 7"


def _link(mail, message) -> str:
    found = re.search(r"http://testserver(/\S+)", mail.body(message))
    assert found, mail.body(message)
    return found.group(1)


def _invite(client, **extra):
    data = {
        "first_name": "Nadia",
        "last_name": "Rahman",
        "email": "nadia@alpha.example",
        "role": "accredited",
        **extra,
    }
    return client.post(reverse("accounts:invite"), data)


def test_an_admin_invites_a_colleague_who_joins_with_the_link(client, admin, mail):
    client.force_login(admin)
    r = _invite(client, is_org_admin="on")
    assert r["Location"] == reverse("accounts:people")
    message = mail.wait_for(1)[0]
    assert message["To"] == "nadia@alpha.example"
    assert "invites you to Alpha Legal" in message["Subject"]
    body = mail.body(message)
    assert "as Accredited representative and organisation admin" in body
    link = _link(mail, message)
    invitation = MemberInvitation.objects.get()
    assert link.rsplit("/", 2)[-2] not in invitation.token_hash  # only the hash is kept
    page = client.get(reverse("accounts:people"))
    assert "nadia@alpha.example" in page.content.decode()

    client.post(reverse("accounts:logout"))
    join = client.get(link)
    assert join.status_code == 200
    assert "Join Alpha Legal" in join.content.decode()
    bad = client.post(link, {"username": "nadia", "password1": NEW_PASSWORD, "password2": "other"})
    assert bad.status_code == 400
    assert "The two passwords are not the same" in bad.content.decode()
    ok = client.post(link, {"username": "nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert ok["Location"] == reverse("accounts:two_factor")
    user = get_user_model().objects.get(username="nadia")
    m = Membership.objects.get(user=user)
    assert (m.organisation.name, m.role, m.is_org_admin) == ("Alpha Legal", "accredited", True)
    assert (user.first_name, user.email) == ("Nadia", "nadia@alpha.example")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(user=user, summary__contains="by invitation").exists()

    # Used once.
    client.post(reverse("accounts:logout"))
    assert client.get(link).status_code == 410


def test_a_new_admin_sets_up_two_step_first_where_it_is_required(client, settings, admin, mail):
    settings.TWO_FACTOR_REQUIRED = "admins"
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from test_two_factor import enrol

    device, _ = enrol(admin)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    _invite(client, is_org_admin="on")
    link = _link(mail, mail.wait_for(1)[0])
    client.post(reverse("accounts:logout"))
    client.post(link, {"username": "nadia", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    r = client.get(reverse("cases:list"))
    assert r["Location"] == reverse("accounts:two_factor_setup")
    assert not TOTPDevice.objects.filter(user__username="nadia", confirmed=True).exists()


def test_sending_again_replaces_the_link_and_withdrawing_closes_it(client, admin, mail):
    client.force_login(admin)
    _invite(client)
    first = _link(mail, mail.wait_for(1)[0])
    invitation = MemberInvitation.objects.get()
    client.post(reverse("accounts:invitation_resend", args=[invitation.code]))
    second = _link(mail, mail.wait_for(2)[1])
    assert first != second
    client.post(reverse("accounts:logout"))
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    client.force_login(admin)
    client.post(reverse("accounts:invitation_withdraw", args=[invitation.code]))
    client.post(reverse("accounts:logout"))
    assert client.get(second).status_code == 410


def test_an_expired_link_does_not_work(client, admin, mail):
    client.force_login(admin)
    _invite(client)
    link = _link(mail, mail.wait_for(1)[0])
    MemberInvitation.objects.update(expires=now() - timedelta(minutes=1))
    client.post(reverse("accounts:logout"))
    r = client.get(link)
    assert r.status_code == 410
    assert "no longer works" in r.content.decode()


def test_the_invitation_form_refuses_people_who_already_have_a_login(client, admin, alice, mail):
    alice.email = "alice@alpha.example"
    alice.save()
    client.force_login(admin)
    r = _invite(client, email="ALICE@alpha.example")
    assert r.status_code == 400
    assert "already has a login" in r.content.decode()
    _invite(client)
    again = _invite(client)
    assert again.status_code == 400
    assert "already have an open invitation" in again.content.decode()


def test_only_admins_invite(client, bob, mail):
    client.force_login(bob)
    assert _invite(client).status_code == 403
    assert not MemberInvitation.objects.exists()


def test_a_failed_e_mail_keeps_the_invitation_and_says_so(client, admin, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens there
        }
    }
    client.force_login(admin)
    r = client.post(
        reverse("accounts:invite"),
        {"first_name": "Nadia", "last_name": "Rahman", "email": "nadia@alpha.example", "role": "staff"},
        follow=True,
    )
    assert "could not be sent" in r.content.decode()
    assert MemberInvitation.objects.count() == 1


def test_guessing_invitation_links_is_rate_limited(client, settings, db):
    settings.CLIENT_RATE_LIMIT = 18  # three bad links per window
    for _ in range(3):
        assert client.get(reverse("accounts:join", args=["guess"])).status_code == 410
    assert client.get(reverse("accounts:join", args=["guess"])).status_code == 429


# --- password reset -----------------------------------------------------------------------------


def test_a_forgotten_password_is_reset_by_an_e_mailed_link(client, alice, mail):
    alice.email = "alice@alpha.example"
    alice.save()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    r = client.post(reverse("accounts:password_reset"), {"email": "ALICE@alpha.example"})
    assert r["Location"] == reverse("accounts:password_reset_done")
    message = mail.wait_for(1)[0]
    assert message["To"] == "alice@alpha.example"
    assert message["Subject"] == "Reset your PD workbench password"
    link = _link(mail, message)
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(user=alice, summary__contains="reset link").exists()
    assert "_auth_user_id" not in client.session  # they log in as usual (with a code if they have one)
    # The link worked once.
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, alice, mail):
    r = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.example"})
    assert r["Location"] == reverse("accounts:password_reset_done")
    assert mail.received == []


def test_reset_e_mails_are_rate_limited(client, alice, mail):
    for _ in range(10):
        client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.example"})
    r = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.example"})
    assert r.status_code == 429
    assert "Too many reset e-mails" in r.content.decode()


def test_a_reset_does_not_skip_two_step_sign_in(client, alice, mail):
    from test_two_factor import enrol

    enrol(alice)
    alice.email = "alice@alpha.example"
    alice.save()
    client.post(reverse("accounts:password_reset"), {"email": "alice@alpha.example"})
    link = _link(mail, mail.wait_for(1)[0])
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    r = client.post(reverse("accounts:login"), {"username": "alice", "password": NEW_PASSWORD})
    assert r["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
