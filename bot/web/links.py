"""Signed download links: one file, until it expires, short enough to tap in a Zalo message.

A token is `<file id>.<expiry>.<signature>`: a random file id (12 URL-safe characters), the
expiry in unix seconds written in base 36, and the first 16 bytes of HMAC-SHA256 over
"<file id>.<expiry>" (base64url, no padding). The key is derived from `[web].secret` for this
purpose alone, so the webhook secrets can derive their own from the same secret.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

PURPOSE = b"thidua download links v1"
FILE_ID_CHARS = 12  # secrets.token_urlsafe(9): 72 random bits
SIGNATURE_BYTES = 16

_FILE_ID = re.compile(r"[A-Za-z0-9_-]{12}")
# Base 36 with no leading zero (one spelling per moment); 13 digits reach past year 9999.
_EXPIRY = re.compile(r"[1-9a-z][0-9a-z]{0,12}")
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{22}")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def derive_key(secret: str, purpose: bytes = PURPOSE) -> bytes:
    """Return the key for one purpose: HMAC-SHA256(secret, purpose)."""
    return hmac.new(secret.encode("utf-8"), purpose, hashlib.sha256).digest()


def new_file_id() -> str:
    """Return a fresh random file id (12 URL-safe characters)."""
    return secrets.token_urlsafe(9)


def is_file_id(text: str) -> bool:
    """True when `text` has the shape of a file id (safe as a folder name)."""
    return _FILE_ID.fullmatch(text) is not None


def encode_expiry(moment: datetime) -> str:
    """Unix seconds in base 36, rounded up: a link never ends before the moment promised."""
    number = math.ceil(moment.timestamp())
    if number <= 0:
        raise ValueError("an expiry after 1970")
    digits = []
    while number:
        number, rest = divmod(number, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits))


def decode_expiry(text: str) -> int | None:
    """The unix seconds of an expiry written by `encode_expiry`; None for anything else."""
    return int(text, 36) if _EXPIRY.fullmatch(text) else None


class LinkState(enum.Enum):
    """What a token turned out to be."""

    OK = "ok"
    EXPIRED = "expired"
    ALTERED = "altered"  # a wrong signature, or not a token at all


@dataclass(frozen=True)
class Verdict:
    """The result of checking a token: its state, and the file id when it is good."""

    state: LinkState
    file_id: str = ""


ALTERED = Verdict(LinkState.ALTERED)
EXPIRED = Verdict(LinkState.EXPIRED)


class LinkSigner:
    """Signs and checks download tokens with a key derived from `[web].secret`."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a signer needs a secret")
        self._key = derive_key(secret)

    def _signature(self, message: str) -> str:
        digest = hmac.new(self._key, message.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).rstrip(b"=").decode("ascii")

    def sign(self, file_id: str, expires: datetime) -> str:
        """Return the token for `file_id`, good until `expires` (rounded up to the second)."""
        if not is_file_id(file_id):
            raise ValueError("not a file id")
        message = f"{file_id}.{encode_expiry(expires)}"
        return f"{message}.{self._signature(message)}"

    def verify(self, token: str, now: datetime) -> Verdict:
        """Return OK with the file id, EXPIRED, or ALTERED for anything else."""
        parts = token.split(".")
        if len(parts) != 3:
            return ALTERED
        file_id, expiry, signature = parts
        if not (
            _FILE_ID.fullmatch(file_id)
            and _EXPIRY.fullmatch(expiry)
            and _SIGNATURE.fullmatch(signature)
        ):
            return ALTERED
        expected = self._signature(f"{file_id}.{expiry}")
        # Constant time: how much of a guess matched must not show in how long the answer takes.
        if not hmac.compare_digest(expected, signature):
            return ALTERED
        # Only a genuine link learns that it expired: a forger learns nothing either way.
        if now.timestamp() >= int(expiry, 36):
            return EXPIRED
        return Verdict(LinkState.OK, file_id)
