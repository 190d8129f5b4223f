"""Deployment security: check --deploy is clean, cookies and headers are strict, CSRF is enforced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from .factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1]


def test_it_passes_check_deploy_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x7#kP!q2@Lm9$Zr4^Vt8&Wb1*Nc6(Yd3)Fg5-Hj0_Sa+Qe7=Uo2",
        "ALLOWED_HOSTS": "keyproj.example.gov.cn",
        "KEYPROJ_TESTING": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "", "KEYPROJ_TESTING": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_malformed_boolean_setting():
    env = {**os.environ, "DEBUG": "maybe"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_it_enforces_csrf_on_forms_and_htmx_posts(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.water_user)
    response = client.post(f"/projects/{world.reservoir.pk}/edit/", {"owner": "x"})
    assert response.status_code == 403
    page = client.get(f"/projects/{world.reservoir.pk}/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


@pytest.mark.django_db
def test_it_sends_protective_headers(world):
    response = Client().get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_it_does_not_keep_a_password_in_the_page(world):
    response = Client().post("/login/", {"username": "water", "password": "wrong-" + PASSWORD})
    assert PASSWORD not in response.content.decode()
