"""Conversation transcripts, replayed on the console, Telegram and Zalo and compared exactly.

When the bot's wording changes on purpose, accept the new replies (then read `git diff`):

    THIDUA_UPDATE_TRANSCRIPTS=1 .venv/bin/pytest tests/test_transcripts.py

Add `-k 01_register` for one file. A new transcript can be written as people's lines only: the
update fills in the replies. The format and what is normalised: tests/transcript_runner.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.driver import Seen
from tests.transcript_runner import (
    TRANSCRIPTS,
    TranscriptError,
    block_lines,
    channel_differences,
    check,
    on_channel,
    parse,
    render,
    update_requested,
)

FILES = sorted(TRANSCRIPTS.glob("*.txt"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_transcript(path: Path, tmp_path: Path) -> None:
    await check(path, tmp_path, update=update_requested())


SAMPLE = """\
# a comment
@campaign example
@enrol ba-lan KP-01 rep
  Chào mừng ba-lan.
  ---
  Anh/Chị có thể gõ:

  dangky

ba-lan> dangky
  Câu 1/2. Tên?
  ⌨ [Hủy]
@restart
ba-lan> 1
"""


def test_the_format_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    script = parse(path)
    steps = script.steps
    assert [s.command for s in steps] == ["campaign", "enrol", "say", "restart", "say"]
    assert steps[1].expected == ["Chào mừng ba-lan.", "---", "Anh/Chị có thể gõ:", "", "dangky"]
    assert steps[2].args == ["ba-lan"] and steps[2].text == "dangky"
    assert steps[4].expected == []
    heard: list[list[Seen] | None] = [
        None,
        [Seen("Chào mừng ba-lan."), Seen("Anh/Chị có thể gõ:\n\ndangky")],
        [Seen("Câu 1/2. Tên?", (("Hủy",),))],
        None,
        [Seen("Câu 2/2.\nGõ số thứ tự", (("1. A",), ("Quay lại", "Hủy")))],
    ]
    rendered = render(script, heard)
    assert rendered == SAMPLE + "  Câu 2/2.\n  Gõ số thứ tự\n  ⌨ [1. A] / [Quay lại] [Hủy]\n"
    path.write_text(rendered, encoding="utf-8")
    assert render(parse(path), heard) == rendered


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("  orphan reply\n", "no typed line above"),
        ("@restart\n  a reply\n", "@restart gets no reply"),
        ("@nonsense\n", "no directive @nonsense"),
        ("just words\n", "person> text"),
    ],
)
def test_unreadable_transcripts_are_refused(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError, match=error):
        parse(path)


def test_channels_split_and_drop_what_they_must() -> None:
    long = "\n\n".join(f"Đoạn {n}: " + " ".join(["chữ"] * 100) for n in range(12))  # ~4,900 units
    message = Seen(long, (("1. Có",), ("Hủy",)))
    assert on_channel("console", [message]) == [message]
    telegram = on_channel("telegram", [message])
    zalo = on_channel("zalo", [message])
    assert len(telegram) == 2 and len(zalo) == 3
    assert [m.buttons for m in telegram] == [(), message.buttons]
    assert all(m.buttons == () for m in zalo)
    assert "\n\n".join(m.text for m in zalo) == long
    assert block_lines([Seen("a  \n b")]) == ["a", " b"]


def test_channels_must_agree(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("ba-lan> dangky\n", encoding="utf-8")
    script = parse(path)
    console: list[list[Seen] | None] = [[Seen("Câu 1/2. Tên?", (("Hủy",),))]]
    assert channel_differences(script, "zalo", console, [[Seen("Câu 1/2. Tên?")]]) == []
    assert channel_differences(script, "telegram", console, console) == []
    # Telegram lost its keyboard; Zalo's text differs; a message too many.
    assert channel_differences(script, "telegram", console, [[Seen("Câu 1/2. Tên?")]])
    assert channel_differences(script, "zalo", console, [[Seen("Câu 1/2. Tên ?")]])
    extra: list[list[Seen] | None] = [[Seen("Câu 1/2. Tên?"), Seen("Câu 1/2. Tên?")]]
    assert channel_differences(script, "zalo", console, extra)
