"""Sessions shared by app servers (issue 17 item 2, docs/scale-out.md): a user signs in on one process
and the next request, answered by another process, finds the session — in the database, and with
CACHE_REDIS_URL in Redis (cached_db) as well."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("KEYPROJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

SIGN_IN = """
import json, sys, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
response = client.post("/login/", {"username": sys.argv[1], "password": sys.argv[2]})
from django.conf import settings
print(json.dumps({"status": response.status_code, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                  "engine": settings.SESSION_ENGINE}))
"""

READ = """
import json, sys, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
client = Client()
client.cookies[settings.SESSION_COOKIE_NAME] = sys.argv[1]
response = client.get("/")
user = response.wsgi_request.user
print(json.dumps({"status": response.status_code, "user": user.username if user.is_authenticated else None}))
"""


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _process(script: str, *args: str, redis: bool) -> dict:
    env = {**os.environ, "DATABASE_URL": _database_url(), "KEYPROJ_TESTING": "1", "KEYPROJ_2FA_ROLES": "none"}
    env.pop("CACHE_REDIS_URL", None)
    if redis:
        env["CACHE_REDIS_URL"] = REDIS_URL
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def county_user():
    county = f.region("秀山县", "500241", "county")
    return f.user("water", "unit", county, unit=f.unit(county, "县水利局"))


def test_a_session_made_by_one_process_is_read_by_another_from_the_database(county_user):
    signed_in = _process(SIGN_IN, "water", f.PASSWORD, redis=False)
    assert signed_in["status"] == 302 and signed_in["engine"] == "django.contrib.sessions.backends.db"
    assert Session.objects.filter(session_key=signed_in["session"]).exists()
    assert _process(READ, signed_in["session"], redis=False)["user"] == "water"


def test_with_redis_the_session_is_shared_through_the_cache_and_kept_in_the_database(county_user):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
    signed_in = _process(SIGN_IN, "water", f.PASSWORD, redis=True)
    assert signed_in["status"] == 302
    assert signed_in["engine"] == "django.contrib.sessions.backends.cached_db"
    # Written to the database too: a Redis restart or eviction signs nobody out.
    assert Session.objects.filter(session_key=signed_in["session"]).exists()
    # Another process finds it in Redis alone: the row gone, the user is still signed in there...
    Session.objects.filter(session_key=signed_in["session"]).delete()
    assert _process(READ, signed_in["session"], redis=True)["user"] == "water"
    # ...while without the shared cache the same cookie finds nothing.
    assert _process(READ, signed_in["session"], redis=False)["user"] is None
