from django.urls import path

from . import views

app_name = "battlemap"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wall/", views.wallchart, name="wallchart"),
    path("wall.pdf", views.wallchart_pdf, name="wallchart_pdf"),
    path("screen/", views.screen, name="screen"),
    path("map/", views.map_view, name="map"),
    path("map/boundary/", views.boundary_upload, name="boundary"),
]
