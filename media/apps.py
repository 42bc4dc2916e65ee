from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Media library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from media import signals  # noqa: F401  (a deleted image takes its files with it)
