"""What a person types, read without caring for case, diacritics or a leading slash."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

# Dropped when folding: diacritics and other marks (Mn, Me: also the emoji variation selector),
# and invisible format characters (Cf: zero-width space and joiners, BOM, word joiner, bidi
# marks, soft hyphen), which some keyboards and copy-paste slip into a command ("dang\u200bky").
_IGNORED = frozenset({"Mn", "Me", "Cf"})


@lru_cache(maxsize=8192)  # option labels and command words are folded again and again
def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and invisible characters, and collapse
    whitespace."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _IGNORED)
    return " ".join(bare.lower().split())


class Command(StrEnum):
    """The command words of spec/interface.md §3."""

    START = "start"
    DANGKY = "dangky"
    BAOCAO = "baocao"
    TRANGTHAI = "trangthai"
    TONGHOP = "tonghop"
    XUAT = "xuat"
    THONGBAO = "thongbao"
    MOI = "moi"
    TROGIUP = "trogiup"
    HUY = "huy"
    QUAYLAI = "quaylai"
    BOQUA = "boqua"
    SUA = "sua"
    GUI = "gui"


# Words that act on the conversation in progress rather than start anything.
NAVIGATION = frozenset({Command.QUAYLAI, Command.BOQUA, Command.SUA, Command.GUI})

# Folded, space-free spellings → command. "xong" submits a summary and ends a photo list.
_WORDS: dict[str, Command] = {
    "start": Command.START,
    "batdau": Command.START,
    "dangky": Command.DANGKY,
    "dangki": Command.DANGKY,
    "baocao": Command.BAOCAO,
    "trangthai": Command.TRANGTHAI,
    "tonghop": Command.TONGHOP,
    "xuat": Command.XUAT,
    "thongbao": Command.THONGBAO,
    "moi": Command.MOI,
    "trogiup": Command.TROGIUP,
    "help": Command.TROGIUP,
    "huy": Command.HUY,
    "cancel": Command.HUY,
    "quaylai": Command.QUAYLAI,
    "boqua": Command.BOQUA,
    "sua": Command.SUA,
    "gui": Command.GUI,
    "xong": Command.GUI,
}

# Commands that carry an argument: "/start CODE", "sửa 3".
_WITH_ARGUMENT = {Command.START, Command.SUA}
_BOT_SUFFIX = re.compile(r"^(/?[^\s@]+)@\w+")


@dataclass(frozen=True)
class Parsed:
    """A recognised command word and whatever followed it."""

    command: Command
    argument: str = ""
    raw_word: str = ""


def parse_command(text: str) -> Parsed | None:
    """Return the command a message is, or None when it is not one of the command words."""
    stripped = _BOT_SUFFIX.sub(r"\1", text.strip())  # "/start@thidua_bot CODE"
    if not stripped:
        return None
    folded = fold(stripped).lstrip("/")
    if not folded:
        return None
    whole = folded.replace(" ", "")
    if whole in _WORDS:
        return Parsed(_WORDS[whole], "", whole)
    # "sua 3", "sua3", "start ABC": a command word followed by an argument.
    head = folded.partition(" ")[0]
    command = _WORDS.get(head)
    if command in _WITH_ARGUMENT and command is not None:
        return Parsed(command, _original_tail(stripped), head)
    match = re.fullmatch(r"(sua)(\d+)", whole)
    if match:
        return Parsed(Command.SUA, match.group(2), "sua")
    return None


def _original_tail(text: str) -> str:
    """Return what follows the command word, as typed (invite codes keep their case) but
    without invisible format characters, which the command word was read without too."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    body = visible.lstrip().lstrip("/")
    parts = body.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""
