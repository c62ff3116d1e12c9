from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCRETION_") and k != "DATABASE_URL"}
    env |= env_extra
    return subprocess.run(
        [sys.executable, "-m", "discretion.web.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deploy_check(tmp_path):
    r = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DISCRETION_PRODUCTION": "1",
            "DISCRETION_DATA_DIR": str(tmp_path),
            "DISCRETION_SECRET_KEY": "x" * 64 + "-Production-Only-Secret-Key-For-Tests-0123456789",
            "DISCRETION_ALLOWED_HOSTS": "pd.example.org",
        },
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_production_mode_needs_a_secret_key(tmp_path):
    r = _manage("check", env_extra={"DISCRETION_PRODUCTION": "1", "DISCRETION_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0
    assert "DISCRETION_SECRET_KEY" in r.stderr


def test_debug_is_off_by_default():
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.PASSWORD_HASHERS  # argon2 outside tests:
    from discretion.web import settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_fails_loudly(tmp_path, value):
    r = _manage("check", env_extra={"DISCRETION_DEBUG": value, "DISCRETION_DATA_DIR": str(tmp_path)})
    assert r.returncode != 0
    assert "DISCRETION_DEBUG" in r.stderr
