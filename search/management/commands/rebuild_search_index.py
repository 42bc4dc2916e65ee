from django.core.management.base import BaseCommand
from django.db import transaction

from search import index


class Command(BaseCommand):
    help = "Make the search index (entries, full-text tables, spelling vocabulary) anew from the questions."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = index.rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} published and scheduled questions for search.")
        )
