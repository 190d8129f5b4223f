"""The preferences page: in the app always; e-mail and SMS as the user picks (refused without an
address or a phone number)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Preference

from .conftest import login

pytestmark = pytest.mark.django_db
URL = reverse("notifications:preferences")


def test_it_saves_the_channels_picked(world):
    world.water_user.phone = "13800000001"
    world.water_user.email = "w@example.gov.cn"
    world.water_user.save()
    client = login(world.water_user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"sms": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.water_user)
    assert pref.sms and not pref.email


def test_it_refuses_sms_without_a_phone_number(world):
    response = login(world.transport_user).post(URL, {"sms": "on"})
    assert response.status_code == 200
    assert not Preference.objects.filter(user=world.transport_user).exists()
    assert "invalid-feedback" in response.content.decode()


def test_it_starts_with_email_on_and_sms_off(world):
    html = login(world.leader_user).get(URL).content.decode()
    assert "checked" in html.split('name="email"')[1].split(">")[0]
    assert "checked" not in html.split('name="sms"')[1].split(">")[0]
