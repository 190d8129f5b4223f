"""Logs: JSON lines in production carrying the request id (nginx's or a new one, echoed back) and the
signed-in user on every line of the request; plain text under `make run`."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from keyproj.logging_setup import logging_config

from .conftest import login

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def json_logs():
    """The production logging configuration for the test's duration, its console written to a buffer."""
    logging.config.dictConfig(logging_config(json=True, level="INFO", request_level="INFO"))
    buffer = io.StringIO()
    (console,) = logging.getLogger().handlers
    console.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]

    yield lines
    logging.config.dictConfig(django_settings.LOGGING)


@pytest.mark.django_db
def test_it_echoes_the_proxy_s_request_id():
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="4f1c2a9e0b7d4e6f8a1b2c3d4e5f6a7b")
    assert response["X-Request-ID"] == "4f1c2a9e0b7d4e6f8a1b2c3d4e5f6a7b"


@pytest.mark.django_db
def test_it_makes_a_request_id_when_none_or_a_bad_one_is_sent():
    first = Client().get("/healthz")["X-Request-ID"]
    second = Client().get("/healthz")["X-Request-ID"]
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID='x" injected\tline')["X-Request-ID"]
    for made in (first, second, forged):
        assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert len({first, second, forged}) == 3


@pytest.mark.django_db
def test_it_puts_the_request_id_and_the_user_on_every_line_of_a_request(world, json_logs):
    client = login(world.water_user)
    response = client.get("/projects/999999/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 404
    lines = [line for line in json_logs() if line.get("request_id") == "req-42"]
    loggers = {line["logger"] for line in lines}
    assert {"django.request", "keyproj.request"} <= loggers  # the 404 warning and the request line
    for line in lines:
        assert line["user_id"] == world.water_user.pk
        assert line["username"] == world.water_user.username
        assert line["level"] in {"INFO", "WARNING"} and line["time"]
    summary = next(line for line in lines if line["logger"] == "keyproj.request")
    assert summary["status"] == 404 and summary["method"] == "GET" and summary["path"] == "/projects/999999/"
    assert summary["duration_ms"] >= 0


@pytest.mark.django_db
def test_it_logs_no_user_for_an_anonymous_request_and_no_id_outside_one(json_logs):
    Client().get("/healthz", HTTP_X_REQUEST_ID="anon-1")
    logging.getLogger("keyproj.test").warning("outside any request")
    lines = json_logs()
    inside = next(line for line in lines if line.get("request_id") == "anon-1")
    assert inside["user_id"] is None and inside["username"] == ""
    outside = next(line for line in lines if line["message"] == "outside any request")
    assert outside["request_id"] == "-"


@pytest.mark.django_db
def test_it_logs_the_api_token_s_user(world, json_logs):
    from api.models import ApiToken

    token, secret = ApiToken.issue(user=world.office, name="logs", by=world.office)
    Client().get("/api/v1/summary", HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_X_REQUEST_ID="api-7")
    line = next(line for line in json_logs() if line.get("request_id") == "api-7")
    assert line["username"] == world.office.username


def _log_format(**env: str) -> str:
    environment = {**os.environ, "KEYPROJ_TESTING": "0", **env}
    code = "from django.conf import settings; print('format:', settings.LOG_FORMAT)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("format:")[1].strip()


def test_it_logs_json_in_production_and_text_under_make_run():
    production = {"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "keyproj.example.gov.cn"}
    assert _log_format(**production) == "json"
    assert _log_format(DEBUG="1") == "text"
    assert _log_format(DEBUG="1", LOG_FORMAT="json") == "json"


def test_it_writes_plain_text_lines_under_debug():
    logging.config.dictConfig(logging_config(json=False, level="INFO", request_level="INFO"))
    buffer = io.StringIO()
    logging.getLogger().handlers[0].setStream(buffer)
    try:
        logging.getLogger("keyproj.test").warning("a plain line")
        err = buffer.getvalue()
    finally:
        logging.config.dictConfig(django_settings.LOGGING)
    assert "WARNING keyproj.test [- ] a plain line" in err
    assert not err.lstrip().startswith("{")
