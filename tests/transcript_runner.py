"""Conversation transcripts: what people type and, under each line, every message the bot sends.

A transcript is a text file:

    # a comment                         kept as it is
    @campaign example                   load bot/data/campaigns/example.toml
                                        (or tests/data/campaigns/NAME.toml)
    @clock 2023-11-20T08:00:00+07:00    set the manual clock
    @advance 12d                        move it (d, h, m)
    @enrol ba-lan KP-01 rep             ba-lan types a fresh invite code; replies follow
    @photo ba-lan                       ba-lan sends a photo; replies follow
    @restart                            the bot stops and starts again on the same database
    ba-lan> dangky                      ba-lan types a line; replies follow:
      Đăng ký công trình…               every line of every message, two spaces in, exactly
                                        (a blank line inside a message is left blank)
      ⌨ [1. Có] / [Quay lại] [Hủy]      that message's buttons, row after row (" / " between rows)
      ---                               between two messages of one reply

Each transcript is replayed on the console, on Telegram and on Zalo (the real adapters against
the fake servers, tests/driver.py). The three must agree, and the console's replies must be the
file's, line for line. `THIDUA_UPDATE_TRANSCRIPTS=1` rewrites the reply blocks from what the bot
says now, keeping everything else (people's lines, comments, directives, blank lines).

What is normalised between channels, and only that:
- Buttons: Zalo has none, so its messages are compared without the ⌨ line. Telegram's inline
  keyboard must carry exactly the labels of the file's ⌨ line (the console reads them off the
  router's reply). The text never depends on them: it lists every choice itself.
- Long messages: Telegram splits at 4,096 and Zalo at 2,000 UTF-16 units, so a message of the
  file is split for each channel exactly as its adapter splits (`split_text`), the keyboard
  on the last part, before comparing.
- Whitespace a person cannot see: the file cannot keep spaces at the ends of lines or blank lines
  around a message (platforms strip them too), so those are not compared.
Nothing else: each person has the same display name on every channel, so greetings match too.
A reply carrying a photo or a file is in no transcript yet; the channels show those differently
(console: a path or link line, Telegram: an upload, Zalo: a link), so a transcript with one
will fail until its normalisation is written here.
"""

from __future__ import annotations

import difflib
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.channels import telegram, zalo_client
from bot.channels.splitting import split_text
from tests.driver import CHANNELS, Bot, Recorder, Seen, open_bot

ROOT = Path(__file__).resolve().parent.parent
TRANSCRIPTS = Path(__file__).resolve().parent / "transcripts"
UPDATE_ENV = "THIDUA_UPDATE_TRANSCRIPTS"
UPDATE_COMMAND = f"{UPDATE_ENV}=1 .venv/bin/pytest tests/test_transcripts.py"
INDENT = "  "
SEPARATOR = "---"
KEYBOARD = "⌨ "
REPLYING = frozenset({"say", "enrol", "photo"})
DIRECTIVES = frozenset({"campaign", "clock", "advance", "enrol", "photo", "restart"})
# Words that must never reach a person, whatever the wording of the day.
LEAKS = ("Traceback", "None", "null", "error", "invalid")
# Channels that split long messages, and where.
LIMITS = {"telegram": telegram.MESSAGE_LIMIT, "zalo": zalo_client.MESSAGE_LIMIT}

PhotoRecorder = Recorder  # the console channel of tests/driver.py "downloads" a tiny PNG


class TranscriptError(ValueError):
    """A transcript file that cannot be read."""


def campaign_path(name: str) -> Path:
    """Where a campaign named in a transcript lives."""
    if name == "example":
        return ROOT / "bot/data/campaigns/example.toml"
    return ROOT / "tests/data/campaigns" / f"{name}.toml"


def parse_duration(text: str) -> timedelta:
    """'12d', '3h', '30m'."""
    unit = {"d": "days", "h": "hours", "m": "minutes"}[text[-1]]
    return timedelta(**{unit: int(text[:-1])})


def update_requested() -> bool:
    """Whether THIDUA_UPDATE_TRANSCRIPTS asks for the files to be rewritten."""
    return os.environ.get(UPDATE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Step:
    """A typed line or a directive, with the reply block the file gives under it."""

    line_no: int
    raw: str
    command: str  # "say" or a directive's name
    args: list[str]
    text: str = ""
    expected: list[str] = field(default_factory=list)  # block lines, indentation removed

    @property
    def replies(self) -> bool:
        """Whether the bot answers this step."""
        return self.command in REPLYING


@dataclass
class Script:
    """A transcript file: lines kept as they are, and the steps between them."""

    path: Path
    parts: list[str | Step]

    @property
    def steps(self) -> list[Step]:
        """The steps, in order."""
        return [part for part in self.parts if isinstance(part, Step)]


def parse(path: Path) -> Script:
    """Read a transcript file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    parts: list[str | Step] = []
    block: Step | None = None  # the step whose reply lines are being read
    for index, raw in enumerate(lines):
        number = index + 1
        where = f"{path.name}:{number}"
        if not raw.strip():
            following = next((line for line in lines[index + 1 :] if line.strip()), "")
            if block is not None and following.startswith((" ", "\t")):
                block.expected.append("")  # a blank line inside a message
            else:
                block = None
                parts.append(raw)
            continue
        if raw.startswith((" ", "\t")):
            if block is None:
                raise TranscriptError(f"{where}: a reply line with no typed line above it")
            if not block.replies:
                raise TranscriptError(f"{where}: @{block.command} gets no reply")
            block.expected.append(raw[len(INDENT) :] if raw.startswith(INDENT) else raw.lstrip())
            continue
        block = None
        if raw.startswith("#"):
            parts.append(raw)
            continue
        if raw.startswith("@"):
            name, *args = raw[1:].split()
            if name not in DIRECTIVES:
                raise TranscriptError(f"{where}: no directive @{name}")
            block = Step(number, raw, name, args)
        else:
            user, marker, text = raw.partition("> ")
            if not marker or not user.strip() or " " in user.strip():
                raise TranscriptError(f"{where}: expected 'person> text', got {raw!r}")
            block = Step(number, raw, "say", [user.strip()], text=text)
        parts.append(block)
    return Script(path, parts)


def block_lines(messages: list[Seen]) -> list[str]:
    """The reply block for some messages, without indentation."""
    lines: list[str] = []
    for index, message in enumerate(messages):
        if index:
            lines.append(SEPARATOR)
        lines += [line.rstrip() for line in message.text.strip().split("\n")]
        if message.buttons:
            rows = (" ".join(f"[{label}]" for label in row) for row in message.buttons)
            lines.append(KEYBOARD + " / ".join(rows))
    return lines


def render(script: Script, heard: list[list[Seen] | None]) -> str:
    """The transcript with every reply block replaced by what was heard."""
    out: list[str] = []
    replies = iter(heard)
    for part in script.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        out.append(part.raw)
        seen = next(replies)
        if seen is not None:
            out += [INDENT + line if line else "" for line in block_lines(seen)]
    return "\n".join(out) + "\n"


def on_channel(kind: str, messages: list[Seen]) -> list[Seen]:
    """What the console's messages must look like on `kind` (see the module's docstring)."""
    if kind == "console":
        return messages
    shown: list[Seen] = []
    for message in messages:
        parts = split_text(message.text, LIMITS[kind])
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            shown.append(Seen(part, message.buttons if last and kind == "telegram" else ()))
    return shown


async def replay(script: Script, bot: Bot) -> list[list[Seen] | None]:
    """Run every step on the bot; return what was heard at each (None where nothing is said)."""
    heard: list[list[Seen] | None] = []
    for step in script.steps:
        where = f"{script.path.name}:{step.line_no} ({bot.channel})"
        seen: list[Seen] | None = None
        if step.command == "campaign":
            await bot.load_campaign(campaign_path(step.args[0]))
        elif step.command == "clock":
            bot.clock.set(datetime.fromisoformat(step.args[0]))
        elif step.command == "advance":
            bot.clock.advance(parse_duration(step.args[0]))
        elif step.command == "restart":
            await bot.restart()
        elif step.command == "enrol":
            user, unit, role = step.args
            seen = await bot.join(user, unit, role, days=30)
        elif step.command == "photo":
            seen = await bot.hear_photo(step.args[0])
        else:
            seen = await bot.hear(step.args[0], step.text)
        if seen is not None:
            _check_readable(where, seen)
        heard.append(seen)
    return heard


def _check_readable(where: str, messages: list[Seen]) -> None:
    """Whatever the wording: no empty message, nothing that looks like a crash or a bug."""
    for message in messages:
        assert message.text.strip(), f"{where}: an empty message was sent"
        for word in LEAKS:
            assert word not in message.text, f"{where}: {word!r} reached a person:\n{message.text}"
        for line in message.text.split("\n"):
            assert line.strip() != SEPARATOR and not line.startswith(KEYBOARD), (
                f"{where}: the bot said {line!r}, which a transcript would misread"
            )


def channel_differences(
    script: Script, kind: str, console: list[list[Seen] | None], other: list[list[Seen] | None]
) -> list[str]:
    """Where `kind` showed a person something else than the console did (normalised)."""
    problems: list[str] = []
    for step, mine, theirs in zip(script.steps, console, other, strict=True):
        if mine is None or theirs is None:
            continue
        wanted = block_lines(on_channel(kind, mine))
        got = block_lines(theirs)
        if wanted != got:
            diff = "\n".join(
                difflib.unified_diff(wanted, got, "console (as shown on " + kind + ")", kind, n=2)
            )
            problems.append(f"{script.path.name}:{step.line_no} {step.raw!r} differs:\n{diff}")
    return problems


def _comparable(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().split("\n")]


async def check(path: Path, tmp_path: Path, *, update: bool = False) -> None:
    """Replay a transcript on every channel; compare them, and the console with the file.

    With `update`, the file's reply blocks are rewritten from the console first; channels that
    disagree still fail.
    """
    script = parse(path)
    heard: dict[str, list[list[Seen] | None]] = {}
    for kind in CHANNELS:
        folder = tmp_path / kind
        folder.mkdir()
        async with open_bot(folder, kind) as bot:
            heard[kind] = await replay(script, bot)
    problems: list[str] = []
    old = path.read_text(encoding="utf-8")
    new = render(script, heard["console"])
    if _comparable(new) != _comparable(old):
        if update:
            path.write_text(new, encoding="utf-8")
            warnings.warn(f"rewrote {path.name}: read `git diff {path}`", stacklevel=1)
        else:
            diff = "".join(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    f"{path.name} (expected)",
                    f"{path.name} (the bot said)",
                )
            )
            problems.append(
                f"{path.name}: the bot's replies differ from the transcript. If the new wording "
                f"is wanted, accept it with\n    {UPDATE_COMMAND}\nand read the diff.\n{diff}"
            )
    for kind in CHANNELS[1:]:
        problems += channel_differences(script, kind, heard["console"], heard[kind])
    assert not problems, "\n\n".join(problems)
