"""The wall chart's rows written in Python escape every text exactly as Django's escape() does."""

from __future__ import annotations

import pytest
from django.utils.html import escape as django_escape

from battlemap.wallchart import escape

TEXTS = [
    "",
    "plain",
    "中和至平凯公路改造",
    "A & B <road> \"north\" 'south'",
    "&amp; already escaped",
    "<script>alert('x')</script>",
    42,
]


@pytest.mark.parametrize("text", TEXTS)
def test_it_escapes_every_text_as_django_does(text):
    assert escape(text) == django_escape(text)
