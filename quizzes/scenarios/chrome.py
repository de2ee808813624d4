"""A channel's chrome (pack version 2) between its pack form and the model fields that keep it
(``quizzes.models.MessageChrome``, on steps and check items)."""

from typing import Any

from quizzes.models import MessageChrome

CHROME_TEXT_FIELDS = ("address", "subject", "url")


def chrome_to_dict(obj: MessageChrome) -> dict[str, Any]:
    """The chrome in pack form: only what the message shows (no empty values)."""
    data: dict[str, Any] = {}
    if obj.address:
        data["address"] = obj.address
    if obj.verified:
        data["verified"] = True
    if obj.subject:
        data["subject"] = obj.subject
    if obj.url:
        data["url"] = obj.url
    if obj.attachment_kind:
        attachment = {"kind": obj.attachment_kind, "title": obj.attachment_title}
        if obj.attachment_text:
            attachment["text"] = obj.attachment_text
        data["attachment"] = attachment
    return data


def chrome_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Model field values for the chrome of a step or check item given in pack form."""
    attachment = data.get("attachment") or {}
    return {
        "address": data.get("address", ""),
        "verified": bool(data.get("verified", False)),
        "subject": data.get("subject", ""),
        "url": data.get("url", ""),
        "attachment_kind": attachment.get("kind", ""),
        "attachment_title": attachment.get("title", ""),
        "attachment_text": attachment.get("text", ""),
    }
