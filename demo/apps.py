from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county (秀山县, 2020): builders of every app's part, on top of all of them."""

    name = "demo"
    verbose_name = "Demo county"
