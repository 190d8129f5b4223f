"""Blocker forms. Choices of projects, units and leaders are always the user's own scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, bounded_text
from projects.forms import DATE, style
from projects.models import Leader, Project, Unit

from .models import Blocker


def scoped_units(user) -> object:
    return Unit.objects.for_user(user).filter(is_active=True)


def scoped_leaders(user) -> object:
    return Leader.objects.filter(region__path__startswith=user.region.path)


class BlockerForm(forms.ModelForm):
    """Raise a blocker (all fields) or edit one (office and supervisor)."""

    class Meta:
        formfield_callback = bounded_text
        model = Blocker
        fields = [
            "project",
            "kind",
            "description",
            "lead_unit",
            "cooperating_units",
            "leader",
            "deadline",
            "measures",
        ]
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, projects=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects.for_user(user)
        self.fields["lead_unit"].queryset = scoped_units(user)
        self.fields["lead_unit"].required = False
        self.fields["lead_unit"].help_text = _("Left empty: the project's lead unit.")
        self.fields["cooperating_units"].queryset = scoped_units(user)
        self.fields["leader"].queryset = scoped_leaders(user)
        self.fields["leader"].help_text = _("Left empty: the project's leader in charge.")
        self.fields["project"].empty_label = _("Choose a project")
        self.fields["kind"].choices = [("", _("Choose the kind")), *Blocker.Kind.choices]
        self.fields["lead_unit"].empty_label = _("The project's lead unit")
        self.fields["leader"].empty_label = _("The project's leader in charge")
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        same_region(self, data.get("project"), ["lead_unit", "leader", "cooperating_units"])
        return data


def same_region(form: forms.BaseForm, project: Project | None, names: list[str]) -> None:
    """Units and leaders named on a project's blocker or task must belong to the project's own county:
    a city office choosing from all its counties must not send one county's matters to another."""
    if project is None:
        return
    for name in names:
        value = form.cleaned_data.get(name)
        chosen = list(value) if hasattr(value, "__iter__") else [value] if value else []
        if any(obj.region_id != project.region_id for obj in chosen):
            form.add_error(name, _("It must belong to the project's county."))


class MeasuresForm(forms.Form):
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Blocker.Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class EscalateForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Escalate to"), coerce=int, choices=Blocker.Level.choices[1:])
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
