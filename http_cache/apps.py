from django.apps import AppConfig


class HttpCacheConfig(AppConfig):
    name = "http_cache"
    verbose_name = "HTTP cache"
    default_auto_field = "django.db.models.BigAutoField"
