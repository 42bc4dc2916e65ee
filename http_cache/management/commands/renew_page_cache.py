"""Retire every kept page and fragment: for a database changed behind the site's back
(a backup restored, rows edited in SQL), which renewed no stamp. The kept entries stay
until the cache needs their room; none is served again."""

from django.core.management.base import BaseCommand

from http_cache import stamp


class Command(BaseCommand):
    help = "Retire every kept page and fragment (after restoring a database or editing it in SQL)."

    def handle(self, *args, **options):
        renewed = stamp.renew()
        self.stdout.write(f"Page cache renewed (stamp {renewed.token}): every page is made anew when asked.")
