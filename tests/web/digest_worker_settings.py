"""Settings for test_digest_workers.py's worker processes: the workbench's, with e-mail written to
files so the test can count what each person got."""

import os

from discretion.web.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["DIGEST_TEST_MAIL_DIR"]},
    }
}
