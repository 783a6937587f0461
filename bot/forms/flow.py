"""The typed state of the form conversation: what each step remembers, and what a draft holds.

The conversation row and the draft row store JSON; these models are the only way handlers read
and write it, so a step's data has one shape, checked on the way in and out. Rows written before
these models (a `purpose` of "dangky" / "baocao") are read as what they meant.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator

from bot.campaigns.model import FormKind
from bot.forms.engine import FormState
from bot.words import Command

FLOW = "form"


class Purpose(StrEnum):
    """What filling a form does."""

    REGISTER = "register"  # a new work (a registration form)
    REPORT = "report"  # a period report
    UPDATE = "update"  # progress of a registered work
    AMEND = "amend"  # a change to something already sent

    @classmethod
    def of(cls, kind: FormKind, *, amending: bool = False) -> Purpose:
        """The purpose of filling a form of `kind` (or of changing what was sent)."""
        if amending:
            return cls.AMEND
        return {
            FormKind.REGISTRATION: cls.REGISTER,
            FormKind.REPORT: cls.REPORT,
            FormKind.UPDATE: cls.UPDATE,
        }[kind]

    @property
    def resume_word(self) -> Command:
        """The command that comes back to a paused form of this purpose."""
        return {
            Purpose.REGISTER: Command.DANGKY,
            Purpose.REPORT: Command.BAOCAO,
            Purpose.UPDATE: Command.BAOCAO,
            Purpose.AMEND: Command.TRANGTHAI,
        }[self]


# The form kinds each command offers.
MENUS: dict[Command, frozenset[FormKind]] = {
    Command.DANGKY: frozenset({FormKind.REGISTRATION}),
    Command.BAOCAO: frozenset({FormKind.REPORT, FormKind.UPDATE}),
}


def _legacy_purpose(data: Any) -> Any:
    """Rows from 0.2 kept the command word as the purpose; read it as what it meant."""
    if isinstance(data, dict) and data.get("purpose") in ("dangky", "baocao"):
        data = dict(data)
        if data.get("target"):
            data["purpose"] = Purpose.AMEND
        else:
            data["purpose"] = Purpose.REGISTER if data["purpose"] == "dangky" else Purpose.REPORT
    return data


class Step(BaseModel):
    """Base of the data one step of the form conversation keeps."""

    step: str = ""

    def data(self) -> dict[str, Any]:
        """The JSON stored in the conversation row."""
        return self.model_dump(mode="json", exclude={"step"})


class PickForm(Step):
    """Several forms are open: which one (by number)."""

    step: str = "pick_form"
    menu: Command
    choices: list[tuple[str, str]]  # (campaign code, form id)
    labels: list[str] = Field(default_factory=list)  # the titles, so words of one pick it

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and "menu" not in data
            and data.get("purpose")
            in (
                "dangky",
                "baocao",
            )
        ):
            data = {**data, "menu": data["purpose"]}
        return data


class PickWork(Step):
    """An update form: which registered work it is about."""

    step: str = "pick_work"
    campaign: str
    form: str
    choices: list[int]  # submission ids of the works
    labels: list[str] = Field(default_factory=list)  # the works' names, so words pick one


class DraftOffer(Step):
    """A kept draft: continue it or start again."""

    step: str = "draft"
    draft: int


class Answering(Step):
    """The engine's questions, one by one, on a draft."""

    step: str = "answer"
    draft: int
    purpose: Purpose
    # A bare word that is both a command and a plausible answer ("Huy"), waiting for the
    # person to say which they meant.
    pending: str | None = None
    pending_command: Command | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        return _legacy_purpose(data)


class More(Step):
    """A registration was saved: register another work, or finish."""

    step: str = "more"
    campaign: str
    form: str


class StatusPick(Step):
    """After trangthai: which sent item to look at or change."""

    step: str = "status_pick"
    choices: list[int]


STEPS: dict[str, type[Step]] = {
    model.model_fields["step"].default: model
    for model in (PickForm, PickWork, DraftOffer, Answering, More, StatusPick)
}


def read_step(step: str, data: dict[str, Any]) -> Step | None:
    """The typed data of a stored step, or None when it is unknown or no longer readable."""
    model = STEPS.get(step)
    if model is None:
        return None
    try:
        return model.model_validate(data)
    except ValueError:
        return None


class DraftInfo(BaseModel):
    """What a draft row holds: which form, for what, about which work, and the engine state."""

    campaign: str
    form: str
    purpose: Purpose
    work: int | None = None  # the registered work an update is about
    target: int | None = None  # the submission an amendment changes
    engine: FormState = Field(default_factory=FormState)

    @model_validator(mode="before")
    @classmethod
    def _legacy(cls, data: Any) -> Any:
        return _legacy_purpose(data)

    def stored(self) -> dict[str, Any]:
        """The JSON stored in the draft row."""
        return self.model_dump(mode="json")
