from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from taggit.apps import TaggitAppConfig


class FaqsConfig(AppConfig):
    # The app's config, though this module holds a second one (TagsConfig, below).
    default = True
    name = "faqs"
    verbose_name = "FAQs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the checks and connects the receivers of deletions, redirect edits
        # and every other write readers see (the page cache's).
        from faqs import checks, publishing, tags  # noqa: F401
        from history import versions as history  # noqa: F401
        from http_cache import changes  # noqa: F401
        from links import signals  # noqa: F401

        history.register()
        post_migrate.connect(publishing.derive_missing, sender=self)
        post_migrate.connect(history.record_missing, sender=self)


class TagsConfig(TaggitAppConfig):
    """django-taggit under a name editors read: the admin's section says "Tags"."""

    verbose_name = "Tags"


class SignInAttemptsConfig(AxesAppConfig):
    """django-axes under a name editors read: its section lists failed sign-ins
    (deleting one lifts that lock-out)."""

    verbose_name = "Sign-in attempts"
