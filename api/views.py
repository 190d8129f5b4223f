"""The API token page (the security administrator's; the office's under `make run`) (/manage/tokens/): issue a token for a user of its region, see when each
was last used and every call made, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import duties
from accounts.duties import duty_required
from lib import params

from .forms import TokenForm
from .models import ApiCall, ApiToken

CALLS_PAGE_SIZE = 50


def _token_for_office(request: HttpRequest, pk: int) -> ApiToken:
    """A token of a user in the office's region; 404 for any other."""
    return get_object_or_404(ApiToken.objects.for_office(request.user), pk=pk)


@duty_required(duties.TOKENS)
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The tokens, the form to issue one, and the log of API calls. A new token's secret is shown in
    the answer to the POST that made it, once: only its SHA-256 is stored."""
    form = TokenForm(request.POST or None, office=request.user)
    secret, issued = None, None
    if request.method == "POST" and form.is_valid():
        issued, secret = ApiToken.issue(
            user=form.cleaned_data["user"], name=form.cleaned_data["name"], by=request.user
        )
        form = TokenForm(office=request.user)
    tokens = ApiToken.objects.for_office(request.user).select_related("user", "created_by")
    calls = ApiCall.objects.for_office(request.user).select_related("user", "token")
    chosen = request.GET.get("token", "")
    if token_id := params.optional_id(chosen, _("The token named in the address is not valid.")):
        calls = calls.filter(token_id=token_id)
    page = Paginator(calls.order_by("-at", "-pk"), CALLS_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "page": page, "secret": secret, "issued": issued, "chosen": chosen},
        status=400 if request.method == "POST" and secret is None else 200,
    )
    if secret:
        response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@duty_required(duties.TOKENS)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _token_for_office(request, pk)
    token.revoke()
    messages.success(request, _("Token %(name)s revoked: it no longer works.") % {"name": token.name})
    return redirect("api_tokens:list")
