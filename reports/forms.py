"""Forms for reports, the year setting, returns and start commitments."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lib import schedule
from projects.forms import style

from .models import MonthlyReport, YearSetting

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# An amount as a person writes it: digits with an optional fraction. Python's Decimal also reads
# "1e3", "Infinity" or full-width digits, none of which a unit means when it reports 万元.
PLAIN_AMOUNT = re.compile(r"\s*-?[0-9]+(\.[0-9]+)?\s*")


class ReportForm(forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = ["amount", "progress", "completion_pct", "started", "start_date", "workers", "problems"]
        widgets = {
            "start_date": DATE,
            "progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        self.fields["amount"].widget.attrs.update({"step": "0.01", "min": "0", "inputmode": "decimal"})
        self.fields["problems"].help_text = _("Blocking points met this month, if any.")

    def clean_amount(self) -> Decimal:
        raw = self.data.get(self.add_prefix("amount"), "")
        if not PLAIN_AMOUNT.fullmatch(str(raw)):
            raise forms.ValidationError(_("Enter the amount as a plain number of 10k yuan, e.g. 1234.56."))
        return self.cleaned_data["amount"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("started") and not data.get("start_date"):
            self.add_error("start_date", _("Give the date construction actually started."))
        if not data.get("started") and data.get("start_date"):
            self.add_error("started", _("Tick 'construction started' when you give a start date."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG or PNG, at most 5 MB)"))
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png"


class CommitmentForm(forms.Form):
    committed_date = forms.DateField(label=_("Committed start date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)


class YearSettingForm(forms.ModelForm):
    """The year's setting with the custom curve as twelve fields (cumulative percent by month)."""

    class Meta:
        model = YearSetting
        fields = ["deadline_day", "yellow_threshold", "mode"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        curve = list(self.instance.curve or [])
        for m in range(1, 13):
            initial = curve[m - 1] if len(curve) == 12 else schedule.linear_target(m)
            self.fields[f"m{m}"] = forms.DecimalField(
                label=_("Month %(m)s") % {"m": m},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
                initial=initial,
            )
        style(self)

    @property
    def month_fields(self) -> list:
        return [self[f"m{m}"] for m in range(1, 13)]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("mode") != schedule.CUSTOM:
            data["curve"] = []
            return data
        values = [data.get(f"m{m}") for m in range(1, 13)]
        if any(v is None for v in values):
            self.add_error(None, _("A custom curve needs a percentage for every month."))
            return data
        if any(b < a for a, b in zip(values, values[1:], strict=False)):
            self.add_error(None, _("The curve may not go down from one month to the next."))
        elif values[-1] != Decimal(100):
            self.add_error("m12", _("The curve must reach 100 in December."))
        data["curve"] = values
        return data
