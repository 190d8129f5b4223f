"""The big screen (/battlemap/screen/): the words to relabel its period on refresh."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_gives_the_big_screen_the_words_to_relabel_its_period_on_refresh(reported):
    response = login(reported.office).get("/battlemap/screen/")
    assert "%(year)s" in response.context["labels"]["period"]
    assert 'id="bm-period"' in response.content.decode()
