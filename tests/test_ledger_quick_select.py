"""The filters' QuickSelect writes the <select> Django's Select draws: the same options, values, labels,
escaping and selection, on every case (Django's template puts newlines between the tags and its
attributes in insertion order; QuickSelect writes no whitespace and sorts them, as flatatt does)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from projects.filters import QuickSelect, _attrs

CHOICES = [("", "All"), (1, "县水利局"), (2, "a<b & 'c' \"d\""), ('x"<', "odd value"), (None, "none")]


def django_select(widget: forms.Select, name: str, value, attrs=None) -> str:
    drawn = forms.Select(attrs=widget.attrs, choices=widget.choices).render(name, value, attrs)
    return re.sub(r">\s+<", "><", drawn)


@pytest.mark.parametrize(
    "value",
    [None, "", 1, "1", 2, 'x"<', ["1", "2"], [1, 'x"<'], "not offered"],
    ids=[
        "none",
        "empty",
        "int",
        "str",
        "escaped label",
        "escaped value",
        "multiple",
        "multiple mixed",
        "absent",
    ],
)
def test_it_draws_what_djangos_select_draws(value):
    widget = QuickSelect(attrs={"class": "form-select form-select-sm"}, choices=CHOICES)
    attrs = {"id": "id_unit"}  # Django adds the id after the widget's own attributes: sorted here too
    assert widget.render("unit", value, attrs) == django_select(widget, "unit", value, attrs)


def test_it_draws_an_empty_list_and_escapes_the_name():
    widget = QuickSelect(choices=[])
    assert (
        widget.render('a"b', None)
        == django_select(widget, 'a"b', None)
        == '<select name="a&quot;b"></select>'
    )


def test_it_marks_the_first_option_selected_only_when_chosen():
    widget = QuickSelect(choices=[("", "All"), (3, "three")])
    assert (
        widget.render("x", "")
        == '<select name="x"><option value="" selected>All</option><option value="3">three</option></select>'
    )
    assert widget.render("x", 3).endswith('<option value="3" selected>three</option></select>')


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_q", "class": "form-select", "aria-invalid": "true", "aria-describedby": "id_q_error"},
        {"required": True, "disabled": False, "title": None, "data-x": 'a"<b', "autofocus": True},
        {"placeholder": mark_safe("<b>safe</b>"), "b": "1"},
    ],
)
def test_its_attributes_are_flatatts(attrs):
    assert _attrs(attrs) == flatatt(attrs)


@pytest.mark.parametrize("text", ["", "县水利局", "a<b & 'c' \"d\" >", 12, None, mark_safe("<b>safe</b>")])
def test_its_escape_is_djangos(text):
    from django.utils.html import escape

    from lib.escaping import esc

    assert esc(text) == escape(text)
