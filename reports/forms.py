"""Forms for reports, the year setting, returns and start commitments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lib import schedule
from lib.forms import MoneyField, bounded_text, style
from lib.today import today

from .models import MonthlyReport, YearSetting
from .services import Known

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text
        model = MonthlyReport
        fields = ["amount", "progress", "completion_pct", "started", "start_date", "workers", "problems"]
        field_classes = {"amount": MoneyField}
        widgets = {
            "start_date": DATE,
            "progress": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }

    correction = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when this report says that a project recorded as started has not started."),
    )

    def __init__(self, *args, known: Known | None = None, **kwargs) -> None:
        """`known`: what is known before the month (reports.services.report_known); a new report
        starts from it — started and its date, physical completion and workers of the last report."""
        super().__init__(*args, **kwargs)
        if known is not None:
            self.start_from(known)
        style(self)
        self.fields["problems"].help_text = _("Blocking points met this month, if any.")

    def start_from(self, known: Known) -> None:
        """A new report's initial values from what is known before the month (a bound form shows
        what was sent; these are what it was drawn from)."""
        if self.instance.pk is not None:
            return
        carried = {
            "started": known.started,
            "start_date": known.start_date,
            "completion_pct": known.completion_pct,
            "workers": known.workers,
        }
        self.initial.update({name: value for name, value in carried.items() if value is not None})

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

    def clean_committed_date(self) -> dt.date:
        committed = self.cleaned_data["committed_date"]
        if committed < today():
            raise forms.ValidationError(
                _("A committed start date cannot be in the past (today is %(today)s).")
                % {"today": today().isoformat()}
            )
        return committed


class YearSettingForm(forms.ModelForm):
    """The year's setting with the custom curve as twelve fields (cumulative percent by month)."""

    class Meta:
        model = YearSetting
        fields = ["deadline_day", "yellow_threshold", "mode", *YearSetting.DISPATCH_RULES]

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
        # The dispatch rules may be left out of a post (a form of before they existed): they keep
        # their current values.
        for name in YearSetting.DISPATCH_RULES:
            self.fields[name].required = False
        style(self)

    @property
    def month_fields(self) -> list:
        return [self[f"m{m}"] for m in range(1, 13)]

    def clean(self) -> dict:
        data = super().clean()
        for name in YearSetting.DISPATCH_RULES:
            if data.get(name) in (None, "") and name not in self.errors:
                data[name] = getattr(self.instance, name)
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
