from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Content health at a glance: the admin index's first panel (issue 19, point 3)."""

    name = "dashboard"
    verbose_name = "Content health"
