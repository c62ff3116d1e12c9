"""Personas and builders for the web tests (healthchecks style, as pytest fixtures).

alice  attorney in Alpha Legal, owns the case
bob    staff (paralegal) in Alpha Legal: a colleague who can see and edit
rita   read-only member of Alpha Legal: can see, never change
charlie attorney in Other Org: sees nothing of Alpha's (404 everywhere)
admin  organisation admin of Alpha Legal
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))  # tests/mail_server.py, shared with the browser tests
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "discretion.web.settings")
os.environ.setdefault("DISCRETION_DATA_DIR", tempfile.mkdtemp(prefix="discretion-web-tests-"))
os.environ.setdefault("DISCRETION_SECRET_KEY", "tests-only-not-secret")
Path(os.environ["DISCRETION_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
os.environ["DISCRETION_POLICY_DIR"] = str(HERE / "policies")

import django  # noqa: E402
import pytest  # noqa: E402

# Set up here, not only in pytest-django, so test modules can import models and read the URLconf.
django.setup()

from web_builders import make_case, make_org, make_user  # noqa: E402

# WEB_TEST_STORAGE=s3 runs every web test against a real S3-compatible server (SeaweedFS on
# loopback, tests/object_store.py); WEB_TEST_ENCRYPTION=1 seals every file and value at rest.
# `./dev test` runs the PostgreSQL pass with the first.
S3_EVERYWHERE = os.getenv("WEB_TEST_STORAGE") == "s3"
SEALED_EVERYWHERE = os.getenv("WEB_TEST_ENCRYPTION") == "1"
TEST_KEYS = [("ktest1", bytes(range(32)))]


@pytest.fixture(scope="session")
def object_store(tmp_path_factory):
    """A SeaweedFS server for the whole run (started on first use)."""
    from object_store import ObjectStore

    with ObjectStore(tmp_path_factory.mktemp("s3")) as s3:
        yield s3


@pytest.fixture
def s3_storage(settings, object_store):
    """Point Django's default storage at the bucket, under a prefix of this test's own."""
    import uuid

    prefix = f"t-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {**settings.STORAGES, "default": object_store.storage_settings(prefix)}
    object_store.prefix = prefix
    return object_store


@pytest.fixture
def sealed(settings):
    """Encryption at rest on, with a test key."""
    settings.ENCRYPTION_KEYS = TEST_KEYS
    settings.SEARCH_KEY = None
    return TEST_KEYS


APP_ROLE = "discretion_app_test"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL every test runs with the rights of the app's role, as production does
    (audit/roles.py): migrations ran as the owner, then the connection takes the role that owns
    nothing and may not change, empty or un-trigger the audit log. SET ROLE rather than a second
    login, so a test playing a superuser who tampers can RESET ROLE inside its own transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    from discretion.web.audit.roles import grant_app_role

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        grant_app_role("default", APP_ROLE)
        cursor.execute(f"SET ROLE {APP_ROLE}")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, request):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.FILES_DIR = settings.MEDIA_ROOT = tmp_path / "files"
    if S3_EVERYWHERE:
        request.getfixturevalue("s3_storage")
    if SEALED_EVERYWHERE:
        request.getfixturevalue("sealed")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
    settings.POLICY_DIR = str(HERE / "policies")


@pytest.fixture
def alpha(db):
    return make_org("Alpha Legal")


@pytest.fixture
def other_org(db):
    return make_org("Other Org")


@pytest.fixture
def alice(alpha):
    return make_user("alice", alpha, "attorney")


@pytest.fixture
def bob(alpha):
    return make_user("bob", alpha, "staff")


@pytest.fixture
def rita(alpha):
    return make_user("rita", alpha, "read_only")


@pytest.fixture
def admin(alpha):
    return make_user("admin", alpha, "attorney", admin=True)


@pytest.fixture
def charlie(other_org):
    return make_user("charlie", other_org, "attorney", admin=True)


@pytest.fixture
def case(alpha, alice):
    return make_case(
        alpha,
        by=alice,
        assigned_to=alice,
        screen=True,
        case_id="ALPHA-1",
        entry={"first_entry_on": "2004-11-03"},
        proceedings={"court": "Chicago", "next_hearing": {"date": "2025-07-01", "kind": "master"}},
    )


@pytest.fixture
def mail(settings):
    """A real SMTP server on loopback (tests/mail_server.py) that Django's SMTP backend sends to."""
    from mail_server import MailServer

    with MailServer() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
            }
        }
        yield server
