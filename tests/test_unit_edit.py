"""The office's unit form (/manage/units/new/): a township unit needs its township."""

from __future__ import annotations

import pytest

from projects.models import Unit

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_lets_the_office_add_a_township_unit(world):
    data = {
        "name": "中和街道办事处",
        "kind": "township",
        "region": world.county.pk,
        "township": "",
        "contact_person": "",
        "contact_phone": "",
        "email": "",
        "is_active": "on",
    }
    client = login(world.office)
    response = client.post("/manage/units/new/", data)
    assert response.status_code == 200 and "township" in response.context["form"].errors
    data["township"] = world.hongan_town.pk
    assert client.post("/manage/units/new/", data).status_code == 302
    assert Unit.objects.filter(name="中和街道办事处", township=world.hongan_town).exists()
