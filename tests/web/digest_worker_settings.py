"""Settings for test_digest_workers.py's worker processes: the workbench's, with e-mail written to
files so the test can count what each person got."""

import os

from discretion.web.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["DIGEST_TEST_MAIL_DIR"]
