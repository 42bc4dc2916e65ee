from django.apps import AppConfig


class FaqsConfig(AppConfig):
    name = "faqs"
    verbose_name = "FAQs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from faqs import checks, signals, tags  # noqa: F401  (registers the checks, connects the receivers)
