from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .geojson import MAX_BYTES, parse_geojson


class BoundaryUploadForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    file = forms.FileField(
        label=_("Boundary file (GeoJSON)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".geojson,.json,application/geo+json"}
        ),
        help_text=_("A .geojson or .json file in WGS84 longitude/latitude, at most 5 MB."),
    )

    def clean_file(self) -> dict:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return parse_geojson(upload.read(MAX_BYTES + 1))
