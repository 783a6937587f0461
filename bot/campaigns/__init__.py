"""Campaigns as data: the TOML campaign format, its models and its checker."""

from bot.campaigns.loader import Problem, check_text, load_file
from bot.campaigns.model import (
    Campaign,
    CampaignInfo,
    Form,
    FormKind,
    Late,
    Precision,
    Question,
    QuestionKind,
    ShowIf,
)

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
