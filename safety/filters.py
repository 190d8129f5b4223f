"""Filters of the hazard register: state, level, overdue, responsible unit, sector, inspecting body."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lib.today import today
from projects.models import Sector, Unit

from .models import Body, Hazard


class HazardFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[("pending", _("Not verified")), *Hazard.State.choices],
        method="filter_state",
        empty_label=_("All"),
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Hazard.Level.choices, empty_label=_("All"))
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        empty_label=_("All"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Responsible unit"),
        field_name="responsible_unit",
        queryset=Unit.objects.none(),
        empty_label=_("All"),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), field_name="project__sector", queryset=Sector.objects.all(), empty_label=_("All")
    )
    body = django_filters.ChoiceFilter(
        label=_("Inspecting body"), field_name="inspection__body", choices=Body.choices, empty_label=_("All")
    )

    class Meta:
        model = Hazard
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.for_user(user).order_by("name")
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filter_state(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.not_verified() if value == "pending" else qs.filter(state=value)

    def filter_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        overdue = Q(pk__in=Hazard.objects.overdue_on(today()).values("pk"))
        return qs.filter(overdue) if value == "yes" else qs.exclude(overdue)
