"""Pages of the works app (being built this session)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def register(request: HttpRequest) -> HttpResponse:
    return render(request, "works/register.html", {})


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "works/register.html", {})
