"""Accounts in the browser: an admin made to set up two-step sign-in, an e-mailed invitation
accepted, two-step sign-in set up and used (app code, wrong code, recovery code), and a
password reset by e-mail. Its own `discretion serve`, sending mail to a real SMTP server on
loopback, with two-step sign-in required of admins as in production."""

from __future__ import annotations

import re
import sys
import time
from base64 import b32decode
from pathlib import Path

import pytest
from browser_kit import Session, look
from browser_server import running_server
from django_otp.oath import TOTP
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/mail_server.py
from mail_server import MailServer  # noqa: E402

TESS_PASSWORD = "tess-chooses-a-long-one-4"
NEW_PASSWORD = "tess-after-the-reset-77"


@pytest.fixture(scope="module")
def mail_and_server():
    with MailServer() as mail, running_server(env_extra=mail.env() | {"DISCRETION_2FA_REQUIRED": "admins"}) as s:
        yield mail, s


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for ``secret`` (``steps_ahead`` 30-second steps later)."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def set_up_two_step(page) -> tuple[str, list[str]]:
    """On the set-up page: read the key as a person would type it, confirm, keep the codes."""
    page.get_by_text("Cannot scan it? Type the key instead").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("6-digit code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    return secret, codes


def password_step(session: Session, username: str, password: str) -> None:
    """The first step of logging in; with two-step sign-in on, the code page follows."""
    page = session.page
    page.goto(session.url("/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def link_in(mail: MailServer, message) -> str:
    found = re.search(r"https?://\S+", mail.body(message))
    assert found, mail.body(message)
    return found.group(0)


def test_invitation_two_step_sign_in_and_password_reset(browser, mail_and_server):
    mail, server = mail_and_server

    # An admin, where admins must use two-step sign-in: sent to set it up before anything else.
    alice = Session(browser, server, "alice")
    page = alice.page
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_text("Your organisation requires two-step sign-in for admins")).to_be_visible()
    look(page, "two-factor-setup")
    page.goto(server.url + "/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))  # nothing else until then
    _alice_secret, _ = set_up_two_step(page)
    look(page, "recovery-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", name=re.compile("Two-step sign-in"))).to_contain_text("On")
    look(page, "sign-in-settings")

    # She invites a colleague by e-mail.
    page.goto(server.url + "/accounts/people/")
    form = page.locator("form", has=page.locator("#invite-member"))
    form.get_by_label("First name").fill("Tess")
    form.get_by_label("Last name").fill("Tran")
    form.get_by_label("Email").fill("tess@alpha.example")
    form.get_by_label("Role").select_option("staff")
    form.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to tess@alpha.example.")).to_be_visible()
    expect(page.locator("table", has_text="tess@alpha.example")).to_be_visible()
    look(page, "people-invitations")
    invitation = mail.wait_for(1)[0]
    assert invitation["To"] == "tess@alpha.example"
    join_link = link_in(mail, invitation)
    assert join_link.startswith(server.url + "/accounts/join/")
    alice.close()

    # Tess joins with the link, choosing her username and password.
    tess = Session(browser, server, None, phone=True)
    page = tess.page
    page.goto(join_link)
    expect(page.get_by_role("heading", name="Join Alpha Legal")).to_be_visible()
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password", exact=True).fill(TESS_PASSWORD)
    page.get_by_label("Password again").fill("not the same")
    page.get_by_role("button", name="Join Alpha Legal").click()
    expect(page.locator(".error-summary")).to_contain_text("The two passwords are not the same")
    look(page, "join-error")
    page.get_by_label("Password", exact=True).fill(TESS_PASSWORD)
    page.get_by_label("Password again").fill(TESS_PASSWORD)
    page.get_by_role("button", name="Join Alpha Legal").click()
    expect(page.get_by_text("Welcome to Alpha Legal")).to_be_visible()

    # Offered, not required, for staff: she sets it up from her sign-in settings (at phone width).
    page.get_by_role("link", name="Set up two-step sign-in").click()
    secret, codes = set_up_two_step(page)
    page.get_by_role("link", name="I have saved them").click()

    # Signing in now needs a code after the password.
    page.get_by_role("button", name="Log out").click()
    password_step(tess, "tess", TESS_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    look(page, "login-code")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_contain_text("That code does not match")
    look(page, "login-code-error")
    time.sleep(1.1)  # django-otp's back-off after a wrong code
    # The set-up used this 30-second step's code; an app shows the next one soon (accepted early).
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # A lost phone: a recovery code instead, once.
    page.get_by_role("button", name="Log out").click()
    password_step(tess, "tess", TESS_PASSWORD)
    page.get_by_text("No phone with you?").click()
    page.get_by_label("Code").fill(codes[0].upper())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # A forgotten password: reset by an e-mailed link; the second step is still needed after it.
    page.get_by_role("link", name="Forgot your password?").click()
    look(page, "password-reset")
    page.get_by_label("Email").fill("tess@alpha.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    reset = mail.wait_for(2)[1]
    assert reset["Subject"] == "Reset your PD workbench password"
    page.goto(link_in(mail, reset))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    look(page, "password-reset-confirm")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    password_step(tess, "tess", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    page.get_by_label("Code").fill(codes[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert not tess.errors, tess.errors
    tess.close()
