"""The discount rate (下浮率) and the rules of a tender package, as the office meets them in the forms:
a clear message on the field and nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from works.models import SupervisionRecord, TenderPackage
from works.rates import discount_rate

from .conftest import login
from .tender_builders import package, record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("budget", "price", "rate"),
    [
        ("1000.00", "920.00", "8.00"),
        ("1000.00", "1000.00", "0.00"),
        ("1000.00", "1050.00", "-5.00"),
        ("3.00", "2.00", "33.33"),
        ("3.00", "1.00", "66.67"),  # 66.666… rounds half up
        ("800.00", "799.96", "0.01"),  # 0.005 rounds up, not to even
        ("1234.56", "1111.11", "10.00"),
    ],
)
def test_it_computes_the_discount_rate_to_two_places(budget, price, rate):
    assert discount_rate(Decimal(budget), Decimal(price)) == Decimal(rate)


def test_it_has_no_rate_without_a_price_or_a_budget():
    assert discount_rate(Decimal("100.00"), None) is None
    assert discount_rate(Decimal("0"), Decimal("10.00")) is None


def _form(**data):
    post = {
        "kind": "construction",
        "name": "一标段施工",
        "method": "open",
        "legal_basis": "",
        "budget": "1,200.00",
        "agency": "重庆精诚工程咨询有限公司",
        "announced_on": "",
        "opened_on": "",
        "awarded_on": "",
        "winner": "",
        "contract_price": "",
        "chief_engineer": "",
        "note": "",
    }
    post.update(data)
    return post


def _create(world, **data):
    return login(world.office).post(reverse("works:package_create", args=[world.reservoir.pk]), _form(**data))


def _error(response, field: str) -> str:
    return " ".join(response.context["package_form"].errors.get(field, []))


def test_it_saves_a_package_the_office_types(world, pinned_today):
    response = _create(world, announced_on="2020-09-01", opened_on="2020-09-25")
    assert response.status_code == 302
    item = TenderPackage.objects.get()
    assert item.budget == Decimal("1200.00") and item.state == "opened"
    assert item.history.count() == 1 and item.changed_by == world.office


def test_it_refuses_a_zero_budget(world, pinned_today):
    response = _create(world, budget="0")
    assert response.status_code == 400 and _error(response, "budget")
    assert not TenderPackage.objects.exists()


@pytest.mark.parametrize("method", ["direct", "single_source"])
def test_it_requires_the_legal_basis_for_direct_award_and_single_source(world, pinned_today, method):
    response = _create(world, method=method)
    assert response.status_code == 400
    assert "法定依据" in _error(response, "legal_basis")
    assert (
        _create(world, method=method, legal_basis="《招标投标法实施条例》第九条第（一）项").status_code == 302
    )


def test_it_refuses_dates_out_of_order(world, pinned_today):
    response = _create(world, announced_on="2020-09-10", opened_on="2020-09-01")
    assert response.status_code == 400 and "顺序" in _error(response, "opened_on")
    assert not TenderPackage.objects.exists()


def test_it_refuses_an_opening_without_an_announcement_for_an_open_tender(world, pinned_today):
    response = _create(world, opened_on="2020-09-01")
    assert response.status_code == 400 and _error(response, "announced_on")


def test_it_refuses_a_date_that_has_not_come(world, pinned_today):
    response = _create(world, announced_on="2020-10-12")
    assert response.status_code == 400 and "尚未到来" in _error(response, "announced_on")


def test_it_refuses_a_price_without_a_winner_or_an_award_date(world, pinned_today):
    response = _create(world, contract_price="1000.00")
    assert response.status_code == 400
    assert _error(response, "winner") and _error(response, "awarded_on")
    response = _create(world, awarded_on="2020-09-30", winner="某建设公司")
    assert response.status_code == 400 and "合同价" in _error(response, "contract_price")
    assert not TenderPackage.objects.exists()


def test_it_refuses_a_chief_engineer_on_a_construction_package(world, pinned_today):
    response = _create(world, chief_engineer="王工")
    assert response.status_code == 400 and _error(response, "chief_engineer")
    assert _create(world, kind="supervision", chief_engineer="王工").status_code == 302


def test_it_refuses_an_amount_that_is_not_money(world, pinned_today):
    response = _create(world, budget="一千万")
    assert response.status_code == 400 and _error(response, "budget")


def test_it_shows_a_stale_edit_as_a_conflict_and_saves_nothing(world, pinned_today):
    item = package(world.reservoir)
    client = login(world.office)
    url = reverse("works:package_edit", args=[item.pk])
    data = _form(name="改名一", version=str(item.version))
    assert client.post(url, data).status_code == 302
    response = client.post(url, _form(name="改名二", version=str(item.version)))
    assert response.status_code == 409
    assert TenderPackage.objects.get(pk=item.pk).name == "改名一"


# -- process supervision --------------------------------------------------------------------------------
def _record(user, world, item, **data):
    post = {
        "package": str(item.pk),
        "date": "2020-09-25",
        "checker": "李同志",
        "department": "县督查室",
        "stage": "opening",
        "findings": "开标现场秩序良好",
        "follow_up": "",
    }
    post.update(data)
    return login(user).post(reverse("works:record_create", args=[world.reservoir.pk]), post)


def test_it_lets_the_supervisor_record_supervision(world, pinned_today):
    item = package(world.reservoir)
    assert _record(world.supervisor, world, item).status_code == 302
    page = login(world.viewer).get(reverse("works:project", args=[world.reservoir.pk])).content.decode()
    assert "开标现场秩序良好" in page


def test_it_refuses_supervision_records_from_a_unit_or_the_viewer(world, pinned_today):
    item = package(world.reservoir)
    assert _record(world.water_user, world, item).status_code == 403
    assert _record(world.viewer, world, item).status_code == 403
    assert not SupervisionRecord.objects.exists()


def test_it_requires_a_follow_up_when_a_problem_is_found(world, pinned_today):
    item = package(world.reservoir)
    response = _record(world.supervisor, world, item, problem_found="on")
    assert response.status_code == 400
    assert response.context["record_form"].errors["follow_up"]


def test_it_refuses_a_package_of_another_project(world, pinned_today):
    other = package(world.road)
    assert _record(world.supervisor, world, other).status_code == 400
    assert not SupervisionRecord.objects.exists()


# -- scoping of the project page ----------------------------------------------------------------------
def test_it_shows_the_forms_to_those_who_may_use_them(world, pinned_today):
    item = package(world.reservoir)
    record(item)
    url = reverse("works:project", args=[world.reservoir.pk])
    office = login(world.office).get(url).context
    assert office["package_form"] and office["record_form"]
    unit = login(world.water_user).get(url).context
    assert unit["package_form"] and not unit["record_form"]
    for reader in (world.viewer, world.leader_user, world.hongan_user):
        context = login(reader).get(url).context
        assert not context["package_form"] and not context["record_form"] and not context["can_edit"]
    assert login(world.outsider).get(url).status_code == 404


def test_it_refuses_a_package_from_the_viewer(world, pinned_today):
    response = login(world.viewer).post(reverse("works:package_create", args=[world.reservoir.pk]), _form())
    assert response.status_code == 403
    assert not TenderPackage.objects.exists()


def test_it_hides_another_units_package(world, pinned_today):
    item = package(world.reservoir)
    assert login(world.transport_user).get(reverse("works:package_edit", args=[item.pk])).status_code == 404
    assert login(world.leader_user).get(reverse("works:package_edit", args=[item.pk])).status_code == 403
    assert login(world.water_user).get(reverse("works:package_edit", args=[item.pk])).status_code == 200
