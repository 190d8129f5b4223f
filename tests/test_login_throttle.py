"""Sign-in throttle (issue 13 item 7): guesses spread over addresses wait 2^k seconds per account.

django-axes locks an account at one address after five failures; an attacker with many addresses
would otherwise guess without limit. The delay must not become a lock on the real user.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.test import Client

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-Password1"
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Asia/Shanghai


def attempt(address: str, password: str = WRONG, username: str = "water"):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def spread_failures(count: int, first: int = 1) -> None:
    for n in range(first, first + count):
        assert attempt(f"203.0.113.{n}").status_code == 200  # each address fails once: axes never locks


def many_failures(count: int) -> None:
    """What `count` guesses from as many addresses leave in axes' failure log, without the requests."""
    for n in range(count):
        AccessFailureLog.objects.create(username="water", ip_address=f"192.0.2.{n}", user_agent="x")


def test_it_delays_the_sixth_guess_from_a_new_address_and_says_when(world):
    with time_machine.travel(START, tick=False):
        spread_failures(5)
        response = attempt("203.0.113.99", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert "该账号登录失败次数过多，请于09:00:01后再试。" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session  # the right password was not even read


def test_it_doubles_the_delay_with_each_further_failure(world):
    with time_machine.travel(START, tick=False) as clock:
        spread_failures(5)
        waits = []
        for n in range(6, 10):
            wait = 0
            while attempt(f"198.51.100.{n}").status_code == 429:
                wait += 1
                clock.shift(dt.timedelta(seconds=1))
            waits.append(wait)
    assert waits == [1, 2, 4, 8]


def test_it_caps_the_delay_at_five_minutes(world):
    with time_machine.travel(START, tick=False) as clock:
        many_failures(40)
        assert attempt("198.51.100.1").status_code == 429
        clock.shift(dt.timedelta(seconds=299))
        assert attempt("198.51.100.1").status_code == 429
        clock.shift(dt.timedelta(seconds=1))
        response = attempt("198.51.100.1", PASSWORD)
    assert response.status_code == 302


def test_it_does_not_count_a_delayed_attempt_as_a_failure(world):
    with time_machine.travel(START, tick=False):
        spread_failures(5)
        for _ in range(20):
            assert attempt("198.51.100.7").status_code == 429
    assert AccessFailureLog.objects.filter(username="water").count() == 5


def test_it_lets_the_user_in_at_once_from_an_address_they_signed_in_from(world):
    with time_machine.travel(START, tick=False) as clock:
        assert attempt("10.1.2.3", PASSWORD).status_code == 302  # the user's office, last week
        clock.shift(dt.timedelta(days=7))
        many_failures(12)  # an attacker's botnet: the account now waits 2^7 s elsewhere
        assert attempt("198.51.100.1", PASSWORD).status_code == 429
        response = attempt("10.1.2.3", PASSWORD)
    assert response.status_code == 302


def test_it_keeps_the_user_from_a_new_address_waiting_five_minutes_at_most(world):
    with time_machine.travel(START, tick=False) as clock:
        attacker = 0
        while time.time() < (START + dt.timedelta(minutes=30)).timestamp():  # each guess once allowed
            attacker += 1
            response = attempt(f"192.0.2.{attacker % 250}")
            if response.status_code == 429:
                clock.shift(dt.timedelta(seconds=int(response["Retry-After"])))
        response = attempt("198.51.100.200", PASSWORD)
        waited = 0
        if response.status_code == 429:
            waited = int(response["Retry-After"])
            clock.shift(dt.timedelta(seconds=waited))
            response = attempt("198.51.100.200", PASSWORD)
    assert attacker < 40  # half an hour bought the attacker a few dozen guesses, not thousands
    assert waited <= 300
    assert response.status_code == 302


def test_it_counts_only_failures_since_the_last_successful_sign_in(world):
    with time_machine.travel(START, tick=False) as clock:
        spread_failures(5)
        clock.shift(dt.timedelta(seconds=1))
        assert attempt("198.51.100.1", PASSWORD).status_code == 302
        response = attempt("198.51.100.2", WRONG)
    assert response.status_code == 200  # an ordinary wrong-password answer, no delay


def test_it_forgets_failures_older_than_the_window(world):
    with time_machine.travel(START, tick=False) as clock:
        many_failures(20)
        clock.shift(dt.timedelta(minutes=61))
        assert attempt("198.51.100.1").status_code == 200  # one failure in the last hour
        response = attempt("198.51.100.2")
    assert response.status_code == 200


def test_it_delays_only_the_account_guessed(world):
    with time_machine.travel(START, tick=False):
        many_failures(20)
        response = attempt("198.51.100.1", PASSWORD, username="office")
    assert response.status_code == 302
