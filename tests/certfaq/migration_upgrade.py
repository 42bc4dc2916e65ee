"""Run by tests/certfaq/test_migrations.py in a process of its own, on a database of its own
(DATABASE_URL): migrate to where main stood before the apps were split (faqs 0012),
write a row in every table, migrate to the latest state, and print as JSON what every
table held before and after, and what the moved models read through the ORM."""

import json
import os
import sys
from datetime import date, timedelta

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.models.signals import post_migrate  # noqa: E402
from django.utils import timezone  # noqa: E402

BEFORE_SPLIT = ("faqs", "0012_search_analytics")
# The migration log grows; content types change label and permissions move (those
# three compared apart, by meaning: grants()); FTS5's tables are the search index's.
SKIPPED = (
    "django_migrations", "django_content_type", "auth_permission", "auth_user_user_permissions",
    "auth_group_permissions",
)  # fmt: skip
FTS5_TABLES = ("faqs_search_heading", "faqs_search_document")


def migrate(*target: str) -> None:
    """`migrate` without its post_migrate receivers (content types, permissions, the
    derived tables' and history's repairs): what is compared is what the migrations
    themselves do to the rows. The migrations before the split make the permissions
    they grant themselves, as an old release's database has them."""
    receivers = post_migrate.receivers
    post_migrate.receivers = []
    post_migrate.sender_receivers_cache.clear()
    try:
        call_command("migrate", *target, verbosity=0)
    finally:
        post_migrate.receivers = receivers
        post_migrate.sender_receivers_cache.clear()


def table_columns() -> dict[str, list[str]]:
    """Every table's columns, as the database has them now."""
    with connection.cursor() as cursor:
        return {
            table: [column.name for column in connection.introspection.get_table_description(cursor, table)]
            for table in connection.introspection.table_names(cursor)
            if table not in SKIPPED and not table.startswith(FTS5_TABLES)
        }


def table_contents(columns: dict[str, list[str]]) -> dict[str, list]:
    """Every table's rows in these columns (a column added since is not a row lost),
    sorted, as text: what "nothing is lost" compares."""
    contents = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in SKIPPED or table.startswith(FTS5_TABLES):
                continue
            names = columns.get(table) or table_columns()[table]
            cursor.execute(f"SELECT {', '.join(quote(name) for name in names)} FROM {quote(table)}")
            contents[table] = sorted(repr(row) for row in cursor.fetchall())
    return contents


def write_a_row_in_every_table(apps) -> None:
    """Rows through the models as they were at BEFORE_SPLIT (historical models)."""
    now = timezone.now().replace(microsecond=0)
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    get = lambda name: apps.get_model("faqs", name)  # noqa: E731
    editor = User.objects.create(username="migrated-editor", is_staff=True)
    category = get("Category").objects.create(name="CMA Exam", slug="cma-exam")
    question = get("Question").objects.create(
        title="How do I retake the CMA exam?", slug="retake-cma", content="<p>Wait 30 days.</p>",
        status="publish", published_at=now, modified_at=now, author=editor,
    )  # fmt: skip
    other = get("Question").objects.create(
        title="What does the CMA exam cost?", slug="cma-cost", content="<p>$250.</p>",
        status="publish", published_at=now, modified_at=now,
    )  # fmt: skip
    question.categories.add(category)
    tag = apps.get_model("taggit", "Tag").objects.create(name="retake", slug="retake")
    content_types = apps.get_model("contenttypes", "ContentType").objects
    question_type = content_types.get(app_label="faqs", model="question")
    tagged = apps.get_model("taggit", "TaggedItem").objects
    tagged.create(tag=tag, object_id=question.pk, content_type=question_type)
    get("ArchiveEntry").objects.create(archive="all", position=1, question=question, published_at=now)
    get("ArchiveTotal").objects.create(archive="all", entries=1)
    get("RelatedQuestion").objects.create(question=question, related=other, score=3)
    get("InternalLink").objects.create(
        source=question, position=0, href="/resources/faq/cma-cost/", anchor="the fee", is_internal=True,
        target_slug="cma-cost", target=other,
    )  # fmt: skip
    get("SearchEntry").objects.create(question=question, published_at=now, title=question.title, terms="CMA")
    get("SearchSpelling").objects.create(variant="retke", word="retake")
    get("SearchLog").objects.create(query="cma retake", day=date.today() - timedelta(days=1), searches=4)
    get("SearchPromotion").objects.create(query="cma retake", question=question, sort_order=1)
    get("EditingPresence").objects.create(question=question, user=editor, opened_at=now, seen_at=now)
    # A colleague granted rights on a moved model one by one, besides the groups.
    view_log = Permission.objects.get(content_type__app_label="faqs", codename="view_searchlog")
    offsite = Permission.objects.get(content_type__app_label="faqs", codename="add_offsite_redirect")
    editor.user_permissions.add(view_log, offsite)
    Group.objects.get(name="Editor").user_set.add(editor)


def moved_rows_through_the_orm() -> dict:
    from django.contrib.auth.models import User

    from editing.models import EditingPresence
    from links.models import InternalLink
    from listings.models import ArchiveEntry, ArchiveTotal, RelatedQuestion
    from search.models import SearchEntry, SearchSpelling
    from search_insights.models import SearchLog, SearchPromotion

    models = (ArchiveEntry, ArchiveTotal, RelatedQuestion, InternalLink, SearchEntry, SearchSpelling,
              SearchLog, SearchPromotion, EditingPresence)  # fmt: skip
    editor = User.objects.get(username="migrated-editor")
    return {
        "counts": {model._meta.label: model.objects.count() for model in models},
        "link": InternalLink.objects.values_list("source__slug", "target__slug").get(),
        "promotion": SearchPromotion.objects.values_list("query", "question__slug").get(),
        "editor_may": sorted(
            perm
            for perm in editor.get_all_permissions()
            if perm.endswith(("searchlog", "searchpromotion", "offsite_redirect"))
        ),
    }


def grants() -> list[list[str]]:
    """Who holds which permission, as ["user:<name>" or "group:<name>", "<app>.<codename>"]."""
    found = []
    with connection.cursor() as cursor:
        for holder, table, column in (("user", "auth_user", "user_id"), ("group", "auth_group", "group_id")):
            name = "username" if holder == "user" else "name"
            link_table = "auth_user_user_permissions" if holder == "user" else "auth_group_permissions"
            cursor.execute(
                f"SELECT h.{name}, t.app_label, p.codename FROM {link_table} AS l "
                f"JOIN {table} AS h ON h.id = l.{column} JOIN auth_permission AS p ON p.id = l.permission_id "
                "JOIN django_content_type AS t ON t.id = p.content_type_id"
            )
            found += [[f"{holder}:{who}", f"{app}.{codename}"] for who, app, codename in cursor.fetchall()]
    return sorted(found)


def content_types() -> list[list]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        return [list(row) for row in cursor.fetchall()]


def main() -> None:
    migrate(*BEFORE_SPLIT)
    executor = MigrationExecutor(connection)
    write_a_row_in_every_table(executor.loader.project_state(BEFORE_SPLIT).apps)
    columns = table_columns()
    before = {"tables": table_contents(columns), "content_types": content_types(), "grants": grants()}
    migrate()
    after = {"tables": table_contents(columns), "content_types": content_types(), "grants": grants()}
    print(json.dumps({"before": before, "after": after, "orm": moved_rows_through_the_orm()}))


if __name__ == "__main__":
    main()
