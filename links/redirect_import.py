"""Redirects read from a CSV file (links.redirect_csv) joined to the site's: each
through the redirect admin's form (an address on another site needs the person's
permission), chains collapsed (A→B with B→C is kept as A→C, and redirects that led to
A follow it), loops refused, a redirect already here as the file gives it left alone,
and one here that says otherwise reported unless the file is to replace it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction

from faqs import site
from faqs.models import Question
from faqs.models.bulk import chunks
from faqs.permissions import may_redirect_offsite
from links.redirect_admin import RedirectForm
from links.redirect_csv import Row, Skip, chain_key
from links.redirects import point, redirects
from links.resolve import slug_of_path


@dataclass
class ImportReport:
    imported: int = 0
    replaced: int = 0
    unchanged: int = 0
    collapsed: int = 0
    from_regex: int = 0
    skipped: list[Skip] = field(default_factory=list)

    def summary(self) -> str:
        replaced = f" ({self.replaced} replacing the site's)" if self.replaced else ""
        regex = f"; {self.from_regex} of them from plain-path regexes" if self.from_regex else ""
        return (
            f"redirects: {self.imported} imported{replaced}{regex}; {self.unchanged} unchanged; "
            f"{self.collapsed} collapsed; {len(self.skipped)} skipped"
        )


class Loop(Exception):
    """Following a redirect's target comes back to an address already passed."""


@dataclass
class Plan:
    """What an import does, worked out before anything is written."""

    report: ImportReport
    writes: dict[str, str] = field(default_factory=dict)  # old path → target


def import_redirects(
    rows: list[Row], *, user=None, replace: bool = False, dry_run: bool = False
) -> ImportReport:
    """Join `rows` to the site's redirects (in one transaction; nothing with dry_run).
    `user`: whose permission decides whether a redirect may leave the site (nobody's
    without one). `replace`: the file's target wins over a different one here."""
    existing = {redirect.old_path: redirect for redirect in redirects()}
    plan = Plan(ImportReport())
    accepted = accepted_rows(rows, existing, user, plan.report)
    targets = {old_path: redirect.new_path for old_path, redirect in existing.items()}
    targets.update(
        {row.old_path: row.new_path for row in accepted if replace or row.old_path not in existing}
    )
    for row in accepted:
        plan_row(row, targets, existing, user, replace, plan)
    repoint_existing(existing, plan)
    if not dry_run:
        with transaction.atomic():
            for old_path, new_path in plan.writes.items():
                point(old_path, new_path)
    plan.report.skipped.sort()
    return plan.report


def accepted_rows(rows: list[Row], existing: dict[str, Redirect], user, report: ImportReport) -> list[Row]:
    """The rows that may become redirects as the file gives them: on the site's path,
    not at a published question's address, passing the admin's form; a second row for
    an old path counts once when it agrees and is reported when it does not."""
    live = live_paths([row.old_path for row in rows])
    first_rows: dict[str, Row] = {}
    accepted = []
    for row in rows:
        first = first_rows.get(row.old_path)
        if first is not None:
            if first.new_path == row.new_path:
                report.unchanged += 1
            else:
                report.skipped.append(
                    Skip(row.line, f"line {first.line} gives {row.old_path} another target")
                )
            continue
        here = existing.get(row.old_path)
        if here is not None and here.new_path == row.new_path:
            report.unchanged += 1  # as the site has it: nothing to judge again
            first_rows[row.old_path] = row
            continue
        reason = refusal(row, live) or form_error(row.old_path, row.new_path, here, user)
        if reason:
            report.skipped.append(Skip(row.line, reason))
            continue
        accepted.append(row)
        first_rows[row.old_path] = row
    return accepted


def refusal(row: Row, live: set[str]) -> str:
    prefix = site.path_prefix()
    if not row.old_path.startswith(prefix):
        return f"{row.old_path} is outside the site's path {prefix}; requests there never reach it"
    if row.old_path in live:
        return f"{row.old_path} is a published question's address; a redirect there would never answer"
    return ""


def live_paths(old_paths: list[str]) -> set[str]:
    """The ones of `old_paths` where a published question lives (its page answers, so
    a redirect there would never be asked)."""
    slugs = {path: slug_of_path(path) for path in old_paths}
    published = {
        slug
        for chunk in chunks({slug for slug in slugs.values() if slug})
        for slug in Question.objects.published().filter(slug__in=chunk).values_list("slug", flat=True)
    }
    return {path for path, slug in slugs.items() if slug in published}


def form_error(old_path: str, new_path: str, instance: Redirect | None, user) -> str:
    """What the redirect admin's form says of this redirect ("" when it takes it),
    with the permissions of `user` (none without one). The form is given a copy of the
    redirect here, since validating writes the data onto its instance."""
    form = RedirectForm(
        data={"site": settings.SITE_ID, "old_path": old_path, "new_path": new_path},
        instance=copy.copy(instance),
    )
    form.may_leave_site = user is not None and may_redirect_offsite(user)
    if form.is_valid():
        return ""
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(messages)}"
        for name, messages in form.errors.items()
    )


def plan_row(
    row: Row, targets: dict[str, str], existing: dict[str, Redirect], user, replace: bool, plan: Plan
):
    report = plan.report
    try:
        final = followed(row.old_path, row.new_path, targets)
    except Loop as loop:
        report.skipped.append(Skip(row.line, f"{loop} would loop; refused"))
        return
    here = existing.get(row.old_path)
    if here is not None and here.new_path == final:
        report.unchanged += 1
        return
    if here is not None and not replace:
        report.skipped.append(
            Skip(
                row.line,
                f"{row.old_path} already redirects to {shown(here.new_path)} here, the file says "
                f"{shown(final)} (--replace takes the file's)",
            )
        )
        return
    if final != row.new_path:
        # The end of the chain is judged as a target of its own: it may lead off the site.
        error = form_error(row.old_path, final, here, user)
        if error:
            report.skipped.append(Skip(row.line, f"through {row.new_path}, {error}"))
            return
        report.collapsed += 1
    plan.writes[row.old_path] = final
    report.imported += 1
    report.replaced += here is not None
    report.from_regex += row.from_regex


def followed(old_path: str, target: str, targets: dict[str, str]) -> str:
    """Where `target` finally leads through the redirects in `targets` (old path →
    target): a path that is itself redirected is replaced by its target, a 410 on the
    way makes the whole chain 410, as links.redirects does for a deleted question.
    Raises Loop when an address comes round again."""
    passed = [old_path]
    while True:
        step = redirected_path(target, targets)
        if step is None:
            return target
        if step in passed:
            raise Loop(" → ".join([*passed, step]))
        passed.append(step)
        target = targets[step]


def redirected_path(target: str, targets: dict[str, str]) -> str | None:
    """The old path a request for `target` finds in `targets`: the same, or with a
    slash appended, which Django's APPEND_SLASH tries next."""
    key = chain_key(target)
    if key is None:
        return None
    if key in targets:
        return key
    with_slash = f"{key}/"
    return with_slash if "?" not in key and with_slash in targets else None


def repoint_existing(existing: dict[str, Redirect], plan: Plan) -> None:
    """Redirects here that led to an address the file now redirects follow it to its
    end (A→B→C becomes A→C and B→C, as a slug move does). Chains among the site's
    own redirects are theirs to keep."""
    imported = dict(plan.writes)
    for old_path, redirect in existing.items():
        step = redirected_path(redirect.new_path, imported)
        if old_path not in imported and step is not None and imported[step] != redirect.new_path:
            plan.writes[old_path] = imported[step]
            plan.report.collapsed += 1


def shown(new_path: str) -> str:
    return new_path or "410 Gone"
