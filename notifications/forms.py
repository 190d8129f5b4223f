"""The preferences form and the office's robot form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import style
from regions.models import Unit

from .models import Preference, Robot

if TYPE_CHECKING:
    from accounts.models import User


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "sms"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("sms") and not self.user.phone:
            self.add_error("sms", _("Your account has no phone number; ask the office to add it."))
        if data.get("email") and not (self.user.email or (self.user.unit_id and self.user.unit.email)):
            self.add_error("email", _("Neither your account nor your unit has an e-mail address."))
        return data


class RobotForm(forms.ModelForm):
    url = forms.URLField(label=_("webhook address"), max_length=500, assume_scheme="https")
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "DingTalk: the SEC… string under 加签; Feishu: the signature key. Stored, never shown again."
        ),
    )

    class Meta:
        model = Robot
        fields = ["name", "kind", "unit", "url", "secret"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = Unit.objects.for_user(user).filter(is_active=True).order_by("name")
        self.fields["unit"].empty_label = _("— the whole region (titles and counts only) —")
        style(self)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://"):
            raise forms.ValidationError(_("A robot's webhook address starts with https://."))
        return url

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == Robot.Kind.FEISHU and not data.get("secret"):
            # Feishu accepts unsigned posts, but an unsigned webhook is open to anyone who sees its URL.
            self.add_error("secret", _("Give the robot's signing secret (Feishu: 签名校验)."))
        if kind in (Robot.Kind.DINGTALK, Robot.Kind.GOV_DINGTALK) and not data.get("secret"):
            self.add_error("secret", _("Give the robot's signing secret (DingTalk: 加签, SEC…)."))
        return data
