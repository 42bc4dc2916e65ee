from django.apps import AppConfig


class SitePagesConfig(AppConfig):
    """The editors' site pages (About, Editorial policy, Contact…): Django's flatpages,
    served under SITE_URL's path with the site's templates and head, and the footer."""

    name = "site_pages"
    verbose_name = "Site pages"

    def ready(self) -> None:
        from site_pages import changes, sitemaps

        changes.connect()
        sitemaps.register()
