"""The pool's forms: a candidate, the office's review, a packaging document, a funding application,
a channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.documents import DocumentRejected, sniff_document
from lib.forms import NOTE_MAX_LENGTH, MoneyField, bounded_text, style
from lib.upload_limits import TooLargeUpload
from projects.models import Leader, Township, Unit

from .models import Candidate, FundingApplication, FundingChannel, PackagingDocument, clean_national_code

if TYPE_CHECKING:
    from accounts.models import User

DOCUMENT_MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than 10 MB."),
    "damaged": _("The document is damaged and cannot be read."),
    "bomb": _("The document inflates to far more than its size and was refused."),
    "type": _("Attach a PDF, a Word document (.docx, .doc) or a JPEG or PNG scan."),
}


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "name",
            "sector",
            "lead_unit",
            "townships",
            "leader",
            "owner",
            "location",
            "content",
            "estimated_investment",
            "proposed_start_year",
            "maturity",
            "national_code",
            "channels",
            "entered_on",
        ]
        field_classes = {"estimated_investment": MoneyField}
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "entered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "channels": forms.CheckboxSelectMultiple,
        }
        formfield_callback = bounded_text

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        region = user.region
        self.fields["lead_unit"].queryset = Unit.objects.for_user(user)
        self.fields["townships"].queryset = Township.objects.filter(region__path__startswith=region.path)
        self.fields["leader"].queryset = Leader.objects.filter(region__path__startswith=region.path)
        # Retired channels are offered no more, except to the candidates already aligned with them.
        keep = (
            Q(retired=False) | Q(pk__in=self.instance.channels.values("pk"))
            if self.instance.pk
            else Q(retired=False)
        )
        channels = FundingChannel.objects.for_user(user).filter(keep)
        self.fields["channels"].queryset = channels.distinct()
        self.fields["national_code"].help_text = _(
            "Issued by the online approval platform, e.g. %(example)s"
        ) % {"example": "2020-500241-48-01-000123"}
        if user.is_unit:
            del self.fields["lead_unit"]
        style(self)
        self.fields["channels"].widget.attrs.pop("class", None)

    def clean_national_code(self) -> str:
        value = self.cleaned_data.get("national_code", "")
        if not value.strip():
            return ""
        code = clean_national_code(value)
        taken = Candidate.objects.filter(national_code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("Another candidate already has this project code."), code="unique")
        return code


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review decision"), choices=[("accept", _("Accept")), ("return", _("Return to the unit"))]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Candidate.Priority.choices], required=False
    )
    reason = forms.CharField(
        label=_("Reason for return"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the candidate is returned."))
        return data


def check_document(upload: UploadedFile) -> str:
    """The extension the upload's content deserves, or a ValidationError in the user's language."""
    if isinstance(upload, TooLargeUpload):
        raise ValidationError(DOCUMENT_MESSAGES["too_large"], code="too_large")
    data = upload.read()
    upload.seek(0)
    try:
        return sniff_document(data)
    except DocumentRejected as exc:
        raise ValidationError(DOCUMENT_MESSAGES[exc.code], code=exc.code) from exc


class DocumentForm(forms.ModelForm):
    class Meta:
        model = PackagingDocument
        fields = ["kind", "state", "approved_on", "approving_body", "document_number"]
        widgets = {"approved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    upload = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("upload")
        if upload:
            ext = check_document(upload)
            upload.name = f"document.{ext}"  # the stored name is random; only the type is kept
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("state") == PackagingDocument.State.APPROVED:
            if not data.get("approved_on"):
                self.add_error("approved_on", _("An approved document needs its approval date."))
            if not (data.get("approving_body") or "").strip():
                self.add_error("approving_body", _("An approved document needs its approving body."))
        return data


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = FundingApplication
        fields = [
            "channel",
            "batch",
            "amount_applied",
            "amount_approved",
            "amount_arrived",
            "applied_on",
            "approved_on",
            "arrived_on",
        ]
        field_classes = {
            "amount_applied": MoneyField,
            "amount_approved": MoneyField,
            "amount_arrived": MoneyField,
        }
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("applied_on", "approved_on", "arrived_on")
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = FundingChannel.objects.for_user(user).active()
        for name in ("amount_approved", "amount_arrived"):
            self.fields[name].required = False
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("amount_approved", "amount_arrived"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        applied, approved, arrived = (
            data.get(n) for n in ("amount_applied", "amount_approved", "amount_arrived")
        )
        if applied is not None and approved is not None and approved > applied:
            self.add_error("amount_approved", _("More is approved than was applied for."))
        if approved is not None and arrived is not None and arrived > approved:
            self.add_error("amount_arrived", _("More has arrived than was approved."))
        return data


class ChannelForm(forms.ModelForm):
    class Meta:
        model = FundingChannel
        fields = ["name", "sort", "retired"]

    def __init__(self, *args, region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        style(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = FundingChannel.objects.filter(region=self.region, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("The region already has a channel of this name."), code="unique")
        return name
