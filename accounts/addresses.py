"""The client's address, read correctly behind the reverse proxies the deployment trusts."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"KEYPROJ_TRUSTED_PROXIES: {exc}") from exc


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The nearest address no trusted proxy stands for (axes' AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR is the last hop. Only when it is a trusted proxy is X-Forwarded-For believed, read
    right to left: each trusted hop is skipped and the first other address is the client. A client
    can write anything into the header's left part, so that part is never read past the first
    untrusted address; a malformed entry ends the walk at the last hop we could trust.
    """
    trusted = _networks(tuple(settings.KEYPROJ_TRUSTED_PROXIES))
    remote = request.META.get("REMOTE_ADDR", "")
    hop = _address(remote)
    if hop is None or not any(hop in net for net in trusted):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(entry)
        if address is None:
            break
        hop = address
        if not any(address in net for net in trusted):
            break
    return str(hop)
