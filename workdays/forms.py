"""The office enters a year's holiday notice: the holidays off and the weekend days worked."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import NOTE_MAX_LENGTH, style

SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_DAYS = 60


def parse_days(text: str, *, year: int) -> list[dt.date]:
    """Dates written YYYY-MM-DD, separated by spaces, commas or new lines; a range as A~B (or A至B)."""
    days: set[dt.date] = set()
    for token in SEPARATORS.split(text.strip()):
        if not token:
            continue
        parts = re.split(r"~|～|至", token)
        try:
            start, end = dt.date.fromisoformat(parts[0]), dt.date.fromisoformat(parts[-1])
        except ValueError:
            raise ValidationError(
                _("“%(token)s” is not a date (write 2027-10-01, or 2027-10-01~2027-10-07).")
                % {"token": token[:30]}
            ) from None
        if len(parts) > 2 or end < start or (end - start).days > 31:
            raise ValidationError(_("“%(token)s” is not a range of at most a month.") % {"token": token[:30]})
        day = start
        while day <= end:
            if day.year != year:
                raise ValidationError(
                    _("%(day)s is not in %(year)s.") % {"day": day.isoformat(), "year": year}
                )
            days.add(day)
            day += dt.timedelta(days=1)
    if len(days) > MAX_DAYS:
        raise ValidationError(_("A notice names at most %(n)s days.") % {"n": MAX_DAYS})
    return sorted(days)


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    document = forms.CharField(label=_("notice"), max_length=120, required=False)
    holidays = forms.CharField(
        label=_("public holidays (days off)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("e.g. 2027-01-01 2027-02-05~2027-02-12 2027-10-01~2027-10-07"),
    )
    workdays = forms.CharField(
        label=_("make-up working days (调休)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("Weekend days worked, e.g. 2027-02-14 2027-10-09"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        for name in ("holidays", "workdays"):
            try:
                data[f"{name}_days"] = parse_days(data.get(name, ""), year=year)
            except ValidationError as exc:
                self.add_error(name, exc)
        both = set(data.get("holidays_days", [])) & set(data.get("workdays_days", []))
        if both:
            self.add_error(
                "workdays", _("%(day)s is both a holiday and a working day.") % {"day": min(both).isoformat()}
            )
        return data
