"""Tell search engines (IndexNow) of the pages that appeared, changed or went: for cron,
every minute or less often; runs beside another run without sending a URL twice."""

from django.core.management.base import BaseCommand

from notify import indexnow, outbox


class Command(BaseCommand):
    help = "Send the URLs waiting in the outbox to IndexNow (INDEXNOW_KEY, INDEXNOW_ENDPOINT)."

    def handle(self, *args, **options) -> None:
        if not outbox.indexnow_on():
            self.stdout.write("IndexNow is off (INDEXNOW_KEY is not set): nothing sent.")
            return
        self.stdout.write(indexnow.send_due().summary("URLs"))
