"""Campaigns as data: the TOML campaign format, its models and its checker."""

from bot.campaigns.loader import Problem, check_text, load_file
from bot.campaigns.model import (
    Campaign,
    CampaignInfo,
    Form,
    FormKind,
    Late,
    Question,
    ShowIf,
)
from bot.forms.kinds import Precision, QuestionKind

__all__ = [
    "Campaign",
    "CampaignInfo",
    "Form",
    "FormKind",
    "Late",
    "Precision",
    "Problem",
    "Question",
    "QuestionKind",
    "ShowIf",
    "check_text",
    "load_file",
]
