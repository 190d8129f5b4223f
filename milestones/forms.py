"""The milestone form: name, planned and actual dates, a note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import DayField, style
from projects.forms import DATE

from .models import Milestone


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date", "actual_date", "note"]
        field_classes = {"planned_date": DayField, "actual_date": DayField}
        widgets = {"planned_date": DATE, "actual_date": DATE}

    def __init__(self, *args, project, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.instance.year = year
        style(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Name the milestone."))
        same = Milestone.objects.filter(project=self.instance.project, year=self.instance.year, name=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The project already has a milestone of that name this year."))
        return name
