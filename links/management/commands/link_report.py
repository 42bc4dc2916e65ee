import json

from django.core.management.base import BaseCommand, CommandError

from links.report import build_link_report


class Command(BaseCommand):
    help = (
        "Report broken internal links, links to unpublished questions, anchor-text "
        "mismatches and orphan questions. Exits 1 when a link is broken or unpublished."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, as_json: bool = False, **options) -> None:
        report = build_link_report()
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self._print_text(report)
        if report.has_failures:
            count = len(report.broken) + len(report.unpublished)
            raise CommandError(f"{count} link(s) lead readers to a missing page.", returncode=1)

    def _print_text(self, report) -> None:
        sections = [
            ("Broken links", report.broken),
            ("Links to unpublished questions", report.unpublished),
            ("Anchor text that does not describe the target", report.mismatched),
        ]
        for heading, issues in sections:
            self.stdout.write(f"{heading}: {len(issues)}")
            for issue in issues:
                self.stdout.write(
                    f"  question {issue.source_id}: “{issue.anchor}” → {issue.href} ({issue.target})"
                )
        self.stdout.write(f"Orphans (no link from a published question): {len(report.orphans)}")
        if report.orphans:
            self.stdout.write("  " + ", ".join(str(question_id) for question_id in report.orphans))
