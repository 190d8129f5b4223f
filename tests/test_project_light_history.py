"""A project page's lights month by month."""

from __future__ import annotations

import pytest

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_shows_a_projects_lights_month_by_month(filed):
    response = login(filed.office).get(f"/projects/{filed.bridge.pk}/")
    body = response.content.decode()
    assert 'id="light-history"' in body
    assert body.count('data-month="') == 9
    assert 'data-month="5" data-light="green"' in body
    assert 'data-month="6" data-light="yellow"' in body
    assert 'data-month="9" data-light="red"' in body
