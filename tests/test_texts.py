"""The voice: both catalogues agree, no English jargon, no Markdown, refusals give an example."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts import CATALOGUES, bilingual
from bot.texts.vi import CATALOGUE as VI

DENY = ("error", "invalid", "none", "null", "true", "false", "ok", "traceback", "exception")
# Sentences that refuse an answer and must show what a right one looks like.
REFUSALS = (
    "enrol_wrong_code",
    "enrol_wrong_code_last",
    "enrol_expired",
    "moi_unit_none",
    "moi_unit_too_many",
    "moi_bad_role",
    "text_only",
    "refused_unenrolled",
    "welcome",
    "help_unenrolled",
    "form_too_long",
    "form_too_short",
    "form_pattern",
    "form_bad_integer",
    "form_bad_number",
    "form_out_of_range",
    "form_bad_money",
    "form_bad_date",
    "form_bad_month",
    "form_date_out_of_range",
    "form_bad_choice",
    "form_bad_multichoice",
    "form_bad_yesno",
    "form_photo_expected",
    "form_photo_required",
    "form_file_expected",
    "form_text_expected",
    "form_file_unsupported",
    "form_bad_edit_number",
    "form_draft_choice",
    "form_more_choice",
    "form_pick_number",
)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    assert set(vi) == set(en)
    for key in vi:
        assert _fields(vi[key]) == _fields(en[key]), key


@pytest.mark.parametrize("key", sorted(VI))
def test_vietnamese_voice(key: str) -> None:
    text = VI[key]
    words = set(re.findall(r"[a-z]+", text.lower()))
    assert not words & set(DENY), key
    assert not any(mark in text for mark in ("**", "__", "<b>", "</", "`", "# ")), key
    assert " bạn " not in f" {text.lower()} " and "tôi" not in text.lower().split()
    assert text.count(" ạ") <= 1


@pytest.mark.parametrize("key", REFUSALS)
def test_refusals_give_an_example(key: str) -> None:
    assert "ví dụ" in VI[key].lower()


def test_prompts_fit_a_phone_screen() -> None:
    for key, text in VI.items():
        assert len(text.splitlines()) <= 8, key


def test_bilingual_for_the_command_line() -> None:
    line = bilingual("enrol_used")
    assert "đã được dùng" in line and "already been used" in line
