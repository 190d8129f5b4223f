"""The two-factor pages: enrol an authenticator app, and give the code after the password.

Both are reached only while signed in with the password (accounts.middleware sends the user here
and nowhere else until the code is verified). A wrong code counts as a failed sign-in: django-axes
locks the account at the same limit as wrong passwords, accounts.throttle delays it, and
django-otp's own delay (doubling after each wrong code, kept on the device) bounds guessing across
sign-ins.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import otp
from .addresses import client_ip
from .models import SecurityEvent
from .security import security_event_record
from .throttle import login_retry_at


def _refused(request: HttpRequest) -> str | None:
    """Why a code may not be tried now (the account locked or delayed, or django-otp's delay after
    a wrong code), or None."""
    user = request.user
    if AxesProxyHandler.is_locked(request, credentials={"username": user.username}):
        return "locked"
    retry_at = login_retry_at(username=user.username, address=client_ip(request))
    device = otp.confirmed_device(user) or otp.pending_device(user)
    allowed, data = device.verify_is_allowed()
    if not allowed and data and data.get("locked_until"):
        retry_at = max(retry_at or data["locked_until"], data["locked_until"])
    if retry_at is not None:
        return _("Too many wrong codes. Try again after %(time)s.") % {
            "time": timezone.localtime(retry_at).strftime("%H:%M:%S")
        }
    return None


def _wrong_code(request: HttpRequest) -> HttpResponse | None:
    """Count a wrong code as a failed sign-in; sign out and show the lockout page when it locks."""
    user = request.user
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username, "otp": True}, request=request
    )
    if AxesProxyHandler.is_locked(request, credentials={"username": user.username}):
        return _locked(request)
    return None


def _locked(request: HttpRequest) -> HttpResponse:
    username = request.user.username
    logout(request)
    return get_lockout_response(request, credentials={"username": username})


def _check(request: HttpRequest, device, template: str, context: dict) -> HttpResponse | None:
    """Verify the posted code against `device`; None when it is right."""
    refusal = _refused(request)
    if refusal == "locked":
        return _locked(request)
    if refusal:
        context["error"] = refusal
        return render(request, template, context, status=429)
    code = otp.clean_code(request.POST.get("code"))
    if code is not None and device.verify_token(code):
        return None
    if (locked := _wrong_code(request)) is not None:
        return locked
    context["error"] = (
        _("The code is six digits, from your authenticator app.")
        if code is None
        else _("The code is wrong or has expired. Type the code your app shows now.")
    )
    return render(request, template, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then confirm with the first code the app shows."""
    user = request.user
    if otp.confirmed_device(user) is not None:
        # Enrolled already: a second device is never added with the password alone.
        return redirect("accounts:otp_verify" if not user.is_verified() else "home")
    device = otp.pending_device(user)
    context = {
        "qr": otp.qr_data_uri(device),
        "secret": otp.secret_text(device),
        "required": otp.required_for(user),
    }
    if request.method == "GET":
        return render(request, "accounts/otp_enrol.html", context)
    failed = _check(request, device, "accounts/otp_enrol.html", context)
    if failed is not None:
        return failed
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[otp.ENROLLED_KEY] = True
    security_event_record(kind=SecurityEvent.Kind.OTP_ENROLLED, request=request, user=user, by=user)
    messages.success(request, _("Two-factor sign-in is on: from now on you give a code after your password."))
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code after the password."""
    user = request.user
    if user.is_verified():
        return redirect("home")
    device = otp.confirmed_device(user)
    if device is None:  # reset meanwhile by the security administrator
        request.session.pop(otp.ENROLLED_KEY, None)
        return redirect("accounts:otp_enrol" if otp.required_for(user) else "home")
    context: dict = {}
    if request.method == "GET":
        return render(request, "accounts/otp_verify.html", context)
    failed = _check(request, device, "accounts/otp_verify.html", context)
    if failed is not None:
        return failed
    otp_login(request, device)
    return redirect("home")
