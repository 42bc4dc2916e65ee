from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """WordPress compatibility as an app of its own (a leaf: it depends on the core,
    the core never imports it): wp-json, old URLs, the importer and exporter, and
    their management commands."""

    name = "wordpress"
    label = "wordpress"
    verbose_name = "WordPress compatibility"

    def ready(self) -> None:
        # wp-json's answers depend on their query string: the page cache keeps them
        # by it, when it names only parameters the routes read.
        from django.conf import settings

        from http_cache.middleware import understand
        from wordpress.params import PARAMETERS

        understand(f"/{settings.SITE_PATH}wp-json/", PARAMETERS)
