"""Error pages a user can act on: 404 with a sign-in link, 403 inside the app's layout."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_shows_error_pages_a_user_can_act_on(reported):
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404
    page = anonymous.content.decode()
    assert "kp-sidebar" not in page and 'href="/login/"' in page
    refused = login(reported.viewer).get("/reports/settings/")
    assert refused.status_code == 403
    assert "kp-sidebar" in refused.content.decode() and "bi-shield-lock" in refused.content.decode()
