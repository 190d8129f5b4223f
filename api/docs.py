"""The browsable API page, with Swagger UI from npm (swagger-ui-dist under static's vendor/).

ninja's own page loads Swagger UI from a CDN, which neither this machine nor a government network
reaches; nothing on this page leaves the site (the online validator badge is switched off too).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,
        "persistAuthorization": False,
    }

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", {"swagger_settings": config, "api": api})
