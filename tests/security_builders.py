"""Builders for the level-3 controls' tests: the three administrators, signing in through the form,
and the code an authenticator app would show."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from . import factories as f
from .factories import PASSWORD

ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")


def admins(region) -> dict[str, User]:
    return {role: f.user(role, role, region) for role in ADMIN_ROLES}


def sign_in(username: str, password: str = PASSWORD) -> tuple[Client, object]:
    """A browser that signed in through the login form (not force_login: the gate sees a real
    sign-in), and the form's answer."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def code_now(device: TOTPDevice) -> str:
    """The six digits the user's app shows at this (frozen) moment."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_now(device))
    return f"{(right + 1) % 1_000_000:06d}"


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


def every_url(ids: dict[str, dict[str, object]], default_id: object) -> list[tuple[str, str]]:
    """Every URL pattern of the site as (name, path), ids from `ids` by URL name, else `default_id`
    for integers and a plain word for strings."""
    urls = []
    for name, route in patterns(get_resolver()):
        values = ids.get(name, {})

        def fill(match: re.Match, values=values) -> str:
            converter, key = match.group(1) or "str", match.group(2)
            if key in values:
                return str(values[key])
            return str(default_id) if converter == "int" else "x"

        path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
        urls.append((name, "/" + path.lstrip("^").rstrip("$")))
    return urls
