from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """WordPress compatibility as an app of its own (a leaf: it depends on the core,
    the core never imports it): wp-json, old URLs, the importer and exporter, and
    their management commands."""

    name = "faqs.wordpress"
    label = "wordpress"
    verbose_name = "WordPress compatibility"
