"""Purge the CDN of the pages writes changed: for cron, every minute; runs beside
another run without purging a page twice."""

from django.core.management.base import BaseCommand

from notify import outbox, purge


class Command(BaseCommand):
    help = "Purge the pages waiting in the outbox at Cloudflare and the CDN_PURGE_URLS caches."

    def handle(self, *args, **options) -> None:
        if not outbox.purge_on():
            self.stdout.write("CDN purge is off (no CDN_CLOUDFLARE_ZONE, no CDN_PURGE_URLS): nothing sent.")
            return
        self.stdout.write(purge.send_due().summary("pages"))
