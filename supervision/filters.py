"""Filters of the supervision task list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lib.today import today
from projects.filters import small_controls
from projects.models import Unit

from .models import SupervisionTask


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Not closed")), *SupervisionTask.Status.choices],
        method="filter_status",
        empty_label=_("All"),
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=SupervisionTask.Source.choices, empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Assignee unit"),
        field_name="assignee_unit",
        queryset=Unit.objects.none(),
        empty_label=_("All"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        empty_label=_("All"),
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = SupervisionTask
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.for_user(user)
        small_controls(self.form)

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return qs.exclude(status=SupervisionTask.Status.CLOSED)
        return qs.filter(status=value)

    def filter_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        overdue = Q(deadline__lt=today()) & ~Q(status=SupervisionTask.Status.CLOSED)
        return qs.filter(overdue) if value == "yes" else qs.exclude(overdue)

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(Q(title__icontains=value) | Q(project__name__icontains=value)) if value else qs
