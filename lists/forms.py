"""The year plan an office sets for an entry of a draft list."""

from __future__ import annotations

from django import forms

from lib.forms import MoneyField, bounded_text, style

from .models import ListEntry


class EntryForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_text
        model = ListEntry
        fields = ["stage", "planned_investment", "planned_start_month", "progress_target"]
        field_classes = {"planned_investment": MoneyField}
        widgets = {"progress_target": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        style(self)
        for name, field in self.fields.items():
            field.widget.attrs["class"] += " form-control-sm" if name != "stage" else " form-select-sm"
