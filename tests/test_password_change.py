"""Changing one's password (issue 13 item 7): the new password must differ from the current one."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def change(client: Client, new: str):
    return client.post(
        "/manage/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )


def test_it_refuses_the_current_password_as_the_new_one(world):
    client = Client()
    client.force_login(world.office)
    response = change(client, PASSWORD)
    assert response.status_code == 200
    assert "新密码不能与当前密码相同。" in response.content.decode()
    assert User.objects.get(pk=world.office.pk).check_password(PASSWORD)


def test_it_changes_to_a_different_password(world):
    client = Client()
    client.force_login(world.office)
    response = change(client, "Another-Pass-2026")
    assert response.status_code == 302
    assert User.objects.get(pk=world.office.pk).check_password("Another-Pass-2026")


def test_it_tells_the_rule_on_the_form(world):
    client = Client()
    client.force_login(world.office)
    assert "不能与当前密码相同。" in client.get("/manage/password/").content.decode()


def test_the_office_cannot_reset_a_user_to_the_password_they_have(world):
    client = Client()
    client.force_login(world.office)
    water = world.water_user
    response = client.post(
        f"/manage/users/{water.pk}/",
        {
            "username": water.username,
            "first_name": water.first_name,
            "role": water.role,
            "region": water.region_id,
            "unit": water.unit_id or "",
            "password": PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "新密码不能与当前密码相同。" in response.content.decode()
