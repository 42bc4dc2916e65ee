from django.core.management.base import BaseCommand

from faqs.publishing import rebuild_derived


class Command(BaseCommand):
    help = (
        "Derive the archives (paging, counts, sitemaps), related questions and the search index "
        "anew for every question."
    )

    def handle(self, *args, **options) -> None:
        count = rebuild_derived()
        self.stdout.write(self.style.SUCCESS(f"Derived archives and related questions of {count} questions."))
