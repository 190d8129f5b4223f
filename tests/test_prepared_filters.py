"""A filter set prepared once per region (projects.filters.PreparedFilterSet), and its fields drawn
once for the same asks (reports.ledger.filter_fields_html), must draw, validate and filter exactly
as one prepared and drawn afresh for the request, whatever was asked before it: what one request
chose (a county, a unit, a bad value) never shows in the next."""

from __future__ import annotations

import re

import pytest

from projects.filters import LedgerFilter
from reports.ledger import filter_fields_html, forget_drawn, ledger_queryset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def seen(user, data: dict) -> tuple:
    """What a user sees and gets of the ledger's filter for `data`."""
    ledger = LedgerFilter(data, queryset=ledger_queryset(user, 2020), user=user)
    return (
        filter_fields_html(ledger),
        dict(ledger.form.errors),
        str(ledger.qs.query),
        ledger.show_region,
        ledger.county_first,
    )


def asks(reported) -> list[tuple]:
    return [
        (reported.office, {}),
        (reported.office, {"sector": str(reported.reservoir.sector_id), "q": "<b>路</b>"}),
        (reported.office, {"stage": "bogus", "unit": "987654", "started": "no"}),
        (reported.office, {"unit": str(reported.water.pk), "unit_role": "lead", "light": "red"}),
        (reported.city_office, {}),
        (reported.city_office, {"region": str(reported.county.pk), "unit": str(reported.water.pk)}),
        (reported.city_office, {"unit": str(reported.water.pk), "unit_role": "lead"}),
        (reported.city_office, {"region": "not a county"}),
        (reported.city_office, {}),
    ]


def test_a_prepared_filter_is_one_prepared_afresh_whatever_came_before(reported):
    expected = []
    for user, data in asks(reported):
        LedgerFilter.forget_prepared()
        forget_drawn()
        expected.append(seen(user, data))
    LedgerFilter.forget_prepared()
    forget_drawn()
    # Every ask again, in order and then backwards, from what the first asks prepared.
    for _ in range(2):
        for (user, data), wanted in zip(asks(reported), expected, strict=True):
            assert seen(user, data) == wanted, (user, data)
    for (user, data), wanted in reversed(list(zip(asks(reported), expected, strict=True))):
        assert seen(user, data) == wanted, (user, data)


def test_it_prepares_once_per_region(reported):
    LedgerFilter.forget_prepared()
    seen(reported.office, {})
    first = LedgerFilter._prepared_for(reported.office)
    seen(reported.office, {"sector": str(reported.reservoir.sector_id)})
    assert LedgerFilter._prepared_for(reported.office) is first
    seen(reported.city_office, {})
    assert LedgerFilter._prepared_for(reported.city_office) is not first
    assert len(LedgerFilter._prepared) == 2


def test_the_options_are_read_on_every_request(reported):
    """Nothing read from the database is prepared or kept drawn: a unit added since is offered at once."""
    LedgerFilter.forget_prepared()
    forget_drawn()
    before = seen(reported.office, {})[0]
    unit = type(reported.water).objects.create(name="新成立的单位", region=reported.water.region)
    after = seen(reported.office, {})[0]
    assert "新成立的单位" not in before
    assert f'<option value="{unit.pk}">新成立的单位</option>' in after


def test_the_ledger_page_drawn_from_kept_pieces_is_the_page_drawn_afresh(reported):
    """The header row and the filter's fields are kept drawn per ask (reports.ledger): the page of
    every ask, in either language, with a sort or not, whole or as the table's htmx partial, is the
    page drawn with nothing kept, whatever was asked before."""
    from django.conf import settings

    from .conftest import login

    client = login(reported.office)
    asks = [
        ("zh-hans", "/projects/?year=2020", {}),
        ("zh-hans", "/projects/?year=2020&sort=-ytd", {}),
        ("en", "/projects/?year=2020&sort=-ytd", {}),
        (
            "en",
            "/projects/?year=2020&month=3&sort=name",
            {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "ledger-table"},
        ),
        ("zh-hans", "/projects/?year=2020&sector=" + str(reported.reservoir.sector_id), {}),
        ("zh-hans", "/projects/?year=2020&sort=-ytd", {}),
    ]

    def page(language: str, url: str, headers: dict) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        body = client.get(url, **headers).content.decode()
        return re.sub(
            r'nonce="[^"]*"|"inlineStyleNonce": "[^"]*"|value="[^"]{32,}"|"X-CSRFToken": "[^"]*"', "", body
        )

    afresh = []
    for ask in asks:
        LedgerFilter.forget_prepared()
        forget_drawn()
        afresh.append(page(*ask))
    LedgerFilter.forget_prepared()
    forget_drawn()
    for _ in range(2):
        assert [page(*ask) for ask in asks] == afresh
    assert "↓" in afresh[1] and "Year to date ↓" in afresh[2]
