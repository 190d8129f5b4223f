"""The Prometheus endpoint: latency, responses by status (the error rate) and the job queue's length,
served only to the configured scraper addresses or to the metrics token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

TOKEN = "scrape-token-0123456789"


def sample(page: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a text exposition page, None when absent."""
    for line in page.splitlines():
        match = re.fullmatch(rf"{name}(?:\{{(.*)\}})? (\S+)", line)
        if not match:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(2))
    return None


@pytest.fixture
def scraper(settings):
    settings.KEYPROJ_METRICS_ALLOWED = ["10.20.0.0/16"]
    settings.KEYPROJ_METRICS_TOKEN = TOKEN
    return Client(REMOTE_ADDR="10.20.3.4")


@pytest.mark.django_db
def test_it_refuses_everyone_when_nothing_is_configured():
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@pytest.mark.django_db
def test_it_refuses_other_addresses_and_a_wrong_token(scraper):
    outsider = Client(REMOTE_ADDR="192.168.1.9")
    assert outsider.get("/metrics").status_code == 403
    assert outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert b"django_http" not in outsider.get("/metrics").content


@pytest.mark.django_db
def test_it_serves_the_token_holder_from_anywhere(scraper):
    response = Client(REMOTE_ADDR="192.168.1.9").get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_it_counts_latency_and_responses_by_status(scraper):
    before = (
        sample(
            scraper.get("/metrics").content.decode(),
            "django_http_responses_total_by_status_total",
            status="404",
        )
        or 0
    )
    Client().get("/no-such-page/")
    Client().get("/healthz")
    page = scraper.get("/metrics").content.decode()
    assert sample(page, "django_http_responses_total_by_status_total", status="404") == before + 1
    assert (
        sample(
            page, "django_http_requests_latency_seconds_by_view_method_count", view="healthz", method="GET"
        )
        >= 1
    )


@pytest.mark.django_db
def test_it_reports_the_job_queue_s_length(scraper):
    HUEY.storage.flush_queue()
    try:
        for _ in range(3):
            HUEY.storage.enqueue(b"waiting job")
        page = scraper.get("/metrics").content.decode()
        assert sample(page, "keyproj_job_queue_pending") == 3
        assert sample(page, "keyproj_job_queue_up") == 1
    finally:
        HUEY.storage.flush_queue()
    assert sample(scraper.get("/metrics").content.decode(), "keyproj_job_queue_pending") == 0


@pytest.mark.django_db
def test_it_says_when_the_queue_cannot_be_read(scraper, monkeypatch):
    def down():
        raise ConnectionError("redis is down")

    monkeypatch.setattr(HUEY, "pending_count", down)
    response = scraper.get("/metrics")
    assert response.status_code == 200
    page = response.content.decode()
    assert sample(page, "keyproj_job_queue_up") == 0
    assert sample(page, "keyproj_job_queue_pending") is None
