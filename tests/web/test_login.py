from __future__ import annotations

from django.urls import reverse

from discretion.web.accounts.models import LoginFailure
from discretion.web.audit.models import AuditEvent


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_logs_in_and_audits(client, alice):
    r = _login(client, "alice", "correct horse battery")
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="login", user=alice).exists()


def test_wrong_password_gets_a_clear_message(client, alice):
    r = _login(client, "alice", "wrong")
    assert r.status_code == 400
    assert "That username and password do not match" in r.content.decode()
    assert LoginFailure.objects.filter(username="alice").count() == 1


def test_it_locks_a_username_after_five_failures(client, alice):
    for _ in range(5):
        _login(client, "alice", "wrong")

    r = _login(client, "alice", "correct horse battery")

    assert r.status_code == 429
    assert "Too many failed attempts" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_clears_the_failures(client, alice):
    _login(client, "alice", "wrong")
    _login(client, "alice", "correct horse battery")
    assert not LoginFailure.objects.filter(username="alice").exists()


def test_it_does_not_redirect_off_site(client, alice):
    r = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "alice", "password": "correct horse battery", "next": "https://evil.example/"},
    )
    assert r["Location"] == reverse("tracking:dashboard")


def test_logout_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_pages_carry_a_strict_csp_with_a_nonce(client, alice):
    client.force_login(alice)
    r = client.get(reverse("cases:list"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in r.content.decode()
    assert '"includeIndicatorStyles": false' in r.content.decode()
    assert "hx-on" not in r.content.decode()
