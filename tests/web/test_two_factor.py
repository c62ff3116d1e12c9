"""Two-step sign-in: set-up, sign-in with an app code or a recovery code, the rules for admins."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from discretion.web.accounts import actions
from discretion.web.audit.models import AuditEvent

PASSWORD = "correct horse battery"


def app_code(device: TOTPDevice, *, offset: int = 0) -> str:
    """What the person's authenticator app shows now (or ``offset`` steps away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Two-step sign-in switched on for ``user`` (as the set-up page does), without a session."""
    from django.test import RequestFactory

    device = actions.start_totp(user)
    request = RequestFactory().post("/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    return device, actions.confirm_totp(request, device)


def _password(client, username="alice", password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_setting_it_up_shows_a_qr_code_and_the_key_and_needs_a_right_code(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "QR code for your authenticator app" in html
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key  # the typed key is the QR's key

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=alice, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()  # django-otp's one-second back-off after a wrong code
    right = client.post(reverse("accounts:two_factor_setup"), {"code": app_code(device)})
    assert right["Location"] == reverse("accounts:recovery_codes")
    assert TOTPDevice.objects.get(user=alice).confirmed

    codes_page = client.get(reverse("accounts:recovery_codes"))
    shown = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", codes_page.content.decode())
    assert len(shown) == 10
    assert codes_page["Cache-Control"] == "no-store"
    stored = set(StaticDevice.objects.get(user=alice).token_set.values_list("token", flat=True))
    assert {c.replace("-", "") for c in shown} == stored
    # Shown once only.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == reverse("accounts:two_factor")
    assert AuditEvent.objects.filter(user=alice, summary="Turned on two-step sign-in").exists()


def test_the_password_alone_does_not_log_in_someone_who_has_a_device(client, alice):
    device, _ = enrol(alice)
    r = _password(client)
    assert r["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
    # Not logged in: the workbench sends them back to log in.
    assert client.get(reverse("cases:list"))["Location"].startswith(reverse("accounts:login"))

    r = client.post(reverse("accounts:login_code"), {"code": app_code(device)})
    assert r["Location"] == reverse("tracking:dashboard")
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(user=alice, action="login", summary="Logged in with a code").exists()


def test_a_code_works_once_and_wrong_codes_are_counted(client, alice):
    device, _ = enrol(alice)
    _password(client, next_url=reverse("cases:list"))
    code = app_code(device)
    wrong = client.post(reverse("accounts:login_code"), {"code": "123456" if code != "123456" else "654321"})
    assert wrong.status_code == 400
    assert "That code does not match" in wrong.content.decode()
    assert "4 left" in wrong.content.decode()
    assert AuditEvent.objects.filter(user=alice, action="login_failed").count() == 1

    device.refresh_from_db()
    device.throttle_reset()  # django-otp's back-off after the wrong code; not what this test is about
    ok = client.post(reverse("accounts:login_code"), {"code": code})
    assert ok["Location"] == reverse("cases:list")  # ?next= survives the second step

    # The same code again, in a new sign-in: refused (replay).
    client.post(reverse("accounts:logout"))
    _password(client)
    device.refresh_from_db()
    device.throttle_reset()
    again = client.post(reverse("accounts:login_code"), {"code": code})
    assert again.status_code == 400


def test_five_wrong_codes_end_the_sign_in(client, alice):
    enrol(alice)
    _password(client)
    for _ in range(4):
        assert client.post(reverse("accounts:login_code"), {"code": "000000"}).status_code == 400
    r = client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert r["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")


def test_a_recovery_code_signs_in_once(client, alice):
    _device, codes = enrol(alice)
    _password(client)
    typed = f"{codes[0][:4].upper()}-{codes[0][4:].upper()}"  # as printed, in capitals: still accepted
    r = client.post(reverse("accounts:login_code"), {"code": typed}, follow=True)
    assert r.status_code == 200
    assert "You used a recovery code; 9 left" in r.content.decode()
    assert client.session["_auth_user_id"] == str(alice.pk)

    client.post(reverse("accounts:logout"))
    _password(client)
    assert client.post(reverse("accounts:login_code"), {"code": codes[0]}).status_code == 400


def test_the_code_step_needs_the_password_step(client, alice):
    enrol(alice)
    r = client.get(reverse("accounts:login_code"))
    assert r["Location"] == reverse("accounts:login")


def test_a_session_that_skipped_the_code_is_ended(client, alice):
    """A session made without the second step (e.g. through the back office's login page)."""
    enrol(alice)
    client.force_login(alice)
    r = client.get(reverse("cases:list"))
    assert r["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("rule", ["admins", "everyone"])
def test_admins_must_set_it_up_where_required(client, settings, admin, alice, rule):
    settings.TWO_FACTOR_REQUIRED = rule
    client.force_login(admin)
    r = client.get(reverse("cases:list"))
    assert r["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    client.force_login(alice)  # not an admin
    expected = 302 if rule == "everyone" else 200
    assert client.get(reverse("cases:list")).status_code == expected


def test_admins_need_not_when_it_is_off(client, settings, admin):
    settings.TWO_FACTOR_REQUIRED = "off"
    client.force_login(admin)
    assert client.get(reverse("cases:list")).status_code == 200


def test_production_requires_it_for_admins_by_default():
    import subprocess
    import sys

    env = {"DISCRETION_PRODUCTION": "1", "DISCRETION_SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    code = "import discretion.web.settings as s; print(s.TWO_FACTOR_REQUIRED)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "admins"
    refused = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DISCRETION_2FA_REQUIRED": "off"}, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "not allowed in production" in refused.stderr


def test_new_recovery_codes_need_the_password_and_replace_the_old(client, alice):
    device, codes = enrol(alice)
    client.force_login(alice)
    from django_otp import login as otp_login  # noqa: F401 - the session below is made verified

    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    assert client.get(reverse("accounts:two_factor")).status_code == 200
    r = client.post(reverse("accounts:recovery_codes"), {"password": "wrong"})
    assert r["Location"] == reverse("accounts:two_factor")
    assert set(StaticDevice.objects.get(user=alice).token_set.values_list("token", flat=True)) == set(codes)
    r = client.post(reverse("accounts:recovery_codes"), {"password": PASSWORD})
    assert r["Location"] == reverse("accounts:recovery_codes")
    new = set(StaticDevice.objects.get(user=alice).token_set.values_list("token", flat=True))
    assert len(new) == 10 and not new & set(codes)


def test_turning_it_off_needs_the_password_and_is_refused_where_required(client, settings, alice, admin):
    device, _ = enrol(alice)
    client.force_login(alice)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    client.post(reverse("accounts:two_factor_off"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=alice).exists()
    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()

    settings.TWO_FACTOR_REQUIRED = "admins"
    device, _ = enrol(admin)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    r = client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD}, follow=True)
    assert "cannot be turned off" in r.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_an_admin_resets_a_colleagues_lost_device(client, admin, alice, charlie):
    enrol(alice)
    client.force_login(charlie)  # another organisation's admin: not theirs to reset
    assert client.post(reverse("accounts:member_reset_two_factor", args=[alice.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=alice).exists()

    client.force_login(admin)
    page = client.get(reverse("accounts:people"))
    assert f'id="reset-2fa-{alice.pk}"' in page.content.decode()
    r = client.post(reverse("accounts:member_reset_two_factor", args=[alice.pk]))
    assert r["Location"] == reverse("accounts:people")
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(user=admin, summary__startswith="Reset two-step sign-in of alice").exists()
    # Alice signs in with her password alone now.
    client.post(reverse("accounts:logout"))
    assert _password(client)["Location"] == reverse("tracking:dashboard")


def test_a_staff_member_cannot_reset_anyone(client, bob, alice):
    enrol(alice)
    client.force_login(bob)
    assert client.post(reverse("accounts:member_reset_two_factor", args=[alice.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=alice).exists()


def test_moving_to_a_new_phone_replaces_the_old_app_and_codes(client, alice):
    old, codes = enrol(alice)
    client.force_login(alice)
    session = client.session
    session["otp_device_id"] = old.persistent_id
    session.save()
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "Move two-step sign-in to a new phone" in page.content.decode()
    new = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert new.key != old.key
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()  # until the new one is confirmed
    client.post(reverse("accounts:two_factor_setup"), {"code": app_code(new)})
    assert list(TOTPDevice.objects.filter(user=alice).values_list("pk", flat=True)) == [new.pk]
    tokens = set(StaticDevice.objects.get(user=alice).token_set.values_list("token", flat=True))
    assert len(tokens) == 10 and not tokens & set(codes)
    assert client.get(reverse("cases:list")).status_code == 200  # still verified, with the new device


def test_the_back_office_login_does_not_skip_the_second_step(client, admin):
    """Django's admin has its own login page: a password there is not enough either."""
    admin.is_staff = True
    admin.save()
    enrol(admin)
    r = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 302
    bounced = client.get("/admin/")
    assert bounced["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
