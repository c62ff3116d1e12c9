"""What the public pages remember about visitors: attempts, for rate limits only."""

from __future__ import annotations

from django.db import models
from django.utils.timezone import now


class ClientAttempt(models.Model):
    """One counted request to a public page (a bad link, a form sent, a booking), per address.

    Kept in the database rather than a cache so every server process shares the count (as the
    login throttle, accounts/throttle.py). Old rows are pruned as new ones are written.
    """

    scope = models.CharField(max_length=16)
    address = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["scope", "address", "created"], name="client_attempt_window")]

    def __str__(self) -> str:
        return f"{self.scope} from {self.address} at {self.created:%Y-%m-%d %H:%M}"
