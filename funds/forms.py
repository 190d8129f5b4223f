"""Funds forms: a source's plan for the year, one month's arrivals and payments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import MoneyField, style

from .models import FundPlan, Source


class PlanForm(forms.ModelForm):
    class Meta:
        model = FundPlan
        fields = ["source", "planned", "note"]
        field_classes = {"planned": MoneyField}

    def __init__(self, *args, project, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.instance.year = year
        style(self)

    def clean_source(self) -> str:
        source = self.cleaned_data["source"]
        same = FundPlan.objects.filter(project=self.instance.project, year=self.instance.year, source=source)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This source already has a plan this year: change that one."))
        return source


class MonthForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Source of funds"), queryset=FundPlan.objects.none())
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=[(m, m) for m in range(1, 13)])
    arrived = MoneyField(
        label=_("Arrived in the month (10k yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    paid = MoneyField(label=_("Paid in the month (10k yuan)"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, plans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: p.get_source_display()
        style(self)


SOURCE_LABELS = dict(Source.choices)
