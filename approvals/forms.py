"""Forms of the node plans: apply a template, edit a node, record it, suspend it; office templates."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.forms import style
from lib.images import photo_file
from lib.today import today
from regions.models import Unit

from .models import ApprovalNode, NodeSuspension, NodeTemplate, Procedure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# The type is decided by the content, never the name (as lib/uploads does for spreadsheets).
ATTACHMENT_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _departments(region) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        queryset=Unit.objects.filter(region=region, is_active=True).order_by("name"),
        required=False,
        label=_("approving department"),
    )
    field.empty_label = _("Choose a department")
    return field


class ApplyTemplateForm(forms.Form):
    procedure = forms.ChoiceField(label=_("kind of project"), choices=Procedure.choices)
    start = forms.DateField(label=_("first submission planned on"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class NodeForm(forms.ModelForm):
    """A node of the plan, set by the office."""

    class Meta:
        model = ApprovalNode
        fields = [
            "name",
            "department",
            "planned_on",
            "time_limit",
            "limit_basis",
            "parallel_group",
            "required_for_start",
        ]
        widgets = {"planned_on": DATE}

    def __init__(self, *args, project=None, candidate=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The plan's holder: a project, or a reserve candidate before it is promoted.
        self.owner = {"project": project} if project is not None else {"candidate": candidate}
        self.fields["department"] = _departments((project or candidate).region)
        self.fields["time_limit"].validators.append(_at_most_a_year)
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        same = ApprovalNode.objects.filter(**self.owner, name=data.get("name")).exclude(pk=self.instance.pk)
        if same.exists():
            self.add_error("name", _("The plan already has a node of this name."))
        return data


def _at_most_a_year(value: int) -> None:
    if value < 1 or value > 365:
        raise ValidationError(_("A time limit is between 1 and 365 working days."))


class ServedFileInput(forms.ClearableFileInput):
    """The current file linked through the app's permission-checked view (approvals.files), not by
    its storage address: nothing serves /media/ in production, and an S3 address is signed for anyone."""

    def __init__(self, *args, served: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.served = served

    def format_value(self, value):
        if self.is_initial(value):
            return _Served(self.served, value.name.rsplit("/", 1)[-1])
        return super().format_value(value)


class _Served:
    """What the widget's template reads of the current file: its address and its name."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name

    def __str__(self) -> str:
        return self.name


class RecordForm(forms.ModelForm):
    """What happened to a node: submitted complete, approved with its document number and file."""

    class Meta:
        model = ApprovalNode
        fields = ["submitted_on", "approved_on", "doc_number", "attachment", "note"]
        widgets = {"submitted_on": DATE, "approved_on": DATE}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _("PDF, JPEG or PNG, at most 10 MB.")
        if self.instance.pk and self.instance.attachment:
            self.fields["attachment"].widget = ServedFileInput(
                served=reverse("approvals:attachment", args=[self.instance.pk])
            )
        style(self)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged (an existing file) or none
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(ATTACHMENT_MAGIC):
            raise ValidationError(_("Attach a PDF, JPEG or PNG file."))
        # Stored under a name of our own (issue 13 item 5): never the uploader's name or extension; a
        # picture is drawn again (no metadata, nothing hidden behind it), a PDF named .pdf.
        if head.startswith(b"%PDF-"):
            upload.name = f"{secrets.token_hex(16)}.pdf"
            return upload
        return photo_file(upload)

    def clean(self) -> dict:
        data = super().clean()
        submitted, approved = data.get("submitted_on"), data.get("approved_on")
        on = today()
        for name in ("submitted_on", "approved_on"):
            if data.get(name) and data[name] > on:
                self.add_error(name, _("This date is in the future."))
        if approved and not submitted:
            self.add_error("submitted_on", _("An approved node was submitted first: enter that date."))
        elif approved and submitted and approved < submitted:
            self.add_error("approved_on", _("The approval cannot come before the submission."))
        if approved and not (data.get("doc_number") or "").strip():
            self.add_error("doc_number", _("Enter the approval's document number."))
        return data


class SuspensionForm(forms.ModelForm):
    class Meta:
        model = NodeSuspension
        fields = ["reason", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, node: ApprovalNode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.node = node
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if self.node.submitted_on is None:
            raise ValidationError(_("A node is suspended only once it has been submitted."))
        if starts and starts < self.node.submitted_on:
            self.add_error("starts_on", _("A suspension starts on or after the submission."))
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot come before the start."))
        if starts and starts > today() + dt.timedelta(days=366):
            self.add_error("starts_on", _("This date is too far ahead."))
        return data


class TemplateNodeForm(forms.ModelForm):
    class Meta:
        model = NodeTemplate
        fields = [
            "procedure",
            "sort",
            "name",
            "department",
            "time_limit",
            "limit_basis",
            "parallel_group",
            "required_for_start",
        ]

    def __init__(self, *args, region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["department"] = _departments(region)
        self.fields["time_limit"].validators.append(_at_most_a_year)
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        same = NodeTemplate.objects.filter(
            region=self.region, procedure=data.get("procedure"), name=data.get("name")
        ).exclude(pk=self.instance.pk)
        if same.exists():
            self.add_error("name", _("This kind of project already has a node of this name."))
        return data
