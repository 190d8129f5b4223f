"""Bidding forms: a tender package, its award (winner and contract price), a process-supervision record.
Every rule that spans fields lives in works.services.check_package, so a page and a script agree."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib import concurrency
from lib.forms import DayField, MoneyField, bounded_text, style
from lib.today import today
from projects.forms import DATE

from .models import SupervisionRecord, TenderPackage


class PackageForm(forms.ModelForm):
    announced_on = DayField(label=_("Announced on"), required=False, widget=DATE)
    opened_on = DayField(label=_("Bids opened on"), required=False, widget=DATE)
    awarded_on = DayField(label=_("Awarded on"), required=False, widget=DATE)

    class Meta:
        formfield_callback = bounded_text
        model = TenderPackage
        fields = [
            "kind",
            "name",
            "method",
            "legal_basis",
            "budget",
            "agency",
            "announced_on",
            "opened_on",
            "awarded_on",
            "winner",
            "contract_price",
            "chief_engineer",
            "note",
        ]
        field_classes = {"budget": MoneyField, "contract_price": MoneyField}
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "legal_basis": _("Required for single source and direct award: the article that allows it."),
            "chief_engineer": _("Supervision packages only."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        concurrency.carry_version(self, self.instance)


class AwardForm(forms.ModelForm):
    """登记中标: the award date (today unless changed), the winning bidder and the contract price."""

    awarded_on = DayField(label=_("Awarded on"), widget=DATE)
    winner = forms.CharField(label=_("Winning bidder"), max_length=200)
    contract_price = MoneyField(
        label=_("Contract price (10k yuan)"), min_value=0, max_digits=14, decimal_places=2
    )

    class Meta:
        model = TenderPackage
        fields = ["awarded_on", "winner", "contract_price"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.awarded_on is None:
            self.initial["awarded_on"] = today()
        style(self)
        concurrency.carry_version(self, self.instance)


class RecordForm(forms.ModelForm):
    date = DayField(label=_("Date checked"), widget=DATE)

    class Meta:
        formfield_callback = bounded_text
        model = SupervisionRecord
        fields = [
            "package",
            "date",
            "checker",
            "department",
            "stage",
            "findings",
            "problem_found",
            "follow_up",
        ]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, packages, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = packages
        if self.instance.pk is not None:
            del self.fields["package"]
        style(self)
        concurrency.carry_version(self, self.instance)
