"""No page, export or JSON endpoint answers an anonymous caller with data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login", "healthz", "set_language"}
SAMPLE = {"int": "1", "str": "submit", "path": "x", "slug": "x"}


def patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


def sample_url(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), route)
    return "/" + path.lstrip("^").rstrip("$")


URLS = [
    (name, sample_url(route)) for name, route in patterns(get_resolver()) if name.split(":")[-1] not in PUBLIC
]


def test_it_knows_every_app_s_urls():
    assert len(URLS) > 60


@pytest.mark.django_db
@pytest.mark.parametrize("name, url", URLS, ids=[n for n, _ in URLS])
def test_it_gives_an_anonymous_caller_no_data(world, name, url):
    client = Client()
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code in (302, 401, 403, 405), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), (url, response["Location"])
