from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Telling others that public pages changed: search engines (IndexNow) and the CDN
    in front of the site (Cloudflare, Varnish, Fastly, a caching proxy), through an
    outbox written in the save's transaction and sent by cron."""

    name = "notify"
    verbose_name = "Search engine and CDN notices"

    def ready(self) -> None:
        from notify import outbox

        outbox.connect()
