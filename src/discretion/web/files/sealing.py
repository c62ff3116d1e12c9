"""Encryption at rest: files and values sealed with AES-GCM (the ``cryptography`` package).

Keys live outside the database: ``DISCRETION_ENCRYPTION_KEY_FILE`` names a file with one key per
line, ``<id> <32 random bytes, urlsafe base64>``, or ``DISCRETION_ENCRYPTION_KEYS`` holds
``id:key,id:key``. The first key seals everything new; the others only open what they sealed,
so a new key can be rolled out host by host and ``discretion manage rotate_keys`` re-seals the
old data online (docs/web.md, "Operations"). Without any key nothing is sealed (and a sealed
value or file cannot be read: the error says which key is missing).

A sealed file is a header (magic, key id, a random salt) and frames of at most 1 MiB of clear
bytes; each frame is AES-256-GCM under a per-file key derived from the master key and the salt
(HKDF-SHA256), with the frame number as nonce and the header, frame number and "last frame" flag
as associated data, so frames cannot be reordered, dropped, truncated or moved between files.

A sealed value (a database column) is ``s1:<key id>:<base64(nonce | ciphertext)>`` with the
column's name as associated data. ``search_digest`` is the keyed hash (HMAC-SHA256 under a key
derived from the current key) that stands in for a clear column the case list must match on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
from collections.abc import Iterator
from functools import lru_cache
from typing import IO

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"DSEAL1"
KEY_ID_SIZE = 16
SALT_SIZE = 16
HEADER_SIZE = len(MAGIC) + KEY_ID_SIZE + SALT_SIZE
FRAME = 1024 * 1024
LAST = 0x80000000
VALUE_PREFIX = "s1:"


class SealError(Exception):
    """A sealed file or value cannot be opened: missing key, or the bytes were changed."""


def parse_keys(text: str, *, where: str) -> list[tuple[str, bytes]]:
    keys = []
    for number, line in enumerate(text.replace(",", "\n").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key_id, _, encoded = line.replace(":", " ", 1).partition(" ")
        try:
            key = base64.urlsafe_b64decode(encoded.strip() + "==")
        except ValueError:
            key = b""
        if not key_id or len(key_id) > KEY_ID_SIZE or not key_id.isascii() or len(key) != 32:
            raise ImproperlyConfigured(
                f"{where}, entry {number}: expected '<id> <key>', an id of at most {KEY_ID_SIZE} "
                "letters and a 32-byte key in urlsafe base64 (discretion manage encryption_key new)"
            )
        keys.append((key_id, key))
    return keys


def new_key_line(key_id: str | None = None) -> str:
    key_id = key_id or "k" + secrets.token_hex(4)
    return f"{key_id} {base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip('=')}"


def keys() -> list[tuple[str, bytes]]:
    """The sealing keys, newest first (the ``search`` entry is not one of them)."""
    return list(getattr(settings, "ENCRYPTION_KEYS", []) or [])


def enabled() -> bool:
    return bool(keys())


def current() -> tuple[str, bytes] | None:
    found = keys()
    return found[0] if found else None


def _key(key_id: str) -> bytes:
    for kid, key in keys():
        if kid == key_id:
            return key
    raise SealError(f"sealed with encryption key {key_id!r}, which is not configured")


@lru_cache(maxsize=4096)
def _derive(key: bytes, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=purpose).derive(key)


# --- files ---------------------------------------------------------------------------------


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def sealed_with_current_key(head: bytes) -> bool:
    now = current()
    if now is None:
        return not is_sealed(head)
    return is_sealed(head) and _header_key_id(head) == now[0]


def _header_key_id(head: bytes) -> str:
    return head[len(MAGIC) : len(MAGIC) + KEY_ID_SIZE].rstrip(b"\0").decode("ascii", "replace")


class Sealer:
    """Seals one file's bytes, a frame at a time."""

    def __init__(self, key_id: str, key: bytes) -> None:
        salt = os.urandom(SALT_SIZE)
        self._header = MAGIC + key_id.encode("ascii").ljust(KEY_ID_SIZE, b"\0") + salt
        self._aead = AESGCM(_derive(key, salt, b"discretion file"))
        self._pending = b""
        self._number = 0

    @classmethod
    def for_writing(cls, name: str) -> Sealer | None:
        now = current()
        return cls(*now) if now is not None else None

    def header(self) -> bytes:
        return self._header

    def _frame(self, clear: bytes, last: bool) -> bytes:
        nonce = struct.pack(">4xQ", self._number)
        aad = self._header + struct.pack(">Q?", self._number, last)
        sealed = self._aead.encrypt(nonce, clear, aad)
        self._number += 1
        return struct.pack(">I", len(sealed) | (LAST if last else 0)) + sealed

    def feed(self, data: bytes) -> bytes:
        self._pending += data
        out = []
        # Keep at least one byte back so the last frame is always written by finish().
        while len(self._pending) > FRAME:
            out.append(self._frame(self._pending[:FRAME], False))
            self._pending = self._pending[FRAME:]
        return b"".join(out)

    def finish(self) -> bytes:
        data, self._pending = self._pending, b""
        return self._frame(data, True)


def open_stream(raw: IO[bytes], name: str = "file") -> Iterator[bytes]:
    """The clear bytes of a stored file: sealed files are opened, clear ones passed through."""
    head = raw.read(HEADER_SIZE)
    if not is_sealed(head):
        yield head
        while chunk := raw.read(FRAME):
            yield chunk
        return
    if len(head) < HEADER_SIZE:
        raise SealError(f"{name}: the sealed file is cut short")
    salt = head[len(MAGIC) + KEY_ID_SIZE :]
    aead = AESGCM(_derive(_key(_header_key_id(head)), salt, b"discretion file"))
    number = 0
    while True:
        prefix = raw.read(4)
        if len(prefix) < 4:
            raise SealError(f"{name}: the sealed file is cut short")
        (length,) = struct.unpack(">I", prefix)
        last = bool(length & LAST)
        sealed = raw.read(length & ~LAST)
        try:
            clear = aead.decrypt(struct.pack(">4xQ", number), sealed, head + struct.pack(">Q?", number, last))
        except Exception:  # InvalidTag, or a short frame
            raise SealError(f"{name}: the sealed file was changed or damaged (frame {number})") from None
        yield clear
        number += 1
        if last:
            if raw.read(1):
                raise SealError(f"{name}: unexpected bytes after the last frame")
            return


# --- values --------------------------------------------------------------------------------


def seal_text(text: str, *, column: str) -> str:
    """``text`` sealed for ``column`` with the current key (or as it is, without a key)."""
    now = current()
    if now is None:
        return text
    key_id, key = now
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(key, b"", b"discretion value")).encrypt(nonce, text.encode(), column.encode())
    return f"{VALUE_PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def is_sealed_text(value: str) -> bool:
    return value.startswith(VALUE_PREFIX)


def open_text(value: str, *, column: str) -> str:
    if not is_sealed_text(value):
        return value
    key_id, _, encoded = value[len(VALUE_PREFIX) :].partition(":")
    blob = base64.b64decode(encoded)
    try:
        clear = AESGCM(_derive(_key(key_id), b"", b"discretion value")).decrypt(
            blob[:12], blob[12:], column.encode()
        )
    except SealError:
        raise
    except Exception:
        raise SealError(f"{column}: a sealed value was changed or damaged") from None
    return clear.decode()


def text_key_id(value: str) -> str | None:
    return value[len(VALUE_PREFIX) :].partition(":")[0] if is_sealed_text(value) else None


def search_digest(text: str, *, purpose: str) -> str:
    """A keyed hash of ``text`` to match on instead of the clear value (clear without a key)."""
    if not enabled() or not text:
        return text
    secret = _derive(search_secret(), b"", purpose.encode())
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:16]  # 64 bits: few false hits


def search_secret() -> bytes:
    """The key of the search hashes: the entry named ``search`` in the key file, else the
    sealing key listed last. It is not rotated with the sealing keys (a new sealing key goes on
    top), so the case list's search columns stay valid while data is re-sealed."""
    found = getattr(settings, "SEARCH_KEY", None) or keys()[-1][1]
    return found
