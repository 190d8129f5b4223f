"""Two-factor sign-in (TOTP, django-otp): who must have it, enrolment, and checking a code.

The password signs the user in (Django's session); until a code from their authenticator app is
verified in that session, accounts.middleware lets them open only the code page (or, when not yet
enrolled, the enrolment page) and sign out. API tokens are machine clients and are not asked.
"""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "authenticator"


def required_for(user: User) -> bool:
    """Must this user sign in with a code? By role (KEYPROJ_2FA_ROLES: office and the three
    administrators when DEBUG is off, nobody under `make run`)."""
    return user.role in settings.KEYPROJ_2FA_ROLES


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


# Whether the session's user has an authenticator, kept in the session so that a user whose role
# needs none costs no query per request.
ENROLLED_KEY = "_keyproj_otp_enrolled"


def asks_code(request: HttpRequest) -> bool:
    """Required by role, or enrolled of the user's own accord: either way, a code is asked."""
    user = request.user
    if required_for(user):
        return True
    enrolled = request.session.get(ENROLLED_KEY)
    if enrolled is None:
        enrolled = confirmed_device(user) is not None
        request.session[ENROLLED_KEY] = enrolled
    return enrolled


def on_signed_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """Note at sign-in, when the session is written anyway, whether the user has an authenticator: the
    pages after it then neither ask the database nor write the session for it."""
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_KEY] = confirmed_device(user) is not None


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, kept across reloads of the page so the
    QR code does not change under the user's phone)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for typing into an app that cannot scan."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def clean_code(raw: object) -> str | None:
    """Six digits (spaces allowed between them), else None."""
    code = "".join(str(raw or "").split())
    return code if len(code) == 6 and code.isascii() and code.isdigit() else None


def reset(user: User) -> int:
    """Forget the user's authenticator (a lost phone): they enrol again at their next sign-in."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted
