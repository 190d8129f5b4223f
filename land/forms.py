"""Land forms: a plan in a township, and one month's figures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import MoneyField, style
from lib.today import today
from projects.forms import DATE
from projects.models import Project, Township

from . import services
from .models import LandMonth, LandPlan


class PlanForm(forms.ModelForm):
    class Meta:
        model = LandPlan
        fields = [
            "township",
            "area_needed",
            "farmland",
            "approval",
            "approved_on",
            "approval_number",
            "households",
            "buildings",
            "compensation_needed",
            "handover_due",
        ]
        field_classes = {"area_needed": MoneyField, "farmland": MoneyField, "compensation_needed": MoneyField}
        widgets = {"approved_on": DATE, "handover_due": DATE}

    def __init__(self, *args, project: Project | None = None, candidate=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The plan's holder: a project, or a reserve candidate before it is promoted.
        holder = project or candidate
        # Only the holder's region's townships.
        self.fields["township"].queryset = Township.objects.filter(region=holder.region)
        for name in ("farmland", "compensation_needed"):
            self.fields[name].required = False
        self.instance.project, self.instance.candidate = project, candidate
        style(self)

    def clean(self):
        data = super().clean()
        problems = services.plan_problems(
            area_needed=data.get("area_needed"),
            farmland=data.get("farmland"),
            approval=data.get("approval", ""),
            approved_on=data.get("approved_on"),
            approval_number=data.get("approval_number", ""),
        )
        for name, message in problems.items():
            self.add_error(name, message)
        return data

    def clean_farmland(self):
        return self.cleaned_data.get("farmland") or 0

    def clean_compensation_needed(self):
        return self.cleaned_data.get("compensation_needed") or 0


class MonthForm(forms.ModelForm):
    """What was done IN the month (not a running total)."""

    class Meta:
        model = LandMonth
        fields = [
            "year",
            "month",
            "acquired",
            "handed_over",
            "households_relocated",
            "buildings_relocated",
            "compensation_paid",
        ]
        field_classes = {"acquired": MoneyField, "handed_over": MoneyField, "compensation_paid": MoneyField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = today()
        self.fields["year"].initial = current.year
        self.fields["month"].initial = current.month
        self.fields["month"].widget = forms.Select(choices=[(m, m) for m in range(1, 13)])
        for name in self.Meta.fields[2:]:
            self.fields[name].required = False
        style(self)

    def validate_unique(self) -> None:
        # A month already recorded is corrected in place (services.month_record), not refused.
        pass

    def figures(self) -> dict:
        return {name: self.cleaned_data.get(name) or 0 for name in self.Meta.fields[2:]}


MONTH_HELP = _("Figures done in that month, not running totals; recording a month again corrects it.")
