"""The files behind the download links: `<folder>/<file id>/<name>`, removed once expired.

```
 publish(source, name, now) ─► <folder>/.<file id>.<expiry>.part/{.expires, name}
                              ─► renamed (atomic) to <folder>/<file id>/ ─► the signed URL
 GET /t/<token> ─► verify ─► open(file id) ─► the file        prune(now) ─► expired boxes go
```

Every method here touches the disk: call them from a worker thread when on the event loop
(`publish` is a rename on the same disk, cheap enough to call from a handler).
"""

from __future__ import annotations

import logging
import shutil
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.logs import logfmt
from bot.web.links import (
    ALTERED,
    LinkSigner,
    Verdict,
    decode_expiry,
    encode_expiry,
    is_file_id,
    new_file_id,
)

log = logging.getLogger("thidua.downloads")

# The URL path of a download: PATH_PREFIX + token.
PATH_PREFIX = "/t/"
# Inside each box: the link's expiry in unix seconds (a dot file: never the published file).
EXPIRES = ".expires"
PART = ".part"
# File systems allow 255 bytes per name; room is left for what a browser adds ("(1)").
MAX_NAME_BYTES = 200


class LinksUnavailable(Exception):
    """Download links cannot be made: `[web].public_url` or `[web].secret` is empty."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        keys = ", ".join(missing)
        super().__init__(
            f"chưa có đường dẫn tải về: cần đặt {keys} trong cấu hình (secret qua biến môi"
            f" trường THIDUA_WEB__SECRET) / download links need {keys} in the configuration"
            " (the secret from THIDUA_WEB__SECRET)"
        )


def clean_name(name: str) -> str:
    """Return `name` as a safe single file name (no folders, no hidden file, not too long)."""
    text = unicodedata.normalize("NFC", name)
    text = "".join(
        "-" if ch in "/\\" or unicodedata.category(ch).startswith("C") else ch for ch in text
    )
    text = text.strip(" .") or "tep"
    stem, dot, suffix = text.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = text, ""
    ending = f".{suffix}" if suffix else ""
    while len((stem + ending).encode("utf-8")) > MAX_NAME_BYTES and len(stem) > 1:
        stem = stem[:-1]
    return stem.rstrip(" .") + ending


class Downloads:
    """The published files behind the signed download links."""

    def __init__(self, folder: Path, *, secret: str, public_url: str, lifetime: timedelta) -> None:
        self.folder = folder
        self.public_url = public_url.rstrip("/")
        self.lifetime = lifetime
        self._signer = LinkSigner(secret) if secret else None

    @classmethod
    def from_settings(cls, settings: Settings) -> Downloads:
        """Build the store `[web]` describes (links refused later if a key is missing)."""
        web = settings.web
        return cls(
            web.downloads_dir(settings.database),
            secret=web.secret.get_secret_value(),
            public_url=web.public_url,
            lifetime=timedelta(hours=web.link_hours),
        )

    @property
    def ready(self) -> bool:
        """True when links can be made (`[web].public_url` and `[web].secret` are both set)."""
        return bool(self.public_url) and self._signer is not None

    def publish(
        self, source: Path, name: str, now: datetime, *, until: datetime | None = None
    ) -> str:
        """Move the written file `source` behind a new link, good until `until` (default: the
        configured lifetime from `now`); return the link's full URL.

        Raises LinksUnavailable when `[web].public_url` or `[web].secret` is empty (the file
        stays where it was); an OSError if the file cannot be moved (nothing is published).
        """
        missing = tuple(
            key
            for key, value in (("web.public_url", self.public_url), ("web.secret", self._signer))
            if not value
        )
        if missing or self._signer is None:
            raise LinksUnavailable(missing)
        expires = until if until is not None else now + self.lifetime
        file_id = self._place(source, clean_name(name), expires)
        token = self._signer.sign(file_id, expires)
        return f"{self.public_url}{PATH_PREFIX}{token}"

    def keep(self, source: Path, name: str, now: datetime) -> Path:
        """Move the written file `source` into a box of its own, without a link, for as long
        as a link would last (a document sent on Telegram); return where it now is."""
        clean = clean_name(name)
        return self.folder / self._place(source, clean, now + self.lifetime) / clean

    def _place(self, source: Path, name: str, expires: datetime) -> str:
        """Move `source` into a new box, complete before it gets its final name; its file id."""
        # Private: exports hold people's names and their units' answers.
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        expiry = encode_expiry(expires)
        while True:
            file_id = new_file_id()
            if not (self.folder / file_id).exists():
                break
        # The expiry is in the part's name too: prune can clear a publish cut short.
        part = self.folder / f".{file_id}.{expiry}{PART}"
        part.mkdir(mode=0o700)
        try:
            (part / EXPIRES).write_text(expiry, "ascii")
            shutil.move(source, part / name)
            part.rename(self.folder / file_id)
        except BaseException:
            shutil.rmtree(part, ignore_errors=True)
            raise
        return file_id

    def verify(self, token: str, now: datetime) -> Verdict:
        """Check a link's token (every token is altered when there is no secret)."""
        if self._signer is None:
            return ALTERED
        return self._signer.verify(token, now)

    def open(self, file_id: str) -> Path | None:
        """Return the published file of `file_id`, or None when there is none (any more)."""
        if not is_file_id(file_id):
            return None
        try:
            found = [
                entry
                for entry in (self.folder / file_id).iterdir()
                if not entry.name.startswith(".") and entry.is_file()
            ]
        except OSError:
            return None
        return found[0] if len(found) == 1 else None

    def prune(self, now: datetime) -> int:
        """Delete every box whose link has expired by `now`; return how many went."""
        try:
            boxes = list(self.folder.iterdir())
        except FileNotFoundError:
            return 0
        removed = 0
        for box in boxes:
            expires = _box_expiry(box)
            if expires is None or now.timestamp() < expires:
                continue
            shutil.rmtree(box, ignore_errors=True)
            removed += 1
        if removed:
            log.info(logfmt("downloads_pruned", files=removed))
        return removed


def _box_expiry(box: Path) -> int | None:
    """The unix second a box expires at; None for anything that is not a box of ours."""
    name = box.name
    if name.startswith(".") and name.endswith(PART):
        # A publish cut short: its file id and expiry are in the name.
        file_id, _, expiry = name[1 : -len(PART)].partition(".")
        return decode_expiry(expiry) if is_file_id(file_id) else None
    if not is_file_id(name):
        return None
    try:
        return decode_expiry((box / EXPIRES).read_text("ascii").strip())
    except (OSError, UnicodeDecodeError):
        return None  # never delete what we cannot read as ours
