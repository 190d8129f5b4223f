"""The user's notifications (the list, marking read, the unread count), their channel preferences,
and for the office its region's group robots and the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib import params
from lib.forms import errors_onto

from .forms import PreferenceForm, RobotForm
from .models import Delivery, Notification, Preference, Robot
from .services import mark_read, robot_add, robot_set_active, robot_test


def _unread(request: HttpRequest) -> int:
    return Notification.objects.filter(user=request.user, read_at__isnull=True).count()


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread": _unread(request)})


@require_POST
@login_required
def read(request: HttpRequest) -> HttpResponse:
    """Mark the notifications named (`id`, one or more) read, or all of them when none is named."""
    ids = params.id_list(request.POST.getlist("id"), _("The notifications named are not valid."))
    mark_read(user=request.user, ids=ids or None)
    back = params.local_path(request.POST.get("next"), host=request.get_host(), secure=request.is_secure())
    return redirect(back or "notifications:list")


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow its link; only the user's own (others' are simply not found)."""
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        return redirect("notifications:list")
    mark_read(user=request.user, ids=[pk])
    return redirect(notification.url or "notifications:list")


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/_badge.html", {"unread": _unread(request)})


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """In the app always; e-mail and SMS as the user picks."""
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST or None, instance=pref, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification channels are saved."))
        return redirect("notifications:preferences")
    address = request.user.email or (request.user.unit.email if request.user.unit_id else "")
    return render(request, "notifications/preferences.html", {"form": form, "address": address})


def _office(request: HttpRequest) -> None:
    if not request.user.can_configure:
        raise PermissionDenied(_("Only the key-project office configures robots."))


@require_http_methods(["GET", "POST"])
@login_required
def robots(request: HttpRequest) -> HttpResponse:
    """The region's robots: add one (a unit's group or the whole region's), test, disable."""
    _office(request)
    form = RobotForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            robot_add(by=request.user, robot=form.save(commit=False))
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("The robot is added. Send it a test message."))
            return redirect("notifications:robots")
    listed = Robot.objects.for_user(request.user).select_related("unit")
    return render(request, "notifications/robots.html", {"form": form, "robots": listed})


def _robot(request: HttpRequest, pk: int) -> Robot:
    _office(request)
    return get_object_or_404(Robot.objects.for_user(request.user), pk=pk)


@require_POST
@login_required
def robot_send_test(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    robot_test(robot=robot, by=request.user)
    messages.info(request, _("A test message is on its way; the delivery log shows how it went."))
    return redirect("notifications:robots")


@require_POST
@login_required
def robot_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    robot = _robot(request, pk)
    robot_set_active(by=request.user, robot=robot, active=not robot.active)
    return redirect("notifications:robots")


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    """What was sent where, how it went and how many tries — the office's region."""
    _office(request)
    qs = Delivery.objects.for_user(request.user).select_related("robot")
    status = request.GET.get("status", "")
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {"page": page, "status": status, "statuses": Delivery.Status.choices},
    )
