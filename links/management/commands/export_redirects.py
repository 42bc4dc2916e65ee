from django.core.management.base import BaseCommand, CommandError

from links.redirect_csv import FORMATS, YOAST, export_redirects


class Command(BaseCommand):
    help = (
        "Write the site's redirects (301s and 410s) to a CSV file as Yoast SEO Premium or the "
        "Redirection plugin exports them, for either plugin's import or import_redirects. "
        "Exits 1 when a redirect could not be written in that format."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="FILE.csv", help="the file to write (replaced if it exists)")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=FORMATS,
            default=YOAST,
            help="the plugin whose format to write (default: yoast)",
        )

    def handle(self, *args, path: str, file_format: str, **options) -> None:
        try:
            with open(path, "w", encoding="utf-8", newline="") as stream:
                written, left_out = export_redirects(stream, file_format)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        for reason in left_out:
            self.stderr.write(f"left out {reason}")
        self.stdout.write(f"{written} redirect(s) written to {path} ({file_format} format)")
        if left_out:
            raise CommandError(f"{len(left_out)} redirect(s) left out; see above.", returncode=1)
