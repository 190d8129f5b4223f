"""Supervision forms. The inspection form is short and phone-friendly; photos are checked by content."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from blockers.forms import same_region
from blockers.models import Blocker
from lib import images
from lib.forms import NOTE_MAX_LENGTH, bounded_text
from projects.forms import DATE, style
from projects.models import Leader, Project, Unit

from .models import Inspection, SupervisionTask

PHOTO_MAX_COUNT = 6


def check_photo(upload: UploadedFile) -> ContentFile:
    """A JPEG or PNG by its content (not its name), within the size and pixel limits, drawn again
    under a random name (lib/images.py): what is stored is never the uploader's file."""
    return images.photo_file(upload)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > PHOTO_MAX_COUNT:
            raise ValidationError(_("At most %(n)d photos.") % {"n": PHOTO_MAX_COUNT})
        return [check_photo(super(PhotosField, self).clean(f, initial)) for f in files]


class InspectionForm(forms.ModelForm):
    photos = PhotosField(label=_("Photos"), required=False, help_text=_("JPEG or PNG, up to 8 MB each."))
    blocker_kind = forms.ChoiceField(
        label=_("Kind of blocker"),
        choices=[("", _("Choose the kind")), *Blocker.Kind.choices],
        required=False,
    )
    task_title = forms.CharField(label=_("Task"), max_length=200, required=False)
    assignee_unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Left empty: the project's lead unit."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    class Meta:
        formfield_callback = bounded_text
        model = Inspection
        fields = ["project", "date", "findings", "follow_up"]
        widgets = {"date": DATE, "findings": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.for_user(user)
        self.fields["project"].empty_label = _("Choose a project")
        self.fields["assignee_unit"].queryset = Unit.objects.for_user(user).filter(is_active=True)
        self.fields["assignee_unit"].empty_label = _("The project's lead unit")
        self.fields["follow_up"].widget = forms.RadioSelect(choices=Inspection.FollowUp.choices)
        style(self)
        self.fields["follow_up"].widget.attrs["class"] = "form-check-input"
        self.fields["photos"].widget.attrs.update(
            {"accept": "image/jpeg,image/png", "capture": "environment"}
        )

    def clean(self) -> dict:
        data = super().clean()
        follow_up = data.get("follow_up")
        if follow_up == Inspection.FollowUp.BLOCKER and not data.get("blocker_kind"):
            self.add_error("blocker_kind", _("Choose the kind of blocker."))
        if follow_up == Inspection.FollowUp.TASK:
            if not data.get("deadline"):
                self.add_error("deadline", _("A task needs a deadline."))
            if not (data.get("task_title") or "").strip():
                self.add_error("task_title", _("Say what must be done."))
        same_region(self, data.get("project"), ["assignee_unit"])
        return data


class TaskForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text
        model = SupervisionTask
        fields = ["title", "requirement", "project", "assignee_unit", "leader", "deadline", "source"]
        widgets = {"deadline": DATE, "requirement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        projects = Project.objects.for_user(user)
        if user.is_leader:
            projects = projects.filter(leader_id=user.leader_id)
            self.fields["source"].choices = [
                (SupervisionTask.Source.INSTRUCTION, SupervisionTask.Source.INSTRUCTION.label)
            ]
            self.fields["project"].required = True
        self.fields["project"].queryset = projects
        self.fields["assignee_unit"].queryset = Unit.objects.for_user(user).filter(is_active=True)
        self.fields["leader"].queryset = Leader.objects.filter(region__path__startswith=user.region.path)
        self.fields["project"].empty_label = (
            _("Choose a project") if self.fields["project"].required else _("None")
        )
        self.fields["assignee_unit"].empty_label = _("Choose a unit")
        self.fields["leader"].empty_label = _("None")
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        same_region(self, data.get("project"), ["assignee_unit", "leader"])
        return data


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, label=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        style(self)


class OptionalNoteForm(NoteForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
