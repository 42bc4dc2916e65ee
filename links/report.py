"""The site-wide link report: broken links, links to unpublished questions, anchors
that do not describe their target, and orphans. One place computes it; the admin
page and `manage.py link_report` print it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from faqs.models import Question
from links.graph import orphans
from links.models import InternalLink
from links.words import anchor_matches


@dataclass(frozen=True)
class LinkIssue:
    source_id: int
    source_title: str
    href: str
    anchor: str
    target_id: int | None
    target: str  # the target's title, or the words of the slug the href names


@dataclass
class LinkReport:
    broken: list[LinkIssue] = field(default_factory=list)
    unpublished: list[LinkIssue] = field(default_factory=list)
    mismatched: list[LinkIssue] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    @property
    def has_failures(self) -> bool:
        """Broken links and links to unpublished questions are 404s for readers."""
        return bool(self.broken or self.unpublished)

    def as_json(self) -> dict:
        return {
            "broken": [asdict(issue) for issue in self.broken],
            "unpublished": [asdict(issue) for issue in self.unpublished],
            "mismatched": [asdict(issue) for issue in self.mismatched],
            "orphans": self.orphans,
        }


def build_link_report() -> LinkReport:
    """Three queries whatever the size of the site: the ids of public questions, every
    internal link with the titles it needs, and the orphans."""
    public = set(Question.objects.published().values_list("pk", flat=True))
    report = LinkReport()
    rows = InternalLink.objects.internal().order_by("source_id", "position")
    for row in rows.values_list(
        "source_id", "source__title", "href", "anchor", "target_id", "target__title", "target_slug"
    ):
        source_id, source_title, href, anchor, target_id, target_title, target_slug = row
        issue = LinkIssue(
            source_id, source_title, href, anchor, target_id, target_title or target_slug.replace("-", " ")
        )
        if target_id is None:
            report.broken.append(issue)
        elif target_id not in public:
            report.unpublished.append(issue)
        if not anchor_matches(anchor, issue.target):
            report.mismatched.append(issue)
    report.orphans = list(orphans(Question.objects.all()).order_by("pk").values_list("pk", flat=True))
    return report


def orphan_titles(ids: list[int]) -> dict[int, str]:
    return dict(Question.objects.filter(pk__in=ids).values_list("pk", "title"))
