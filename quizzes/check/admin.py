"""The editors' admin for the check's items."""

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from quizzes.models import CheckItem
from quizzes.scenarios.forms import TacticsField


class CheckItemAdminForm(forms.ModelForm):
    tactics = TacticsField(
        label=_("tactics"), help_text=_("The tactics that give a scam away (at least one).")
    )

    class Meta:
        model = CheckItem
        fields = (
            "language",
            "key",
            "topic",
            "pair",
            "channel",
            "sender",
            "address",
            "verified",
            "subject",
            "url",
            "attachment_kind",
            "attachment_title",
            "attachment_text",
            "text",
            "is_scam",
            "tactics",
            "explanation",
        )
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "cols": 60})}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean() returns (typed as optional)
        if data.get("is_scam") and not data.get("tactics"):
            self.add_error("tactics", _("A scam item must name at least one tactic."))
        attachment_given = data.get("attachment_title") or data.get("attachment_text")
        if attachment_given and not data.get("attachment_kind"):
            self.add_error("attachment_kind", _("Say what kind of attachment this is."))
        return data


@admin.register(CheckItem)
class CheckItemAdmin(admin.ModelAdmin):
    form = CheckItemAdminForm
    list_display = ("key", "language", "channel", "sender", "is_scam")
    list_filter = ("language", "channel", "is_scam")
    search_fields = ("key", "sender", "text", "explanation")
    fields = (
        ("language", "key"),
        ("topic", "pair"),
        ("channel", "sender"),
        ("address", "verified"),
        ("subject", "url"),
        ("attachment_kind", "attachment_title"),
        "attachment_text",
        "text",
        "is_scam",
        "tactics",
        "explanation",
    )
