"""登记中标 on a project's bidding page: the office (or the project's own unit) records the winner and the
contract price of a package; the page then shows it awarded with its discount rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from works.models import TenderPackage

from .conftest import login
from .tender_builders import package

pytestmark = pytest.mark.django_db


def _award(client, item, **data):
    post = {
        "awarded_on": "2020-10-09",
        "winner": "重庆交通建设（集团）有限责任公司",
        "contract_price": "921.50",
    }
    post.update(data)
    return client.post(reverse("works:award", args=[item.pk]), post)


def test_it_links_record_award_from_the_project_page(world, pinned_today):
    item = package(world.reservoir, announced_on=dt.date(2020, 9, 1), opened_on=dt.date(2020, 9, 25))
    page = login(world.office).get(reverse("works:project", args=[world.reservoir.pk]))
    assert page.status_code == 200
    assert reverse("works:award", args=[item.pk]) in page.content.decode()
    assert "登记中标" in page.content.decode()


def test_it_records_the_award_and_shows_the_discount_rate(world, pinned_today):
    item = package(
        world.reservoir, budget="1000.00", announced_on=dt.date(2020, 9, 1), opened_on=dt.date(2020, 9, 25)
    )
    client = login(world.office)
    form = client.get(reverse("works:award", args=[item.pk]))
    assert form.status_code == 200
    assert 'name="winner"' in form.content.decode() and 'name="contract_price"' in form.content.decode()
    response = _award(client, item, version=str(item.version))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "awarded"
    assert item.contract_price == Decimal("921.50")
    page = client.get(reverse("works:project", args=[world.reservoir.pk])).content.decode()
    assert "7.85%" in page
    assert "重庆交通建设（集团）有限责任公司" in page


def test_it_lets_the_projects_unit_award_but_not_another_unit(world, pinned_today):
    item = package(world.reservoir)
    assert _award(login(world.water_user), item).status_code == 302
    other = package(world.reservoir, name="二标段")
    assert _award(login(world.transport_user), other).status_code == 404
    assert _award(login(world.viewer), other).status_code == 403
    assert _award(login(world.supervisor), other).status_code == 403
    other.refresh_from_db()
    assert other.winner == "" and other.contract_price is None


def test_it_refuses_an_award_without_a_price_and_saves_nothing(world, pinned_today):
    item = package(world.reservoir)
    response = _award(login(world.office), item, contract_price="")
    assert response.status_code == 400
    assert TenderPackage.objects.get(pk=item.pk).awarded_on is None


def test_it_refuses_an_award_before_the_bids_were_opened(world, pinned_today):
    item = package(world.reservoir, announced_on=dt.date(2020, 9, 1), opened_on=dt.date(2020, 9, 25))
    response = _award(login(world.office), item, awarded_on="2020-09-20")
    assert response.status_code == 400
    assert "按顺序" in response.content.decode() or "in order" in response.content.decode()
