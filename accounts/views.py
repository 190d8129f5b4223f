"""Sign-in and the office's management of users, units and the login log."""

from __future__ import annotations

import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import office_required
from regions.models import Unit

from .forms import LoginForm, UnitForm, UserForm
from .models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.retry_at is not None:  # delayed by accounts.throttle: say when, as HTTP does too
            response.status_code = 429
            seconds = (form.retry_at - timezone.now()).total_seconds()
            response["Retry-After"] = str(max(1, math.ceil(seconds)))
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


@office_required
def login_log(request: HttpRequest) -> HttpResponse:
    """Logins and failed logins of users in the office's region (axes keeps both)."""
    names = _users_for(request.user).values("username")
    kind = request.GET.get("kind", "ok")
    model = AccessFailureLog if kind == "failed" else AccessLog
    rows = model.objects.filter(username__in=names).order_by("-attempt_time")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/login_log.html", {"page": page, "kind": kind})
