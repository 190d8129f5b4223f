"""Response headers of issue 13 item 7: the Content-Security-Policy and no-store on signed-in pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from keyproj.middleware import NoStoreWhenSignedIn

ROOT = Path(__file__).resolve().parents[1]


def broken(request):
    raise RuntimeError("a deliberately broken view")


urlpatterns = [path("broken/", broken)]


def policy(response) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
def test_signed_in_pages_carry_a_policy_without_inline_scripts(world):
    client = Client()
    client.force_login(world.office)
    response = client.get("/projects/")
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"]


@pytest.mark.django_db
def test_the_nonce_given_to_htmx_is_the_one_the_policy_allows(world):
    client = Client()
    client.force_login(world.office)
    response = client.get("/projects/")
    nonce = re.search(r'"inlineStyleNonce": "([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy(response)["style-src"]
    assert nonce not in client.get("/projects/").content.decode()  # a new nonce every response


@pytest.mark.django_db
def test_the_login_page_carries_the_policy():
    assert policy(Client().get("/login/"))["script-src"] == ["'self'"]


def test_no_template_holds_an_inline_script_handler_or_htmx_expression():
    # htmx evaluates trigger filters ([...]), hx-on and js: values as script: the policy forbids it.
    found = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(
            r"<script\b(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|hx-on|hx-trigger=\"(?:[^\"]*,\s*)?[a-zA-Z-]+\[|js:",
            text,
        ):
            found.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert found == []


def test_map_tiles_from_the_configured_server_are_allowed():
    env = {**os.environ, "KEYPROJ_TIANDITU_KEY": "k3y", "KEYPROJ_TESTING": "1"}
    code = "from django.conf import settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "'https://t0.tianditu.gov.cn'" in result.stdout, result.stderr


@pytest.mark.urls(__name__)
def test_the_server_error_page_keeps_its_own_styles():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "<style>" in response.content.decode()
    assert "'unsafe-inline'" in policy(response)["style-src"]
    assert policy(response)["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored(world):
    client = Client()
    client.force_login(world.water_user)
    for url in ("/", "/projects/", f"/projects/{world.reservoir.pk}/", "/battlemap/"):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache, url


@pytest.mark.django_db
def test_an_htmx_partial_is_not_stored_either(world):
    client = Client()
    client.force_login(world.water_user)
    assert "no-store" in client.get("/projects/", HTTP_HX_REQUEST="true")["Cache-Control"]


@pytest.mark.django_db
def test_static_files_keep_their_caching(world):
    request = RequestFactory().get("/static/css/keyproj.css")
    request.user = world.office
    response = NoStoreWhenSignedIn(lambda r: HttpResponse("body{}", headers={"Cache-Control": "max-age=60"}))(
        request
    )
    assert response["Cache-Control"] == "max-age=60"
