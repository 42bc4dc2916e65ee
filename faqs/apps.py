from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FaqsConfig(AppConfig):
    name = "faqs"
    verbose_name = "FAQs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the checks and connects the receivers of deletions and redirect edits.
        from faqs import checks, history, publishing, tags  # noqa: F401
        from faqs.links import signals  # noqa: F401

        history.register()
        post_migrate.connect(publishing.derive_missing, sender=self)
        post_migrate.connect(history.record_missing, sender=self)
