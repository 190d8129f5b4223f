"""The signed-in user read back on every request (accounts.backends.UserBackend): its statement is
kept (lib.statements), and the user it makes is the one select_related would make."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import UserBackend
from accounts.models import User
from lib import statements


def fields(instance) -> dict | None:
    if instance is None:
        return None
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def as_select_related(pk: int) -> User:
    return User.objects.select_related("region", "unit", "leader").get(pk=pk)


@pytest.mark.parametrize("who", ["office", "transport_user", "leader_user", "city_office"])
def test_it_reads_the_user_as_select_related_does(world, who):
    statements.forget()
    pk = getattr(world, who).pk
    for _ in range(2):  # compiled, then kept
        with CaptureQueriesContext(connection) as queries:
            user = UserBackend().get_user(pk)
            related = [user.region, user.unit, user.leader]
        assert len(queries) == 1
        expected = as_select_related(pk)
        assert fields(user) == fields(expected)
        assert [fields(r) for r in related] == [
            fields(r) for r in (expected.region, expected.unit, expected.leader)
        ]
        assert not user._state.adding and user._state.db == expected._state.db


def test_it_reads_a_user_without_a_region_unit_or_leader(db):
    lone = User.objects.create(username="lone", role="viewer")
    with CaptureQueriesContext(connection) as queries:
        user = UserBackend().get_user(lone.pk)
        assert (user.region, user.unit, user.leader) == (None, None, None)
    assert len(queries) == 1


def test_it_reads_the_row_afresh_each_time(world):
    backend = UserBackend()
    assert backend.get_user(world.transport_user.pk).unit == world.transport
    User.objects.filter(pk=world.transport_user.pk).update(unit=world.water, phone="023-1234")
    user = backend.get_user(world.transport_user.pk)
    assert (user.unit, user.unit.name, user.phone) == (world.water, world.water.name, "023-1234")


def test_it_answers_none_for_a_missing_or_inactive_user(world):
    backend = UserBackend()
    assert backend.get_user(10**9) is None
    assert backend.get_user(10**30) is None
    User.objects.filter(pk=world.viewer.pk).update(is_active=False)
    assert backend.get_user(world.viewer.pk) is None
