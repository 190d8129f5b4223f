"""The user's notifications: the list, marking read, and the unread badge for the sidebar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Notification
from .services import mark_read


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@require_POST
@login_required
def read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    mark_read(user=request.user, ids=ids or None)
    return redirect("notifications:list")


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
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "notifications/_badge.html", {"unread": unread})
