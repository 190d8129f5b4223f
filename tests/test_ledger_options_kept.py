"""The ledger filter's option lists read through a statement compiled once per process
(projects.filters.OptionLists, lib.statements), under keys naming what their SQL depends on: kept
and compiled afresh must offer the same options for every user and every chosen county, and a key
must never serve another user's or county's lists."""

from __future__ import annotations

import pytest

from lib import statements
from projects.filters import LedgerFilter
from projects.models import YearPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def offered(user, data: dict | None = None, *, kept: bool = True) -> dict[str, list]:
    flt = LedgerFilter(data or {}, queryset=YearPlan.objects.all(), user=user)
    options = flt.form.option_lists
    if not kept:  # the same lists with no keys: compiled afresh, as blockers' filters are
        options.sources = {name: (qs, empty, None) for name, (qs, empty, _key) in options.sources.items()}
        options._rows = None
    return {name: [(str(v), str(label)) for v, label in options.choices(name)] for name in options.sources}


def test_a_kept_statement_offers_what_a_fresh_one_offers(reported):
    statements.forget()
    users = [
        reported.office,
        reported.city_office,
        reported.outsider,
        reported.water_user,
        reported.leader_user,
    ]
    asks = [
        {},
        {"region": str(reported.county.pk)},
        {"region": str(reported.other_county.pk)},
        {"unit": str(reported.water.pk)},
    ]
    for user in users:
        for data in asks:
            fresh = offered(user, data, kept=False)
            assert offered(user, data) == fresh, (user, data)
            assert offered(user, data) == fresh, (user, data)  # now from the kept statement


def test_each_user_and_county_gets_its_own_lists(reported):
    statements.forget()
    county = offered(reported.office)
    other = offered(reported.outsider)
    assert (str(reported.water.pk), "县水利局") in county["unit"]
    assert (str(reported.water.pk), "县水利局") not in other["unit"]
    assert (str(reported.other_unit.pk), "酉阳县水利局") in other["unit"]
    city = offered(reported.city_office)
    assert [v for v, _label in city["unit"]] == [""]  # no county chosen: no unit offered
    chosen = offered(reported.city_office, {"region": str(reported.other_county.pk)})
    assert (str(reported.other_unit.pk), "酉阳县水利局") in chosen["unit"]
    assert (str(reported.water.pk), "县水利局") not in chosen["unit"]
    named = offered(reported.city_office, {"unit": str(reported.water.pk)})
    assert [v for v, _label in named["unit"]] == ["", str(reported.water.pk)]


def test_it_reads_every_list_in_one_query(reported, django_assert_num_queries):
    statements.forget()
    offered(reported.office)
    flt = LedgerFilter({}, queryset=YearPlan.objects.all(), user=reported.office)
    with django_assert_num_queries(1):
        flt.form.option_lists.choices("unit")
