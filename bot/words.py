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
    return " ".join(unmarked(text).lower().split())


def unmarked(text: str) -> str:
    """The text without Vietnamese diacritics (đ → d) and invisible characters, case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) not in _IGNORED)


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

_BOT_SUFFIX = re.compile(r"^(/?[^\s@]+)@\w+")


# At a question reached by "sửa N": keep the answer it has and go back to the summary.
_KEEP_WORDS = frozenset(
    {"giu nguyen", "giu", "giu lai", "khong doi", "khong sua", "nhu cu", "de nguyen", "van vay"}
)
_PARTICLES = frozenset({"a", "da", "vang", "nhe", "nha", "thoi"})


def is_keep(text: str) -> bool:
    """True for "giữ nguyên", "không đổi", "như cũ"… (politeness around them allowed)."""
    words = [w for w in fold(text).strip(" .!").split() if w not in _PARTICLES]
    return " ".join(words) in _KEEP_WORDS


# Bare command words that are also ordinary words a person may give as an answer ("Huy" is a
# name, "xong" and "mới" a state of works, "sửa" a kind of work): at a free-text question they
# are confirmed, never guessed.
AMBIGUOUS_WORDS = frozenset({"huy", "xong", "moi", "sua"})
# "sua 3", "sửa câu 3", "sua 3 ạ": the only shapes in which "sửa" is a command with an argument.
_EDIT_ARGUMENT = re.compile(r"(?:cau\s*)?(-?[0-9]+)(?:\s*(?:a|nhe|nha))?[.!]?", re.ASCII)
# "start CODE" without a slash is a command only when CODE is shaped like an invite code, so an
# answer such as "Start up xanh" is an answer, not a wrong code.
_CODE = re.compile(r"[A-Za-z0-9]{8}", re.ASCII)


@dataclass(frozen=True)
class Parsed:
    """A recognised command word and whatever followed it."""

    command: Command
    argument: str = ""
    raw_word: str = ""
    slashed: bool = False  # typed as "/huy": a command beyond doubt

    @property
    def ambiguous(self) -> bool:
        """A bare word that could also be an answer to a free-text question."""
        return not self.slashed and not self.argument and self.raw_word in AMBIGUOUS_WORDS


def parse_command(text: str) -> Parsed | None:
    """Return the command a message is, or None when it is not one of the command words.

    A message that merely begins with a command word is not a command: "Sửa nhà cho hộ nghèo"
    is an answer. Only "sửa N" and "/start CODE" (or a bare code-shaped argument) carry one.
    """
    stripped = _BOT_SUFFIX.sub(r"\1", text.strip())  # "/start@thidua_bot CODE"
    if not stripped:
        return None
    folded = fold(stripped)
    slashed = folded.startswith("/")
    folded = folded.lstrip("/")
    if not folded:
        return None
    whole = folded.replace(" ", "")
    if whole in _WORDS:
        return Parsed(_WORDS[whole], "", whole, slashed)
    head, _, tail = folded.partition(" ")
    command = _WORDS.get(head)
    if command is Command.START:
        argument = _original_tail(stripped)
        if slashed or _CODE.fullmatch(re.sub(r"[\s\-_.]", "", argument)):
            return Parsed(command, argument, head, slashed)
        return None
    # NFKC reads "¹²", "①" and full-width digits as the digits they show.
    edit = _EDIT_ARGUMENT.fullmatch(unicodedata.normalize("NFKC", tail).strip())
    if command is Command.SUA and edit:
        return Parsed(command, edit.group(1), head, slashed)
    match = re.fullmatch(r"sua([0-9]{1,4})", whole, re.ASCII)
    if match:
        return Parsed(Command.SUA, match.group(1), "sua", slashed)
    return None


def _original_tail(text: str) -> str:
    """Return what follows the command word, as typed (invite codes keep their case) but
    without invisible format characters, which the command word was read without too."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    body = visible.lstrip().lstrip("/")
    parts = body.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""
