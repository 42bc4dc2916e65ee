from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from links.redirect_csv import FORMATS, RedirectFileError, read_redirects
from links.redirect_import import import_redirects


class Command(BaseCommand):
    help = (
        "Import a redirect CSV file as Yoast SEO Premium or the Redirection plugin exports it "
        "(told apart by its header). 301 and 308 become 301s, 410 a 410; each redirect passes "
        "the redirect admin's checks, chains are collapsed and loops refused; a second run "
        "changes nothing. Exits 1 when a row was skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="FILE.csv", help="the plugin's CSV export (UTF-8)")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=["auto", *FORMATS],
            default="auto",
            help="the plugin that wrote the file (default: told from the file)",
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="where the site already redirects an old address elsewhere, take the file's target",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="whose permissions apply: a redirect to another site needs their "
            "“Can add redirects to other sites” (refused without --user)",
        )

    def handle(
        self, *args, path: str, file_format: str, dry_run: bool, replace: bool, user: str | None, **options
    ) -> None:
        person = self._user(user) if user else None
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        try:
            file_format, rows, problems = read_redirects(data, file_format)
        except RedirectFileError as error:
            raise CommandError(f"{path}: {error}") from None
        report = import_redirects(rows, user=person, replace=replace, dry_run=dry_run)
        report.skipped = sorted([*problems, *report.skipped])
        for skipped in report.skipped:
            self.stderr.write(f"skipped {skipped}")
        prefix = "dry run, nothing written; would have: " if dry_run else ""
        self.stdout.write(f"{prefix}{report.summary()} ({file_format} format)")
        if report.skipped:
            raise CommandError(f"{len(report.skipped)} row(s) skipped; see above.", returncode=1)

    def _user(self, username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"--user {username}: no such user") from None
