"""Every sentence a person sees, from one catalogue per language (Vietnamese first)."""

from __future__ import annotations

from typing import Any

from bot.texts import en, vi

CATALOGUES: dict[str, dict[str, str]] = {"vi": vi.CATALOGUE, "en": en.CATALOGUE}


class Texts:
    """Looks sentences up by key in one language and fills in their placeholders."""

    def __init__(self, language: str = "vi") -> None:
        self.language = language
        self._catalogue = CATALOGUES[language]

    def has(self, key: str) -> bool:
        """True when the catalogue has a sentence `key`."""
        return key in self._catalogue

    def __call__(self, key: str, **values: Any) -> str:
        """Return the sentence `key`, formatted with `values`."""
        return self._catalogue[key].format(**values)


VI = Texts("vi")
EN = Texts("en")


def bilingual(key: str, **values: Any) -> str:
    """Return the Vietnamese sentence and its English twin, for the command line."""
    return f"{VI(key, **values)} / {EN(key, **values)}"
