"""The Prometheus endpoint (django-prometheus): latency, errors, and the job queue's length.

django-prometheus's middleware counts every request and its latency by view and status; this module
adds the job queue (huey's pending count, read at scrape time) and serves /metrics only to the
addresses in KEYPROJ_METRICS_ALLOWED or to a caller with the KEYPROJ_METRICS_TOKEN bearer token.
Anyone else gets 403, and with neither configured it answers no one.

Several gunicorn workers: each keeps its own counters, and a scrape reaches one worker. With
PROMETHEUS_MULTIPROC_DIR set (deploy/gunicorn.conf.py and the env file do), every worker writes its
counters there and a scrape sums them all (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from accounts.addresses import client_ip

log = logging.getLogger(__name__)


class JobQueueCollector:
    """keyproj_job_queue_pending: tasks waiting in huey's queue (Redis in production), and
    keyproj_job_queue_up: 0 when the queue cannot be read (Redis down), so an alert can tell "no
    work" from "no answer"."""

    def collect(self):
        pending = GaugeMetricFamily("keyproj_job_queue_pending", "Background jobs waiting in the queue")
        up = GaugeMetricFamily("keyproj_job_queue_up", "Whether the job queue could be read")
        try:
            pending.add_metric([], HUEY.pending_count())
            up.add_metric([], 1)
        except Exception:  # noqa: BLE001 — any storage failure means the queue is unreadable
            log.warning("metrics: the job queue could not be read", exc_info=True)
            up.add_metric([], 0)
        else:
            yield pending
        yield up


def _allowed(request: HttpRequest) -> bool:
    token = settings.KEYPROJ_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
            return True
    networks = settings.KEYPROJ_METRICS_ALLOWED
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


def registry() -> prometheus_client.CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        fresh = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(fresh)
    else:
        fresh = prometheus_client.CollectorRegistry(auto_describe=True)
        fresh.register(_Process())
    fresh.register(JobQueueCollector())
    return fresh


class _Process:
    """This process's own metrics (the default registry: django-prometheus's and the runtime's)."""

    def collect(self):
        yield from prometheus_client.REGISTRY.collect()


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseForbidden("metrics are not served to this address", content_type="text/plain")
    page = prometheus_client.generate_latest(registry())
    return HttpResponse(page, content_type=prometheus_client.CONTENT_TYPE_LATEST)
