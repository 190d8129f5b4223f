"""The upload form: file, kind, year (and region for a city office, month for monthly figures)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lib import uploads
from lib.today import current_year, today
from regions.models import Region

from .models import ImportBatch


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An .xlsx, .xls or .csv (UTF-8 or GBK) file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv", "class": "form-control"}),
    )
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportBatch.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("For monthly figures: the month the table reports."),
    )
    region = forms.ModelChoiceField(label=_("County or district"), queryset=Region.objects.none())

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        counties = Region.objects.filter(path__startswith=user.region.path, level=Region.Level.COUNTY)
        self.fields["region"].queryset = counties
        self.fields["year"].initial = current_year()
        self.fields["month"].initial = max(today().month - 1, 1)
        if user.region.level == Region.Level.COUNTY:
            del self.fields["region"]  # a county user imports into its own county
        if not user.is_office:
            self.fields["kind"].choices = [(ImportBatch.Kind.MONTHLY, ImportBatch.Kind.MONTHLY.label)]
        for name in ("kind", "region"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("class", "form-select")
        for name in ("year", "month"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        data = super().clean()
        if "region" not in self.fields:
            data["region"] = self.user.region
        if data.get("kind") == ImportBatch.Kind.MONTHLY and not data.get("month"):
            self.add_error("month", _("Say which month the figures are for."))
        return data
