"""When to follow up on a PD request. PRACTICE DEFAULTS, NOT LAW.

No statute, regulation or OPLA policy sets these periods. They are the workbench's defaults for
a reminder, in one place so a programme can change them: chase OPLA this long after sending a
request with no response, and this long before the next hearing if the request is still open.
"""

from __future__ import annotations

from datetime import timedelta

FOLLOW_UP_AFTER_SENDING = timedelta(days=30)
FOLLOW_UP_BEFORE_HEARING = timedelta(days=14)
LABEL = "Practice defaults, not law: follow up 30 days after sending without a response, and 14 days before the next hearing."
