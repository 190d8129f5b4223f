"""The API's rate limit counts in Django's cache: with CACHE_REDIS_URL set, two worker processes count
together (each process counting alone would let N workers serve N times the limit)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS = "redis://127.0.0.1:6379/1"
INCR = (
    "from django.core.cache import cache; from django.conf import settings; "
    "k='kp-cache-test-{key}'; cache.add(k, 0, 30); print(settings.CACHES['default']['BACKEND'], cache.incr(k))"
)


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def worker(key: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "CACHE_REDIS_URL"} | env
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INCR.format(key=key)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_two_processes_share_one_count_with_cache_redis_url():
    if not _redis_up():
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    key = uuid.uuid4().hex
    assert worker(key, CACHE_REDIS_URL=REDIS) == "django.core.cache.backends.redis.RedisCache 1"
    assert worker(key, CACHE_REDIS_URL=REDIS) == "django.core.cache.backends.redis.RedisCache 2"


def test_without_it_each_process_counts_alone():
    key = uuid.uuid4().hex
    assert worker(key) == "django.core.cache.backends.locmem.LocMemCache 1"
    assert worker(key) == "django.core.cache.backends.locmem.LocMemCache 1"
