"""The side menu: rendered once per role, page and language (keyproj.context_processors.nav_menu),
each user still sees the menu of their own role, page and language."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import resolve

from .conftest import login
from .security_builders import admins

PAGES = ["/projects/?year=2020", "/blockers/", "/notifications/", "/manage/password/"]
WHO = ["office", "water_user", "leader_user", "supervisor", "viewer", "city_office"]


def menu(html: str) -> str:
    found = re.search(r'<nav class="kp-nav">.*?</nav>', html, re.S)
    assert found, "no side menu on the page"
    return found.group(0)


def active_links(html: str) -> list[str]:
    return re.findall(r'class="kp-nav-link active" href="([^"]+)"', menu(html))


def test_it_marks_the_link_of_the_page_shown(world):
    client = login(world.office)
    assert active_links(client.get("/projects/?year=2020").content.decode()) == ["/projects/"]
    assert active_links(client.get("/blockers/").content.decode()) == ["/blockers/"]
    assert active_links(client.get("/manage/password/").content.decode()) == []


def test_each_role_sees_its_own_links_whoever_opened_the_page_before(world, settings):
    settings.KEYPROJ_SEPARATE_DUTIES = False
    office = menu(login(world.office).get("/blockers/").content.decode())
    unit = menu(login(world.water_user).get("/blockers/").content.decode())
    leader = menu(login(world.leader_user).get("/blockers/").content.decode())
    assert "/manage/users/" in office and "/exchange/" in office
    assert "/manage/users/" not in unit and "/exchange/" in unit
    assert "/manage/users/" not in leader and "/exchange/" not in leader


def test_the_administration_links_follow_the_separation_of_duties(world, settings):
    settings.KEYPROJ_SEPARATE_DUTIES = False
    assert "/manage/users/" in menu(login(world.office).get("/blockers/").content.decode())
    settings.KEYPROJ_SEPARATE_DUTIES = True
    assert "/manage/users/" not in menu(login(world.office).get("/blockers/").content.decode())


def test_it_speaks_the_users_language(world):
    client = login(world.office)
    assert "项目台账" in menu(client.get("/blockers/").content.decode())
    english = menu(client.get("/blockers/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Project ledger" in english and "项目台账" not in english
    assert "项目台账" in menu(client.get("/blockers/").content.decode())


@pytest.mark.parametrize("separated", [False, True])
def test_the_menu_is_the_template_rendered_for_that_very_user(world, settings, separated):
    """The memo keeps one menu per role: it must be what the template gives each user of the role."""
    settings.KEYPROJ_SEPARATE_DUTIES = separated
    users = [getattr(world, who) for who in WHO] + list(admins(world.county).values())
    for user in users:
        client = login(user)
        for path in PAGES if not user.is_administrator else ["/manage/password/"]:
            page = client.get(path)
            assert page.status_code == 200, (user.username, path)
            name = resolve(path.split("?")[0]).view_name
            expected = render_to_string("_nav.html", {"user": user, "name": name})
            assert menu(page.content.decode()) == menu(expected), (user.username, path)
