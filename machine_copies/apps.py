from django.apps import AppConfig


class MachineCopiesConfig(AppConfig):
    """Machine-readable copies of the site: llms.txt and each question as Markdown."""

    name = "machine_copies"
    verbose_name = "Machine-readable copies"
