from __future__ import annotations

from functools import lru_cache, partial

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.models import User
from lib.today import today


def keyproj(request: HttpRequest) -> dict:
    return {
        "site_title": settings.KEYPROJ_SITE_TITLE,
        "app_today": today(),
        # `{{ nav_menu }}` calls it: a template without the layout (an htmx partial) pays nothing.
        "nav_menu": partial(nav_menu, request),
    }


def nav_menu(request: HttpRequest) -> SafeString:
    """The side menu (templates/_nav.html) of this request's page.

    The menu reads nothing of the user but the role (its links, and the duties: accounts.duties) and
    nothing of the request but the page's URL name (the active link); the language and the URL
    prefix give its labels and addresses. Rendered once per process for each of these keys, it
    costs a page a look-up instead of ~13,000 Python calls, about half of what any signed-in page
    costs. Forgotten when a setting changes (the separation of duties, in tests) or a template is
    edited under `runserver`.
    """
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    return _nav(role, match.view_name if match else "", get_language(), get_script_prefix())


@lru_cache(maxsize=1024)  # roles × URL names of pages with the layout × languages: a few hundred
def _nav(role: str | None, name: str, language: str, prefix: str) -> SafeString:
    # Any user of the role gives the same menu; the language and prefix are this request's, active now.
    user = User(role=role) if role is not None else AnonymousUser()
    return mark_safe(render_to_string("_nav.html", {"user": user, "name": name}))


@receiver(setting_changed, dispatch_uid="keyproj.nav_menu.setting")
def _forget_on_setting(**kwargs: object) -> None:
    _nav.cache_clear()


@receiver(file_changed, dispatch_uid="keyproj.nav_menu.template")
def _forget_on_template(file_path, **kwargs: object) -> None:
    if file_path.suffix != ".py":  # a .py change restarts the server anyway
        _nav.cache_clear()
