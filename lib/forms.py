"""Form helpers every app's forms share."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .money import CENT, AmountError, parse_amount
from .params import FIRST_DAY, LAST_DAY

# Every free-text field of every form has a length limit (issue 13): a note, comment or reason
# NOTE_MAX_LENGTH characters, a longer text (content, findings, minutes) TEXT_MAX_LENGTH; a password
# PASSWORD_MAX_LENGTH (hashing a megabyte of "password" is work an attacker would love to give us).
NOTE_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 5000
PASSWORD_MAX_LENGTH = 128


def bounded_text(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ModelForm's field for `db_field`, a TextField limited to TEXT_MAX_LENGTH characters (the
    database column has no limit; the form does). In a ModelForm: `Meta.formfield_callback =
    bounded_text`."""
    if isinstance(db_field, models.TextField) and db_field.max_length is None:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
    return db_field.formfield(**kwargs)


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, so templates render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "6")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def errors_onto(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form that called it: field errors on their fields
    (or on the form when the form has no such field), the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DayField(forms.DateField):
    """A date a person may ask about: lib.params.FIRST_DAY to LAST_DAY (a day such as 9999-12-31 has
    no next day, and the page's date arithmetic would overflow), refused with a message otherwise."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators += [MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)]


class MoneyField(forms.DecimalField):
    """Every money field of every form (万元, two places): reads what an office types through
    lib.money.parse_amount — 1,325.45, 1325.45, full-width digits from a Chinese input method — and
    refuses anything else with a message. A text input: the browser coerces nothing.

    In a ModelForm: `Meta.field_classes = {"amount": MoneyField}`.
    """

    widget = forms.TextInput

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, float):
            value = repr(value)
        try:
            amount = parse_amount(str(value))
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        return amount.quantize(CENT)

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}
