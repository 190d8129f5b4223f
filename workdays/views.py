"""节假日安排: which years' holidays are known, and the office's notices for the others."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lib.today import today

from . import services
from .calendar import WorkCalendar, library_knows
from .forms import NoticeForm
from .models import HolidayNotice


@login_required
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = NoticeForm(request.POST or None, initial={"year": today().year + 1})
    if request.method == "POST":
        # A notice is the whole country's: only an office may enter it.
        if not user.is_office:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.notice_save(
                year=data["year"],
                document=data["document"],
                holidays=data["holidays_days"],
                workdays=data["workdays_days"],
                by_id=user.pk,
            )
            messages.success(request, _("The holiday notice of %(year)s is saved.") % {"year": data["year"]})
            return redirect("workdays:notices")
    calendar = WorkCalendar.load()
    this_year = today().year
    years = [
        {
            "year": year,
            "library": library_knows(year),
            "known": calendar.known(year),
        }
        for year in range(this_year - 1, this_year + 3)
    ]
    return render(
        request,
        "workdays/notices.html",
        {
            "years": years,
            "notices": HolidayNotice.objects.prefetch_related("days"),
            "form": form,
            "can_enter": user.is_office,
        },
        status=400 if request.method == "POST" else 200,
    )
