"""The read-replica router's list and its write detection (lib/dbrouter.py; the router against a real
streaming replica is tests/stack/test_replica_router.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import URLResolver, get_resolver

from lib.dbrouter import is_user_write


def _view_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= _view_names(entry, namespace + (f"{entry.namespace}:" if entry.namespace else ""))
        elif entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_view_listed_for_the_replica_exists():
    names = _view_names()
    namespaces = {name.split(":")[0] for name in names if ":" in name}
    for listed in settings.KEYPROJ_REPLICA_VIEWS:
        if listed.endswith(":*"):
            assert listed[:-2] in namespaces, listed
        else:
            assert listed in names, listed


def test_every_xlsx_export_and_the_dashboard_may_read_the_replica():
    heavy = {n for n in _view_names() if n.endswith("export") and not n.startswith("exchange:")}
    assert heavy | {"battlemap:dashboard"} <= settings.KEYPROJ_REPLICA_VIEWS


def test_a_write_statement_is_told_from_a_read_and_bookkeeping():
    assert is_user_write('INSERT INTO "reports_monthlyreport" ("amount") VALUES (%s)')
    assert is_user_write('UPDATE "projects_project" SET "name" = %s')
    assert is_user_write('DELETE FROM "funds_source" WHERE id = 1')
    assert not is_user_write('SELECT "projects_project"."id" FROM "projects_project"')
    assert not is_user_write("SELECT ... FOR UPDATE")
    assert not is_user_write('UPDATE "django_session" SET "session_data" = %s')
    assert not is_user_write('UPDATE "api_apitoken" SET "last_used" = %s')
    assert not is_user_write('INSERT INTO "axes_accesslog" ("username") VALUES (%s)')
