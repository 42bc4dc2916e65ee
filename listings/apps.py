from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = "Listings"
    default_auto_field = "django.db.models.BigAutoField"
