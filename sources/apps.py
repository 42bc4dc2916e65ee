from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sources import signals  # noqa: F401  (a source written outside the save path renews the stamp)
