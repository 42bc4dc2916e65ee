import argparse
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import ImportReport, import_items
from wordpress.pull import Progress, PullReport, pull
from wordpress.remote import Client, PullError, Retries, discover
from wordpress.sources import read_sources
from wordpress.spool import Spool, default_spool

PASSWORD_VARIABLE = "WORDPRESS_APP_PASSWORD"


class Command(BaseCommand):
    help = (
        "Import WordPress REST JSON or WordPress's own export (WXR, Tools > Export): faq items, "
        "faq-categories terms, authors and attachments, from files, directories (every *.json and "
        "*.xml below) or '-' for standard input; or pull them from a live "
        "WordPress site given by its address (https://example.org/resources/ or its wp-json/). "
        "Ids, slugs and dates are kept; re-running changes nothing. Exits 1 when an item was skipped. "
        "With --media-dir, or when pulling, the answers' images and featured images join the media library."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="JSON or WXR files, folders, - for stdin, or a site's address to pull"
        )
        parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
        parser.add_argument(
            "--media-dir",
            metavar="DIR",
            help="WordPress's wp-content/uploads folder, copied here: its images join the media library",
        )
        live = parser.add_argument_group("pulling a live site (an http(s):// address)")
        live.add_argument(
            "--user",
            metavar="NAME",
            help="sign in as this WordPress user, with an application password read from "
            f"{PASSWORD_VARIABLE}: drafts, pending and private questions come too",
        )
        # Refused with a reason, rather than argparse's bare "unrecognized arguments".
        live.add_argument("--password", nargs="?", const="", help=argparse.SUPPRESS)
        live.add_argument(
            "--spool",
            metavar="DIR",
            help="where the pull keeps what it fetched until imported, to resume after an interruption "
            "(default .wordpress-pull/<host> in the working directory)",
        )
        live.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (30)")
        live.add_argument("--tries", type=int, default=5, metavar="N", help="tries per request (5)")

    def handle(self, *args, paths: list[str], dry_run: bool, media_dir: str | None = None, **options) -> None:
        if options.get("password") is not None:
            raise CommandError(
                "--password is refused: a password on the command line shows in the process list and "
                f"the shell's history. Put the application password in {PASSWORD_VARIABLE} instead."
            )
        if any("://" in path for path in paths):
            self._pull(paths, dry_run=dry_run, media_dir=media_dir, **options)
            return
        if options.get("user") or options.get("spool"):
            raise CommandError("--user and --spool are for pulling a site: give its https:// address.")
        if media_dir is not None and not (str(media_dir) and Path(media_dir).is_dir()):
            raise CommandError(
                f"--media-dir {media_dir}: no such folder. Give WordPress's wp-content/uploads "
                "folder, copied to this machine (it holds the year folders, 2024/01/…)."
            )
        items, problems = read_sources(paths, stdin=sys.stdin)
        report = import_items(items, dry_run=dry_run, media_dir=Path(media_dir) if media_dir else None)
        report.skipped[:0] = problems
        self._report(report, dry_run)

    def _pull(self, paths: list[str], *, dry_run: bool, media_dir: str | None, **options) -> None:
        """Pull the site into a spool, then import the spool as files are imported."""
        if len(paths) > 1:
            raise CommandError("Give one site address to pull, or files to import: not both.")
        if media_dir is not None:
            raise CommandError("--media-dir is for files: a pull downloads the images its questions show.")
        if options["tries"] < 1 or options["timeout"] <= 0:
            raise CommandError("--tries must be 1 or more and --timeout more than 0.")
        user = options.get("user") or ""
        client = Client(
            credentials=self._credentials(user),
            timeout=options["timeout"],
            retries=Retries(tries=options["tries"]),
            on_retry=lambda message: self.stderr.write(f"retrying: {message}"),
        )
        try:
            api = discover(paths[0], client)
            spool = Spool(Path(options["spool"]) if options.get("spool") else default_spool(api.root))
            with spool.opened(api.root, user) as found:
                if found:
                    self.stderr.write(found)
                self.stdout.write(f"pulling {api.root}" + (f" as {user}" if user else ""))
                progress = Progress(self.stderr, live=self.stderr.isatty())
                pulled = pull(api, spool, signed_in=bool(user), progress=progress)
                items, problems = spool.all_items()
                report = import_items(items, dry_run=dry_run, media_dir=spool.uploads)
                report.skipped[:0] = problems
                spool.finish(keep=bool(report.skipped))
        except PullError as error:
            raise CommandError(str(error), returncode=1) from None
        except OSError as error:  # the spool's folder: not writable, a file in the way, a full disk
            raise CommandError(f"cannot write the spool: {error}", returncode=1) from None
        except KeyboardInterrupt:
            raise CommandError(
                "interrupted. What was fetched is kept: run the same command again to resume.", returncode=130
            ) from None
        self._pull_report(pulled, report, spool)
        self._report(report, dry_run)

    def _credentials(self, user: str) -> tuple[str, str] | None:
        if not user:
            return None
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password.strip():
            raise CommandError(
                f"--user {user} needs the user's application password in {PASSWORD_VARIABLE} "
                "(WordPress: Users › Profile › Application Passwords; not the login password)."
            )
        return user, password

    def _pull_report(self, pulled: PullReport, report: ImportReport, spool: Spool) -> None:
        for warning in pulled.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"pulled: {pulled.fetched.get('terms', 0)} categories, {pulled.fetched.get('faq', 0)} questions "
            f"in {pulled.seconds:.1f} s; "
            f"images: {pulled.downloaded} downloaded, {pulled.in_library} already in the library"
        )
        if report.skipped:
            self.stderr.write(
                f"the pulled pages are kept in {spool.folder} to look at; the next pull starts afresh"
            )
        changed = report.created or report.updated or report.terms_created or report.terms_updated
        if not changed and not report.skipped:
            self.stdout.write("nothing changed: the site's questions and categories are as imported before")

    def _report(self, report: ImportReport, dry_run: bool) -> None:
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
