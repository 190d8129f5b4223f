"""Sign-in and the office's management of users, units and the login log."""

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

from accounts.decorators import office_required
from lib import params
from regions.models import Unit

from .forms import LoginForm, UnitForm, UserForm
from .models import SecurityEvent, User
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

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request, user=user, by=user
        )
        return response


def _users_for(office: User):
    return User.objects.filter(region__path__startswith=office.region.path)


def _locked_out(users) -> set[str]:
    """The usernames axes holds locked out now: the failure limit reached within the cool-off."""
    attempts = AccessAttempt.objects.filter(
        username__in=users.values("username"), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return set(attempts.values_list("username", flat=True))


@office_required
def user_list(request: HttpRequest) -> HttpResponse:
    scoped = _users_for(request.user)
    users = list(scoped.select_related("region", "unit", "leader").order_by("role", "username"))
    locked = _locked_out(scoped)
    for user in users:
        user.locked_out = user.username in locked
    return render(request, "accounts/user_list.html", {"users": users})


@office_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a sign-in lockout now (axes forgets the user's failed attempts, from every address)."""
    user = get_object_or_404(_users_for(request.user), pk=pk)
    axes_reset(username=user.username)
    messages.success(request, _("%(name)s can sign in again.") % {"name": user.username})
    return redirect("accounts:users")


@office_required
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


@office_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.for_user(request.user).select_related("region", "township").order_by("kind", "name")
    return render(request, "accounts/unit_list.html", {"units": units})


@office_required
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
    """Failed sign-ins for names no account has belong to no region: the offices at the top of the
    installation see them — those with no active office in a region above theirs (in a county's
    installation, the county office; in a city's, the city office only)."""
    parts = [part for part in office.region.path.split("/") if part]
    above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    return not User.objects.filter(role=User.Role.OFFICE, is_active=True, region__path__in=above).exists()


def security_events_for(office: User):
    """The login log an office may read: its region's users' events (by user, so a renamed user's
    earlier sign-ins stay theirs) and, for the top offices, failed sign-ins for unknown names."""
    scope = Q(user__region__path__startswith=office.region.path)
    if sees_unknown_names(office):
        scope |= Q(user__isnull=True)
    return SecurityEvent.objects.filter(scope)


@office_required
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
