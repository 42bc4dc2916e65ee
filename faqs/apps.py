from django.apps import AppConfig


class FaqsConfig(AppConfig):
    name = "faqs"
    verbose_name = "FAQs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from faqs import signals  # noqa: F401  (connects the receivers)
