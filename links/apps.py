from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "links"
    verbose_name = "Links"
    default_auto_field = "django.db.models.BigAutoField"
