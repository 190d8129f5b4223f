"""Sign-in and the administration pages: users and units (the system administrator), account
security and the login log (the security administrator); under `make run` the office keeps them
(accounts.duties)."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from lib import params
from regions.models import Unit

from . import duties, otp
from .duties import duty_required
from .forms import LoginForm, UnitForm, UserForm
from .middleware import password_expired, password_reason
from .models import BUSINESS_ROLES, SecurityEvent, User
from .security import security_event_record

# Set in the fresh session when keyproj.middleware.SlidingSession ends one at its absolute lifetime,
# so that the sign-in page it leads to says why.
SESSION_ENDED = "_keyproj_session_ended"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.session.pop(SESSION_ENDED, False)
        return context

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.retry_at is not None:  # delayed by accounts.throttle: say when, as HTTP does too
            response.status_code = 429
            seconds = (form.retry_at - timezone.now()).total_seconds()
            response["Retry-After"] = str(max(1, math.ceil(seconds)))
            typed = str(form.data.get("username", ""))
            security_event_record(
                kind=SecurityEvent.Kind.THROTTLED,
                request=self.request,
                user=User.objects.filter(username=typed).first(),
                username=typed,
            )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["reason"] = password_reason(self.request.user)
        return context

    def form_valid(self, form) -> HttpResponse:
        form.user.must_change_password = False  # saved with the new password by the form
        response = super().form_valid(form)
        user = form.user
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request, user=user, by=user
        )
        return response


def _region_users(admin: User):
    """Every account of the administrator's region subtree (account security, the login log)."""
    return User.objects.filter(region__path__startswith=admin.region.path)


def _users_for(admin: User):
    """The accounts the user pages manage: business roles only. An administrator's account is made
    and changed by `manage.py create_admins` alone (accounts.duties), never on a page."""
    return _region_users(admin).filter(role__in=BUSINESS_ROLES)


def _locked_out(users) -> set[str]:
    """The usernames axes holds locked out now: the failure limit reached within the cool-off."""
    attempts = AccessAttempt.objects.filter(
        username__in=users.values("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.values_list("username", flat=True))


@duty_required(duties.USERS)
def user_list(request: HttpRequest) -> HttpResponse:
    scoped = _users_for(request.user)
    users = list(scoped.select_related("region", "unit", "leader").order_by("role", "username"))
    shows_locks = duties.may(request.user, duties.LOCKS)
    locked = _locked_out(scoped) if shows_locks else set()
    for user in users:
        user.locked_out = user.username in locked
    return render(request, "accounts/user_list.html", {"users": users, "shows_locks": shows_locks})


@duty_required(duties.LOCKS)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a sign-in lockout now (axes forgets the user's failed attempts, from every address)."""
    user = get_object_or_404(_region_users(request.user), pk=pk)
    axes_reset(username=user.username)
    messages.success(request, _("%(name)s can sign in again.") % {"name": user.username})
    return redirect("accounts:users" if duties.may(request.user, duties.USERS) else "accounts:security")


@duty_required(duties.USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = get_object_or_404(_users_for(request.user), pk=pk) if pk else User(region=request.user.region)
    form = UserForm(request.POST or None, instance=user, office=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.cleaned_data.get("password"):
            security_event_record(
                kind=SecurityEvent.Kind.PASSWORD_SET, request=request, user=form.instance, by=request.user
            )
        messages.success(request, _("User %(name)s saved.") % {"name": form.instance.username})
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "target": user})


@duty_required(duties.UNITS)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.for_user(request.user).select_related("region", "township").order_by("kind", "name")
    return render(request, "accounts/unit_list.html", {"units": units})


@duty_required(duties.UNITS)
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = (
        get_object_or_404(Unit.objects.for_user(request.user), pk=pk)
        if pk
        else Unit(region=request.user.region)
    )
    form = UnitForm(request.POST or None, instance=unit, office=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Unit %(name)s saved.") % {"name": form.instance.name})
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


LOG_KINDS = {
    "ok": (SecurityEvent.Kind.SIGNED_IN, SecurityEvent.Kind.SIGNED_OUT),
    "failed": (SecurityEvent.Kind.FAILED, SecurityEvent.Kind.THROTTLED),
    "password": (SecurityEvent.Kind.PASSWORD_CHANGED, SecurityEvent.Kind.PASSWORD_SET),
}


def sees_unknown_names(office: User) -> bool:
    """Failed sign-ins for names no account has belong to no region: the offices (or, separated,
    the administrators of the same role) at the top of the installation see them — those with no
    active colleague in a region above theirs (in a county's installation, the county's; in a
    city's, the city's only)."""
    parts = [part for part in office.region.path.split("/") if part]
    above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    return not User.objects.filter(role=office.role, is_active=True, region__path__in=above).exists()


def security_events_for(office: User):
    """The login log an office may read: its region's users' events (by user, so a renamed user's
    earlier sign-ins stay theirs) and, for the top offices, failed sign-ins for unknown names."""
    scope = Q(user__region__path__startswith=office.region.path)
    if sees_unknown_names(office):
        scope |= Q(user__isnull=True)
    return SecurityEvent.objects.filter(scope)


@duty_required(duties.LOGIN_LOG)
def login_log(request: HttpRequest) -> HttpResponse:
    """Sign-ins, failures and password changes of the office's region's users (accounts.SecurityEvent)."""
    kind = request.GET.get("kind", "ok")
    if kind not in LOG_KINDS:
        kind = "ok"
    query = params.text(request.GET.get("q"), limit=150, message=_("The search text is not valid."))
    rows = security_events_for(request.user).filter(kind__in=LOG_KINDS[kind])
    if query:
        rows = rows.filter(Q(username__icontains=query) | Q(user__username__icontains=query))
    rows = rows.select_related("user", "by").order_by("-at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/login_log.html", {"page": page, "kind": kind, "query": query})


@duty_required(duties.LOCKS)
def security(request: HttpRequest) -> HttpResponse:
    """Account security (the security administrator): the policies in force, and each account's
    lock, second factor and password age, with unlock and reset-second-factor buttons."""
    scoped = _region_users(request.user)
    users = list(scoped.select_related("region").order_by("role", "username"))
    locked = _locked_out(scoped)
    enrolled = set(
        TOTPDevice.objects.filter(user__in=scoped, confirmed=True).values_list("user_id", flat=True)
    )
    for user in users:
        user.locked_out = user.username in locked
        user.enrolled = user.pk in enrolled
        user.required = otp.required_for(user)
        user.expired = password_expired(user)
    policies = [
        (
            _("Two-factor sign-in required for"),
            ", ".join(str(User.Role(r).label) for r in settings.KEYPROJ_2FA_ROLES) or _("nobody"),
        ),
        (
            _("Password valid for"),
            _("%(n)d days") % {"n": settings.KEYPROJ_PASSWORD_DAYS}
            if settings.KEYPROJ_PASSWORD_DAYS
            else _("no limit"),
        ),
        (_("Own password at first sign-in"), _("yes") if settings.KEYPROJ_PASSWORD_FIRST_CHANGE else _("no")),
        (_("Duties separated"), _("yes") if duties.separated() else _("no (the office keeps them)")),
        (_("Locked after failed sign-ins"), str(settings.AXES_FAILURE_LIMIT)),
        (_("Idle sign-out after"), _("%(n)d minutes") % {"n": settings.SESSION_COOKIE_AGE // 60}),
    ]
    return render(request, "accounts/security.html", {"users": users, "policies": policies})


@duty_required(duties.LOCKS)
@require_POST
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget a user's authenticator (a lost phone): they enrol a new one at their next sign-in."""
    user = get_object_or_404(_region_users(request.user), pk=pk)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot reset your own two-factor sign-in."))
        return redirect("accounts:security")
    otp.reset(user)
    security_event_record(kind=SecurityEvent.Kind.OTP_RESET, request=request, user=user, by=request.user)
    messages.success(
        request, _("%(name)s will enrol a new authenticator at the next sign-in.") % {"name": user.username}
    )
    return redirect("accounts:security")
