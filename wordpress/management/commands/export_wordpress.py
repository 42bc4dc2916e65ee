from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.exporter import export_site


class Command(BaseCommand):
    help = (
        "Write every question and category as WordPress REST JSON into DIR (import_wordpress reads it back)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options) -> None:
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a directory")
        questions, categories = export_site(directory)
        self.stdout.write(f"Wrote {questions} questions and {categories} categories to {directory}")
