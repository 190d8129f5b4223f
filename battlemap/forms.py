from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.coords import System, to_wgs84
from projects.forms import CoordinateSystemField

from .geojson import MAX_BYTES, parse_geojson, transform


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
        help_text=_(
            "A .geojson or .json file of longitude/latitude, at most 5 MB: the outline, and the townships' "
            "seats as named points if you have them."
        ),
    )
    coordinate_system = CoordinateSystemField(
        label=_("Coordinates of the file"),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("A file drawn on AMap (高德) or Baidu (百度) is converted to WGS-84 when saved."),
    )

    def clean_file(self) -> dict:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return parse_geojson(upload.read(MAX_BYTES + 1))

    def clean(self) -> dict:
        data = super().clean()
        system = data.get("coordinate_system", System.WGS84)
        if data.get("file") and system != System.WGS84:
            data["file"] = transform(data["file"], lambda lng, lat: to_wgs84(lng, lat, system))
        return data
