"""Conversation transcripts, replayed on the console and through both fake servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.transcript_runner import TRANSCRIPTS, driver, replay

FILES = sorted(TRANSCRIPTS.glob("*.txt"))


@pytest.mark.parametrize("kind", ["console", "telegram", "zalo"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_transcript(path: Path, kind: str, tmp_path: Path) -> None:
    async with driver(kind, tmp_path) as bot:
        await replay(path, bot)
