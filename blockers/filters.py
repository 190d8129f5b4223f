"""The blocker register's filters: kind, status, unit, leader, level, overdue and age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lib.today import today
from projects.filters import county_first, quick_selects, small_controls
from projects.models import Leader, Unit
from regions.models import Region

from .models import Blocker, open_on

AGES = [("30", _("Up to 30 days")), ("90", _("31–90 days")), ("old", _("Over 90 days"))]


class BlockerFilter(django_filters.FilterSet):
    # Offered above county level only (see county_first): the county whose units and leaders to offer.
    region = django_filters.ModelChoiceFilter(
        label=_("County or district"),
        queryset=Region.objects.none(),
        method="filter_region",
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Blocker.Kind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Open or in coordination")), *Blocker.Status.choices],
        method="filter_status",
        empty_label=_("All"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.none(), method="filter_unit", empty_label=_("All")
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("Leader in charge"), queryset=Leader.objects.none(), empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"),
        choices=[(str(v), label) for v, label in Blocker.Level.choices],
        method="filter_level",
        empty_label=_("All"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        empty_label=_("All"),
    )
    age = django_filters.ChoiceFilter(label=_("Age"), choices=AGES, method="filter_age", empty_label=_("All"))
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")

    class Meta:
        model = Blocker
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset: QuerySet | None = None,
        *,
        user,
        scope: Callable[[], QuerySet] | None = None,
        **kwargs,
    ) -> None:
        """`scope`, instead of `queryset`: a function making the user's blockers, called when `qs` is
        first read. The register's reads are compiled once per process (lib.statements): most requests
        never need the queryset, and building it cost nearly as much Python as the filter itself."""
        self._scope = scope
        super().__init__(data, queryset=Blocker.objects.none() if scope else queryset, **kwargs)
        self.filters["region"].queryset = Region.objects.filter(
            path__startswith=user.region.path, level=Region.Level.COUNTY
        )
        self.filters["unit"].queryset = Unit.objects.for_user(user).select_related(None)
        self.filters["leader"].queryset = Leader.objects.filter(region__path__startswith=user.region.path)
        # What each option list's SQL depends on (UnitQuerySet.for_user: the user's region's path),
        # so that their UNION is compiled once per process (projects.filters.OptionLists).
        path = user.region.path
        keys = {
            "region": ("blocker regions", path),
            "unit": ("blocker units", path),
            "leader": ("blocker leaders", path),
        }
        quick_selects(self.form, keys)
        county_first(self, user=user, names=("unit", "leader"))
        if not self.county_first:
            del self.form.fields["region"]
        small_controls(self.form)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Project or description")

    @property
    def qs(self) -> QuerySet:
        if self._scope is not None:
            self.queryset, self._scope = self._scope(), None
        return super().qs

    def filter_region(self, qs: QuerySet, name: str, value: Region) -> QuerySet:
        return qs.filter(project__region__path__startswith=value.path)

    def filter_status(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return qs.filter(status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING])
        return qs.filter(status=value)

    def filter_unit(self, qs: QuerySet, name: str, value: Unit) -> QuerySet:
        cooperating = Blocker.cooperating_units.through.objects.filter(blocker_id=OuterRef("pk"), unit=value)
        return qs.filter(Q(lead_unit=value) | Exists(cooperating))

    def filter_level(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(level=int(value))

    def filter_overdue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        on = today()
        overdue = open_on(on) & Q(deadline__lt=on)
        return qs.filter(overdue) if value == "yes" else qs.exclude(overdue)

    def filter_age(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        on = today()
        d30, d90 = on - dt.timedelta(days=30), on - dt.timedelta(days=90)
        if value == "30":
            return qs.filter(raised_at__date__gte=d30)
        if value == "90":
            return qs.filter(raised_at__date__lt=d30, raised_at__date__gte=d90)
        return qs.filter(raised_at__date__lt=d90)

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
            | Q(description__icontains=value)
        )
