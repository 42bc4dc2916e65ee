import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import import_items
from wordpress.sources import read_sources


class Command(BaseCommand):
    help = (
        "Import WordPress REST JSON: faq items and faq-categories terms, from files, "
        "directories (every *.json below) or '-' for standard input. Ids, slugs and "
        "dates are kept; re-running changes nothing. Exits 1 when an item was skipped. "
        "With --media-dir, the answers' images and featured images join the media library."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="JSON files, directories, or - for stdin")
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
        parser.add_argument(
            "--media-dir",
            metavar="DIR",
            help="WordPress's wp-content/uploads folder, copied here: its images join the media library",
        )

    def handle(self, *args, paths: list[str], dry_run: bool, media_dir: str | None = None, **options) -> None:
        if media_dir is not None and not (str(media_dir) and Path(media_dir).is_dir()):
            raise CommandError(
                f"--media-dir {media_dir}: no such folder. Give WordPress's wp-content/uploads "
                "folder, copied to this machine (it holds the year folders, 2024/01/…)."
            )
        items, problems = read_sources(paths, stdin=sys.stdin)
        report = import_items(items, dry_run=dry_run, media_dir=Path(media_dir) if media_dir else None)
        report.skipped[:0] = problems
        for problem in report.skipped:
            self.stderr.write(f"skipped {problem}")
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        prefix = "dry run, nothing written; would have: " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        if report.analysed:
            self.stdout.write(
                f"content analysis: {report.analysed} question(s) rated in {report.analysis_seconds:.1f} s"
            )
        if report.skipped:
            raise CommandError(f"{len(report.skipped)} item(s) or file(s) skipped; see above.", returncode=1)
