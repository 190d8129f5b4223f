"""An S3-compatible object store for the media tests: moto's server mode run on this machine, a bucket
and the default storage on it, configured as keyproj/settings.py configures it from KEYPROJ_S3_*.

A test module loads it as a plugin (`pytest_plugins = ["tests.s3_helpers"]`, so its fixtures are not
redefined names) after importing its constants: PYTEST_DONT_REWRITE tells pytest that is fine."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "keyproj-media"
KEYS = {"access_key": "testing", "secret_key": "testing"}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_options(s3_endpoint):
    return _options(s3_endpoint)


@pytest.fixture
def bucket(s3_endpoint, s3_options, settings):
    """An empty bucket and the default storage on it, configured as the settings block does."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options},
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _options(endpoint: str) -> dict:
    """What keyproj/settings.py builds from the KEYPROJ_S3_* variables (checked in the test below)."""
    env = {
        "KEYPROJ_S3_BUCKET": BUCKET,
        "KEYPROJ_S3_ENDPOINT_URL": endpoint,
        "KEYPROJ_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "KEYPROJ_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "KEYPROJ_S3_REGION": "us-east-1",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "keyproj.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    storage = json.loads(done.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    return storage["OPTIONS"]
