"""The client's address behind trusted reverse proxies (issue 13 item 7), as axes and the throttle see it.

Behind a proxy every request came from the proxy's address, so five wrong guesses by one attacker
locked the account for everyone; a client may also write any X-Forwarded-For it likes.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from accounts.addresses import client_ip

from .factories import PASSWORD

PROXY = "10.0.0.5"
ROOT = Path(__file__).resolve().parents[1]


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_it_ignores_x_forwarded_for_without_a_trusted_proxy(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = []
    assert address("198.51.100.7", "1.2.3.4") == "198.51.100.7"


def test_it_reads_the_client_from_a_trusted_proxy(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "198.51.100.7") == "198.51.100.7"


def test_it_reads_right_to_left_so_a_forged_left_part_is_ignored(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "1.2.3.4, 198.51.100.7") == "198.51.100.7"


def test_it_skips_every_trusted_hop_given_as_a_network(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = ["10.0.0.0/8", "172.16.0.9"]
    assert address("10.0.0.5", "1.2.3.4, 198.51.100.7, 172.16.0.9, 10.1.1.1") == "198.51.100.7"


def test_it_does_not_believe_a_proxy_it_does_not_trust(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = [PROXY]
    assert address("10.0.0.6", "198.51.100.7") == "10.0.0.6"


def test_it_stops_at_a_malformed_entry(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = [PROXY]
    assert address(PROXY, "198.51.100.7, not-an-address") == PROXY


def test_it_reads_ipv6(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = ["fd00::/8"]
    assert address("fd00::1", "2001:db8::7") == "2001:db8::7"


def test_it_refuses_a_malformed_trusted_proxy_setting(settings):
    settings.KEYPROJ_TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured, match="KEYPROJ_TRUSTED_PROXIES"):
        address(PROXY, "198.51.100.7")


def test_it_refuses_to_start_with_a_malformed_trusted_proxy():
    env = {**os.environ, "KEYPROJ_TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.300"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "KEYPROJ_TRUSTED_PROXIES: '10.0.0.300'" in result.stderr


@pytest.mark.django_db
def test_one_attacker_behind_the_proxy_does_not_lock_the_account_for_everyone(settings, world):
    settings.KEYPROJ_TRUSTED_PROXIES = [PROXY]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    with time_machine.travel(dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            attacker.post("/login/", {"username": "water", "password": "wrong-Password1"})
        clock.shift(dt.timedelta(seconds=2))  # past the account's one-second delay (accounts.throttle)
        response = attacker.post("/login/", {"username": "water", "password": PASSWORD})
        assert response.status_code == 429 and "_auth_user_id" not in attacker.session  # axes' lockout
        user = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.20.30.40")
        response = user.post("/login/", {"username": "water", "password": PASSWORD})
        assert response.status_code == 302
        assert user.get("/projects/").status_code == 200
