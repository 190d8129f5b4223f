"""Filters of the tender register: year (the projects on that year's list), kind, method, state, lead
responsible unit, sector."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lib.today import current_year
from projects.models import Sector, Unit, YearPlan

from .models import Kind, Method, State, TenderPackage, state_condition


class TenderFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year", min_value=2000, max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices, empty_label=_("All"))
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Method.choices, empty_label=_("All"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=State.choices, method="filter_state", empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Lead responsible unit"),
        field_name="project__lead_unit",
        queryset=Unit.objects.none(),
        empty_label=_("All"),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="project__sector", queryset=Sector.objects.all(), empty_label=_("All")
    )

    class Meta:
        model = TenderPackage
        fields: list[str] = []

    def __init__(self, data=None, *args, user, **kwargs) -> None:
        data = data.copy() if data is not None else {}
        if not data.get("year"):
            data["year"] = str(current_year())
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.for_user(user).order_by("name")
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    @property
    def chosen_year(self) -> int:
        form = self.form
        chosen = form.cleaned_data.get("year") if form.is_valid() else None
        return int(chosen) if chosen else current_year()

    def filter_year(self, qs: QuerySet, name: str, value) -> QuerySet:
        return qs.filter(project__in=YearPlan.objects.filter(year=int(value)).values("project_id"))

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(state_condition(value))
