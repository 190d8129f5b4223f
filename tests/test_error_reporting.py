"""The optional error-reporting DSN: without SENTRY_DSN nothing is initialised; with it sentry-sdk is,
and never with personal data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

from keyproj.logging_setup import init_error_reporting

ROOT = Path(__file__).resolve().parents[1]
DSN = "https://public0123456789@errors.example.gov.cn/7"
CHECK = "import sentry_sdk; from django.conf import settings; print('active:', sentry_sdk.get_client().is_active())"


def test_it_initialises_nothing_without_a_dsn(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert init_error_reporting("", environment="production", release="", traces_sample_rate=0) is False
    assert calls == []


def test_it_initialises_sentry_without_personal_data_with_a_dsn(monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **kw: calls.append(kw))
    assert init_error_reporting(DSN, environment="county", release="1.2.0", traces_sample_rate=0.1) is True
    (options,) = calls
    assert options["dsn"] == DSN and options["send_default_pii"] is False
    assert options["environment"] == "county" and options["release"] == "1.2.0"
    assert [type(i).__name__ for i in options["integrations"]] == ["DjangoIntegration"]


def _client_active(**env: str) -> bool:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")} | env
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHECK],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("active:")[1].strip() == "True"


def test_it_follows_the_environment_at_start_up():
    assert _client_active() is False
    assert _client_active(SENTRY_DSN=DSN) is True
