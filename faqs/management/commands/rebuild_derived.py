from django.core.management.base import BaseCommand

from faqs.publishing import rebuild_derived


class Command(BaseCommand):
    help = (
        "Derive everything the save path derives (faqs.derivers.DERIVERS: links, archives, related "
        "questions, the search index, the categories' dates…) anew for every question."
    )

    def handle(self, *args, **options) -> None:
        count = rebuild_derived()
        self.stdout.write(
            self.style.SUCCESS(
                f"Derived links, archives, related questions and the search index of {count} questions."
            )
        )
