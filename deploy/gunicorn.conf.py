"""gunicorn for keyproj (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py keyproj.wsgi:application`.

Every value can be changed from the environment file without editing this one.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

# Behind nginx on the same machine: only it talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, the usual 2 × cores + 1: a request waits mostly on PostgreSQL, and one slow export
# holds one worker only (large ones go to the job queue).
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request longer than this is killed and the worker replaced (the largest inline export takes
# seconds); nginx's proxy_read_timeout is a little longer, so gunicorn's answer arrives first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Graceful restarts (systemctl reload → HUP): old workers finish their requests for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle each worker after a few thousand requests (jittered so they do not all restart together):
# a slow leak in a library cannot grow for months.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# Each worker loads the app itself, so that `systemctl reload keyproj-web` (HUP) starts workers on
# the new code while the old ones finish their requests: a preloaded app would keep the old code.
preload_app = False
# Logs to stdout/stderr: journald (systemd) or docker keep them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# nginx's request id (keyproj echoes it as X-Request-ID) ties an access line to the app's lines.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(a)s"'
# nginx runs on this machine and sets X-Forwarded-Proto; only it is believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "keyproj"


def on_starting(server) -> None:
    """Prometheus's multiprocess mode: every worker writes its counters under this directory, and a
    scrape of any worker sums them (keyproj/metrics.py). Emptied at start: no stale worker's counts."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
