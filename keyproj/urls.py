from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import LoginView

from . import metrics, views

handler400 = "keyproj.views.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("projects/", include("reports.ledger_urls")),
    path("projects/", include("projects.urls")),
    path("manage/", include("accounts.urls")),
    path("manage/tokens/", include("api.manage_urls")),
    path("manage/audit/", include("audit.urls")),
    # apps: one line each below
    path("exchange/", include("exchange.urls")),
    path("battlemap/", include("battlemap.urls")),
    path("blockers/", include("blockers.urls")),
    path("meetings/", include("meetings.urls")),
    path("supervision/", include("supervision.urls")),
    path("notifications/", include("notifications.urls")),
    path("cadence/", include("cadence.urls")),
    path("reports/not-started/", include("blockers.board_urls")),
    path("reports/", include("reports.urls")),
    path("pool/", include("pool.urls")),
    path("lists/", include("lists.urls")),
    path("land/", include("land.urls")),
    path("approvals/", include("approvals.urls")),
    path("works/", include("works.urls")),
    path("safety/", include("safety.urls")),
    path("funds/", include("funds.urls")),
    path("milestones/", include("milestones.urls")),
    path("workdays/", include("workdays.urls")),
    path("api/v1/", include("api.urls")),
]
