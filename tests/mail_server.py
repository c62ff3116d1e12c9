"""A real SMTP server on loopback for tests: aiosmtpd on an ephemeral port, messages read back.

Reusable by any test that sends mail (bookings, invitations, password resets, digests):

    from mail_server import MailServer

    with MailServer() as smtp:               # 127.0.0.1, a free port chosen by the kernel
        ... send through smtp.host / smtp.port ...
        message = smtp.wait_for(1)[0]        # an email.message.EmailMessage
        message["To"], message.get_content(), smtp.attachments(message)

``tests/web/conftest.py`` wraps it in the ``mail`` fixture, which also points Django's SMTP
backend at it; ``env()`` gives the variables a `discretion serve` process needs to use it.
Every test run binds its own port, so parallel runs on one machine never share a server.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


class _Collector:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
            self.lock.notify_all()
        return "250 Message accepted for delivery"


class _EphemeralController(Controller):
    """aiosmtpd's Controller listening on a socket bound to port 0 (the kernel picks a free port)."""

    def __init__(self, handler, hostname: str = "127.0.0.1") -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((hostname, 0))
        super().__init__(handler, hostname=hostname, port=self._sock.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


class MailServer:
    def __init__(self, hostname: str = "127.0.0.1") -> None:
        self._collector = _Collector()
        self._controller = _EphemeralController(self._collector, hostname)
        self.host = hostname
        self.port = self._controller.port

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        with self._collector.lock:
            return list(self._collector.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The first ``count`` messages, waiting up to ``timeout`` seconds for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._collector.lock:
            while len(self._collector.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} message(s), the SMTP server received {len(self._collector.received)}"
                    )
                self._collector.lock.wait(left)
            return [r.message for r in self._collector.received[:count]]

    def clear(self) -> None:
        with self._collector.lock:
            self._collector.received.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def attachments(message: EmailMessage) -> dict[str, bytes]:
        return {
            part.get_filename() or "": part.get_payload(decode=True) or b""
            for part in message.iter_attachments()
        }

    def env(self) -> dict[str, str]:
        """Environment for a `discretion serve` process that should send through this server."""
        return {"DISCRETION_SMTP_HOST": self.host, "DISCRETION_SMTP_PORT": str(self.port)}
