"""The home page's reporting parts: what a unit owes, the county's figures (the home page by role is in
test_home.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from .conftest import login
from .page_builders import file_september
from .report_builders import report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_shows_a_unit_what_it_owes_on_its_home_page(filed):
    report(filed.bridge, 9, "1.00", status="draft")
    response = login(filed.transport_user).get("/")
    owed = {p.project.name for p in response.context["owed"]}
    assert owed == {"中和至平凯公路改造", "梅江河大桥"}
    assert [r.project.name for r in response.context["returned"]] == ["中和至平凯公路改造"]
    assert "数据有误" in response.content.decode()
    assert response.context["past_deadline"] is True


def test_it_shows_the_county_figures_on_the_home_page(filed):
    response = login(filed.viewer).get("/")
    fig = response.context["figures"]
    assert fig.ytd == D("2250.00")
    assert fig.lights == {"green": 1, "yellow": 0, "red": 2}
