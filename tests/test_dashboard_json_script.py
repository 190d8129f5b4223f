"""The dashboard's and the big screen's chart islands are written by battlemap.fragments.
json_script_html, which must be Django's json_script filter byte for byte: the same encoder, the same
three characters escaped, the same script element — on every kind of value the islands hold and on
the pages themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext_lazy, override

from battlemap.fragments import json_script_html

from .conftest import login

VALUES = [
    {},
    [],
    None,
    "",
    {"name": "秀山县 <b>水利局</b> & co", "quote": "\"'", "close": "</script><script>alert(1)</script>"},
    {"amount": Decimal("1234.50"), "rate": 75.25, "none": None, "on": dt.date(2020, 10, 11)},
    {"at": dt.datetime(2020, 10, 11, 9, 30), "nested": [{"a": [1, 2, {"b": "&&<<>>"}]}]},
    {"lazy": gettext_lazy("Annual plan"), "emoji": "🚧", "line": "a\nb\tc\u2028d"},
    ["<", ">", "&", "\\u003C", "\\", "/"],
]


@pytest.mark.parametrize("value", VALUES)
def test_it_writes_what_djangos_json_script_writes(value):
    for element_id in ("battlemap-data", "battlemap-labels", 'odd"<id>&'):
        assert json_script_html(value, element_id) == json_script(value, element_id)
        assert json_script_html(value, element_id) == Template("{{ value|json_script:element_id }}").render(
            Context({"value": value, "element_id": element_id})
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("pinned_today")
@pytest.mark.parametrize("page", ["battlemap:dashboard", "battlemap:screen"])
def test_the_pages_islands_are_json_scripts_of_their_data(reported, page):
    for language in ("zh-hans", "en"):
        with override(language):
            response = login(reported.office).get(reverse(page), {"year": 2020, "month": 9})
        html = response.content.decode()
        data, labels = response.context["data"], response.context["labels"]
        assert str(json_script(data, "battlemap-data")) in html
        assert str(json_script(labels, "battlemap-labels")) in html
        assert data["headline"]["projects"] > 0
