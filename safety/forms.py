"""Quality and safety forms: an inspection, a hazard it found, a rectification, a verification or
send-back, an accident. Photos pass lib.images like every photo (checked by content, drawn again)."""

from __future__ import annotations

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from lib import concurrency, images
from lib.forms import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, DayField, bounded_text, style
from lib.today import today
from projects.forms import DATE
from projects.models import Project, Unit

from .models import Accident, Hazard, SafetyInspection
from .services import project_units

PHOTO_HELP = _("JPEG or PNG, up to 8 MB.")


class PhotoField(forms.FileField):
    """One optional photo, handed on as the picture lib.images drew again (never the upload)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, help_text=PHOTO_HELP, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png", "capture": "environment"})

    def clean(self, data: UploadedFile | None, initial=None) -> ContentFile | None:
        upload = super().clean(data, initial)
        return images.photo_file(upload) if upload else None


class InspectionForm(forms.ModelForm):
    date = DayField(label=_("Inspection date"), widget=DATE)

    class Meta:
        formfield_callback = bounded_text
        model = SafetyInspection
        fields = ["date", "body", "body_name", "inspectors", "kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "body_name": _("e.g. the supervising company or the station's name"),
            "inspectors": _("Names, separated by commas"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class HazardForm(forms.ModelForm):
    deadline = DayField(label=_("Rectification deadline"), widget=DATE)
    photo = PhotoField(label=_("Photo"))

    class Meta:
        formfield_callback = bounded_text
        model = Hazard
        fields = [
            "inspection",
            "level",
            "category",
            "description",
            "deadline",
            "responsible_unit",
            "contractor",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"contractor": _("The construction company that must rectify, if named")}

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = SafetyInspection.objects.filter(project=project)
        self.fields["inspection"].empty_label = None
        self.fields["responsible_unit"].queryset = Unit.objects.filter(
            pk__in=[u.pk for u in project_units(project)]
        )
        self.fields["responsible_unit"].initial = project.lead_unit_id
        self.fields["responsible_unit"].empty_label = None
        style(self)


class RectifyForm(forms.Form):
    measures = forms.CharField(
        label=_("Measures taken"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectified_on = DayField(label=_("Rectified on"), widget=DATE)
    photo = PhotoField(label=_("Photo after rectification"))

    def __init__(self, *args, hazard: Hazard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rectified_on"].initial = today
        style(self)
        concurrency.carry_version(self, hazard)


class VerifyForm(forms.Form):
    """Verify (no text needed) or send back (the reason is required, checked by the service)."""

    reason = forms.CharField(
        label=_("Reason for sending back"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when sending it back."),
    )

    def __init__(self, *args, hazard: Hazard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        concurrency.carry_version(self, hazard)


class AccidentForm(forms.ModelForm):
    date = DayField(label=_("Date of the accident"), widget=DATE)

    class Meta:
        formfield_callback = bounded_text
        model = Accident
        fields = ["date", "level", "deaths", "injuries", "description", "report_status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        concurrency.carry_version(self, self.instance)
