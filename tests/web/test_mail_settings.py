"""Mail settings from the environment: files by default, SMTP when configured or in production,
clear errors for contradictory values."""

from __future__ import annotations

import json
import os
import subprocess
import sys

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.MAILERS['default'], default=str))"
)


def _mailer(tmp_path, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCRETION_", "DJANGO_")) and k != "DATABASE_URL"
    }
    base |= {"DJANGO_SETTINGS_MODULE": "discretion.web.settings", "DISCRETION_DATA_DIR": str(tmp_path)} | env
    r = subprocess.run([sys.executable, "-c", SHOW], env=base, capture_output=True, text=True, timeout=60)
    return (json.loads(r.stdout) if r.returncode == 0 else None), r.stderr


def test_mail_is_written_to_files_unless_smtp_is_configured(tmp_path):
    mailer, _ = _mailer(tmp_path)
    assert mailer["BACKEND"].endswith("filebased.EmailBackend")
    assert mailer["OPTIONS"]["file_path"] == str(tmp_path / "outbox")


def test_smtp_comes_from_the_environment(tmp_path):
    mailer, _ = _mailer(
        tmp_path,
        DISCRETION_SMTP_HOST="smtp.example.org",
        DISCRETION_SMTP_STARTTLS="1",
        DISCRETION_SMTP_USER="mailer",
        DISCRETION_SMTP_PASSWORD="s3cret",
    )
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    assert mailer["OPTIONS"] | {} == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "mailer",
        "password": "s3cret",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 20,
    }
    secret = tmp_path / "smtp-password"
    secret.write_text("from-a-file\n")
    mailer, _ = _mailer(
        tmp_path, DISCRETION_SMTP_HOST="h", DISCRETION_SMTP_SSL="1", DISCRETION_SMTP_PASSWORD_FILE=str(secret)
    )
    assert mailer["OPTIONS"]["port"] == 465 and mailer["OPTIONS"]["password"] == "from-a-file"


def test_production_sends_through_smtp_even_without_a_host(tmp_path):
    mailer, _ = _mailer(tmp_path, DISCRETION_PRODUCTION="1", DISCRETION_SECRET_KEY="x" * 60)
    assert mailer["BACKEND"].endswith("smtp.EmailBackend") and mailer["OPTIONS"]["host"] == "localhost"


def test_contradictory_or_unknown_mail_settings_are_named(tmp_path):
    mailer, err = _mailer(tmp_path, DISCRETION_SMTP_SSL="1", DISCRETION_SMTP_STARTTLS="1")
    assert mailer is None and "Set DISCRETION_SMTP_SSL or DISCRETION_SMTP_STARTTLS, not both" in err
    mailer, err = _mailer(tmp_path, DISCRETION_EMAIL_BACKEND="pigeon")
    assert mailer is None and "DISCRETION_EMAIL_BACKEND='pigeon'" in err
    mailer, err = _mailer(tmp_path, DISCRETION_SMTP_HOST="h", DISCRETION_SMTP_PORT="twenty-five")
    assert mailer is None and "DISCRETION_SMTP_PORT='twenty-five'" in err
