"""Read and check a campaign file, listing every problem as `FILE:LINE: key: vi / en`."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.campaigns.locate import Loc, Locator
from bot.campaigns.model import (
    RULE_ERROR,
    SKIP_CROSS_CHECKS,
    Campaign,
    CampaignInfo,
    Form,
    Question,
    ShowIf,
    quoted,
)
from bot.campaigns.rules import Issue, cross_check


@dataclass(frozen=True)
class Problem:
    """One problem of a campaign file: where it is and what is wrong, in two languages."""

    file: str
    line: int | None
    key: str
    message: str

    def render(self) -> str:
        """Return `FILE:LINE: key: message`, or `FILE: key: message` when the line is unknown."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.key}: {self.message}"


def load_file(
    path: Path, *, levels: Collection[str], units: Collection[str] | None = None
) -> tuple[Campaign | None, list[Problem]]:
    """Read and check a campaign file; unreadable files are problems too, never exceptions."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, None, "file", "không tìm thấy tệp / no such file")]
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [
            Problem(name, None, "file", f"không đọc được tệp: {reason} / cannot read: {reason}")
        ]
    try:
        # utf-8-sig: Notepad on Windows may save UTF-8 with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = (
            "tệp không phải UTF-8, hãy lưu lại với bảng mã UTF-8 / "
            "the file is not UTF-8; save it again as UTF-8"
        )
        return None, [Problem(name, line, "file", message)]
    return check_text(text, name, levels=levels, units=units)


def check_text(
    text: str,
    filename: str,
    *,
    levels: Collection[str],
    units: Collection[str] | None = None,
) -> tuple[Campaign | None, list[Problem]]:
    """Check a campaign's TOML text; return the campaign only when there is no problem at all.

    `units` is the set of known unit codes; None skips the scope check (no database at hand).
    """
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [_syntax_problem(filename, str(exc), text)]
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively; hundreds of levels
        # exhaust the stack. No campaign needs more than a few.
        message = "TOML không hợp lệ: lồng nhau quá sâu / not valid TOML: nested too deeply"
        return None, [Problem(filename, None, "toml", message)]
    except ValueError:
        # Python refuses to read an integer of more than 4,300 digits (a denial-of-service guard).
        message = "TOML không hợp lệ: số quá dài / not valid TOML: a number is far too long"
        return None, [Problem(filename, None, "toml", message)]
    if not data:
        message = (
            "tệp trống: cần bảng [campaign] và ít nhất một [[forms]] / "
            "the file is empty: it needs a [campaign] table and at least one [[forms]]"
        )
        return None, [Problem(filename, 1, "file", message)]
    locator = Locator(text)
    problems: list[Problem] = []
    campaign: Campaign | None = None
    try:
        campaign = Campaign.model_validate(data, context={SKIP_CROSS_CHECKS: True})
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            vi, en = _translate(error)
            loc = tuple(error["loc"])
            problems.append(
                Problem(filename, locator.line(loc), readable_key(loc, data), f"{vi} / {en}")
            )
    # Cross-table rules run even when pydantic refused parts: every problem in one run.
    for issue in cross_check(data, levels=levels, units=units):
        problems.append(_issue_problem(filename, issue, data, locator))
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return (campaign if not problems else None), problems


def _issue_problem(
    filename: str, issue: Issue, data: Mapping[str, Any], locator: Locator
) -> Problem:
    vi, en = issue.vi, issue.en
    if issue.other is not None:
        other_line = locator.line(issue.other)
        if other_line is not None:
            vi, en = f"{vi} (đã có ở dòng {other_line})", f"{en} (first on line {other_line})"
        else:
            where = readable_key(issue.other, data)
            vi, en = f"{vi} (đã có ở {where})", f"{en} (first at {where})"
    return Problem(filename, locator.line(issue.loc), readable_key(issue.loc, data), f"{vi} / {en}")


_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_TOML_MESSAGES = {
    "Invalid statement": "câu lệnh không hợp lệ",
    "Expected '=' after a key in a key/value pair": "thiếu dấu '=' sau tên khóa",
    "Cannot overwrite a value": "khóa hoặc bảng bị khai báo hai lần",
    "Invalid value": 'giá trị không hợp lệ (chữ phải đặt trong dấu nháy "...")',
    "Unterminated string": "chuỗi chưa đóng dấu nháy",
    "Unclosed array": "danh sách chưa đóng dấu ]",
    "Unclosed inline table": "bảng chưa đóng dấu }",
    "Invalid date or datetime": "ngày không hợp lệ (dạng 2023-11-30)",
    "Expected ']' at the end of a table declaration": "thiếu dấu ] cuối tên bảng",
    "Expected ']]' at the end of an array declaration": "thiếu dấu ]] cuối tên bảng",
    "Invalid initial character for a key part": "tên khóa có ký tự không hợp lệ",
}


def _syntax_problem(filename: str, message: str, text: str) -> Problem:
    """Turn tomllib's "Invalid value (at line 3, column 9)" into a problem on line 3."""
    match = _TOML_POSITION.search(message)
    detail = message[: match.start()] if match else message
    line: int | None = None
    vi_column = en_column = ""
    if match and match.group(1):
        line = int(match.group(1))
        vi_column, en_column = f" (cột {match.group(2)})", f" (column {match.group(2)})"
    elif match:
        line = text.count("\n") + 1  # "end of document": the last line
    vi = _TOML_MESSAGES.get(detail, detail)
    return Problem(
        filename,
        line,
        "toml",
        f"lỗi cú pháp TOML: {vi}{vi_column} / TOML syntax error: {detail}{en_column}",
    )


# The model behind each key path, ignoring indexes: for "did you mean" on unknown keys.
_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): Campaign,
    ("campaign",): CampaignInfo,
    ("forms",): Form,
    ("forms", "questions"): Question,
    ("forms", "questions", "show_if"): ShowIf,
}
_TABLE_NAMES = {
    ("campaign",): ("bảng [campaign]", "the [campaign] table"),
    ("forms",): ("ít nhất một bảng [[forms]]", "at least one [[forms]] table"),
    ("forms", "questions"): (
        "ít nhất một câu hỏi [[forms.questions]]",
        "at least one [[forms.questions]]",
    ),
}
_TYPES = {
    "string_type": ('phải là chữ trong dấu nháy "..."', 'must be text in quotes "..."'),
    "bool_type": ("phải là true hoặc false (không có dấu nháy)", "must be true or false"),
    "int_type": ("phải là số nguyên", "must be a whole number"),
    "int_from_float": ("phải là số nguyên", "must be a whole number"),
    "int_parsing": ("phải là số nguyên", "must be a whole number"),
    "float_type": ("phải là một số", "must be a number"),
    "list_type": ("phải là danh sách [...]", "must be a list [...]"),
    "model_type": ("phải là một bảng", "must be a table"),
    "model_attributes_type": ("phải là một bảng", "must be a table"),
    "dict_type": ("phải là một bảng", "must be a table"),
    "date_type": ("phải là ngày dạng 2023-11-30", "must be a date like 2023-11-30"),
    "date_parsing": ("ngày không hợp lệ, ghi dạng 2023-11-30", "not a valid date, e.g. 2023-11-30"),
    "date_from_datetime_parsing": (
        "ngày không hợp lệ, ghi dạng 2023-11-30",
        "not a valid date, e.g. 2023-11-30",
    ),
    "date_from_datetime_inexact": ("chỉ ghi ngày, không ghi giờ", "a date without a time"),
    "string_too_short": ("không được để trống", "must not be empty"),
}


def _translate(error: ErrorDetails) -> tuple[str, str]:
    """Return a pydantic error as (Vietnamese, English)."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    loc = tuple(error["loc"])
    shape = tuple(part for part in loc if isinstance(part, str))
    if kind == RULE_ERROR:
        return str(ctx["vi"]), str(ctx["en"])
    if kind == "missing":
        if shape in _TABLE_NAMES:
            vi, en = _TABLE_NAMES[shape]
            return f"thiếu {vi}", f"{en} is missing"
        return "thiếu khóa bắt buộc", "a required key is missing"
    if kind == "extra_forbidden":
        model = _MODELS.get(shape[:-1])
        close = difflib.get_close_matches(shape[-1], list(model.model_fields), n=1) if model else []
        if close:
            return (
                f"khóa không hợp lệ (gõ nhầm? có phải {close[0]}?)",
                f"unknown key (a typo? did you mean {close[0]}?)",
            )
        return "khóa không hợp lệ (gõ nhầm?)", "unknown key (a typo?)"
    if kind in ("enum", "literal_error"):
        given = quoted(error["input"])
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        typed = error["input"] if isinstance(error["input"], str) else ""
        close = difflib.get_close_matches(typed, expected.split(", "), n=1)
        if close:
            return (
                f"{given} không hợp lệ (gõ nhầm? có phải {close[0]}?); chọn một trong: {expected}",
                f"{given} is not valid (a typo? did you mean {close[0]}?); use one of: {expected}",
            )
        return (
            f"{given} không hợp lệ; chọn một trong: {expected}",
            f"{given} is not valid; use one of: {expected}",
        )
    if kind == "too_short":
        if shape in _TABLE_NAMES:
            vi, en = _TABLE_NAMES[shape]
            return f"cần {vi}", f"needs {en}"
        count = ctx.get("min_length", 1)
        return f"cần ít nhất {count} mục", f"needs at least {count} item(s)"
    if kind == "greater_than_equal":
        return f"phải từ {ctx.get('ge')} trở lên", f"must be at least {ctx.get('ge')}"
    if kind in _TYPES:
        return _TYPES[kind]
    return "giá trị không hợp lệ", error["msg"]


def readable_key(loc: Loc, data: Mapping[str, Any]) -> str:
    """Return a key path like `forms[dang-ky].questions[kinh_phi].show_if`.

    An element of an array is named by its `id` when it has a usable one, else by its position
    counted from 1, e.g. `forms[#2].reminders[#3]`.
    """
    text = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            usable = isinstance(ident, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", ident)
            text += f"[{ident}]" if usable else f"[#{part + 1}]"
            node = item
        else:
            text += f".{part}" if text else part
            node = node.get(part) if isinstance(node, dict) else None
    return text
