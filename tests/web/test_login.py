from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse

from discretion.web.audit.models import AuditEvent


def _login(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _failures(username):
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def test_it_logs_in_and_audits(client, alice):
    r = _login(client, "alice", "correct horse battery")
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="login", user=alice).exists()


def test_wrong_password_gets_a_clear_message(client, alice):
    r = _login(client, "alice", "wrong")
    assert r.status_code == 400
    assert "That username and password do not match" in r.content.decode()
    assert _failures("alice") == 1


def test_it_locks_a_username_after_five_failures(client, alice):
    for _ in range(5):
        _login(client, "alice", "wrong")

    r = _login(client, "alice", "correct horse battery")

    assert r.status_code == 429
    assert "Too many failed attempts" in r.content.decode()
    assert 'id="id_username"' in r.content.decode()  # the login page, with the reason
    assert "_auth_user_id" not in client.session
    assert _failures("alice") == 5  # refused before the password was checked: not counted


def test_failures_from_one_address_never_lock_the_user_out_from_another(client, alice):
    """Anyone who knows a username could otherwise keep an attorney out (issue 9)."""
    for _ in range(6):
        _login(client, "alice", "wrong", address="203.0.113.9")
    assert _login(client, "alice", "correct horse battery", address="203.0.113.9").status_code == 429

    r = _login(client, "alice", "correct horse battery", address="198.51.100.20")

    assert r.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_one_persons_failures_do_not_lock_out_colleagues_behind_the_same_address(client, alice, bob):
    for _ in range(30):
        _login(client, "alice", "wrong", address="192.0.2.1")
    assert _login(client, "bob", "correct horse battery", address="192.0.2.1").status_code == 302


def test_the_username_is_counted_without_case_or_spaces(client, alice):
    for name in ("alice", "ALICE", " Alice", "alicE", "alice "):
        _login(client, name, "wrong")
    assert _login(client, "alice", "correct horse battery").status_code == 429


def test_a_success_clears_the_failures(client, alice):
    _login(client, "alice", "wrong")
    _login(client, "alice", "correct horse battery")
    assert _failures("alice") == 0


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
