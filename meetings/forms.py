"""Meeting and decision forms; every choice list is the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from blockers.models import Blocker
from lib.forms import TEXT_MAX_LENGTH, bounded_text
from projects.forms import DATE, style
from projects.models import Leader, Project, Unit

from .models import Meeting


class MeetingForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text
        model = Meeting
        fields = [
            "type",
            "title",
            "date",
            "location",
            "chair",
            "attending_units",
            "projects",
            "blockers",
            "minutes",
        ]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Leader.objects.filter(region__path__startswith=user.region.path)
        if hasattr(self.fields["chair"], "empty_label"):
            self.fields["chair"].empty_label = _("Choose the chair")
        self.fields["attending_units"].queryset = Unit.objects.for_user(user).filter(is_active=True)
        self.fields["projects"].queryset = Project.objects.for_user(user)
        self.fields["blockers"].queryset = Blocker.objects.for_user(user).select_related("project")
        self.fields["blockers"].label_from_instance = lambda b: f"{b.project.name} · {b.get_kind_display()}"
        style(self)
        for name in ("attending_units", "projects", "blockers"):
            self.fields[name].widget.attrs["size"] = "8"


def agenda_first(field: forms.ModelChoiceField, agenda, others_label: str) -> None:
    """Group a choice field's options: those on the meeting's agenda, then the rest of its queryset.
    Only the display changes; any object of the queryset stays valid."""
    label = field.label_from_instance
    on_agenda = [(obj.pk, label(obj)) for obj in agenda]
    shown = {pk for pk, _label in on_agenda}
    others = [(obj.pk, label(obj)) for obj in field.queryset if obj.pk not in shown]
    if not on_agenda:
        field.choices = [("", _("None")), *others]
        return
    field.choices = [
        ("", _("None")),
        (_("On the agenda"), on_agenda),
        *([(others_label, others)] if others else []),
    ]


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    blocker = forms.ModelChoiceField(label=_("Blocker"), queryset=Blocker.objects.none(), required=False)
    committed_start = forms.DateField(label=_("Committed start date"), required=False, widget=DATE)
    task_title = forms.CharField(
        label=_("Supervision task"),
        max_length=200,
        required=False,
        help_text=_("Filled in: a task is assigned from this decision."),
    )
    task_unit = forms.ModelChoiceField(label=_("Assignee unit"), queryset=Unit.objects.none(), required=False)
    task_deadline = forms.DateField(label=_("Task deadline"), required=False, widget=DATE)

    def __init__(self, *args, user, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        projects = Project.objects.for_user(user)
        blockers = Blocker.objects.for_user(user).select_related("project")
        self.fields["project"].queryset = projects
        self.fields["blocker"].queryset = blockers
        self.fields["blocker"].label_from_instance = lambda b: f"{b.project.name} · {b.get_kind_display()}"
        self.fields["task_unit"].queryset = Unit.objects.for_user(user).filter(is_active=True)
        # A decision is almost always about the agenda: offer it first; the rest of the scope follows.
        agenda_projects = meeting.projects.values("pk") if meeting.pk else Project.objects.none()
        agenda_blockers = meeting.blockers.values("pk") if meeting.pk else Blocker.objects.none()
        agenda_first(self.fields["project"], projects.filter(pk__in=agenda_projects), _("Other projects"))
        agenda_first(self.fields["blocker"], blockers.filter(pk__in=agenda_blockers), _("Other blockers"))
        self.fields["task_unit"].empty_label = _("Choose a unit")
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("task_title") or "").strip() and not data.get("task_deadline"):
            self.add_error("task_deadline", _("A task needs a deadline."))
        if data.get("committed_start") and not (data.get("project") or data.get("blocker")):
            self.add_error("committed_start", _("A committed start date needs a project."))
        # A meeting decides what is to come: a start or a deadline before the meeting was never decided there.
        held = self.meeting.date
        for name in ("committed_start", "task_deadline"):
            if data.get(name) and held and data[name] < held:
                self.add_error(name, _("The date cannot be before the meeting (%(date)s).") % {"date": held})
        return data
