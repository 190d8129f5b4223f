"""keyproj/wsgi.py: the worker loads the URL map (every view module) before gc.freeze(), so that a
full collection inside a large page does not walk it (docs/benchmarks.md, issue 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import gc, sys
import keyproj.wsgi
loaded = "keyproj.urls" in sys.modules
import keyproj.urls
tracked = {id(o) for o in gc.get_objects()}
print(gc.get_freeze_count() > 0, loaded, id(keyproj.urls.urlpatterns) in tracked)
"""


def test_the_url_map_and_the_views_are_frozen_when_the_worker_starts(tmp_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="keyproj.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        LOG_LEVEL="ERROR",
    )
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    frozen_some, urls_loaded, urls_still_tracked = out.stdout.split()
    assert (frozen_some, urls_loaded, urls_still_tracked) == ("True", "True", "False")
