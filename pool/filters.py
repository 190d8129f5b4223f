"""The pool list's filters: sector, maturity, unit, channel, review, proposed start year, text."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lib import national_code
from projects.filters import small_controls
from projects.models import Sector, Unit

from .models import Candidate, FundingChannel


class CandidateFilter(django_filters.FilterSet):
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("All")
    )
    maturity = django_filters.ChoiceFilter(
        label=_("Maturity"), choices=Candidate.Maturity.choices, empty_label=_("All")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), field_name="lead_unit", queryset=Unit.objects.none(), empty_label=_("All")
    )
    channel = django_filters.ModelChoiceFilter(
        label=_("Funding channel"),
        field_name="channels",
        queryset=FundingChannel.objects.none(),
        empty_label=_("All"),
    )
    review = django_filters.ChoiceFilter(
        label=_("Review"), field_name="review_state", choices=Candidate.Review.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        label=_("Proposed start year"), field_name="proposed_start_year", min_value=2000, max_value=2100
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=100)

    class Meta:
        model = Candidate
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].queryset = Unit.objects.for_user(user).select_related(None)
        self.filters["channel"].queryset = FundingChannel.objects.for_user(user)
        if user.is_unit:
            del self.filters["unit"]
        small_controls(self.form)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, owner or project code")

    def filter_text(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return qs
        code = national_code.normalize(value)
        return qs.filter(
            Q(name__icontains=value) | Q(owner__icontains=value) | Q(national_code__icontains=code)
        )
