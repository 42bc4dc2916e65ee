"""Question: one FAQ page, a question (the title) and its answer (the content);
which questions the public may see; WordPress-style slugs."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager

from faqs import content
from faqs.models.prepared import NO_SUCH_ID, NO_SUCH_OTHER_ID, PreparedQuery, keep_as_prefetched
from faqs.site import home_url, slug_path
from faqs.slugs import slug_from_title, unique_slug


def whole_seconds(value: datetime) -> datetime:
    """Times are kept to the second, as WordPress keeps them, so an export and
    re-import (or the API's dates) never disagree by a fraction."""
    return value.replace(microsecond=0)


CARD_FIELDS = ("title", "slug", "excerpt", "auto_description", "status", "published_at", "reading_minutes")


# Who may see a question, written once: LISTED_STATUSES (below the model) and these
# conditions build the queryset methods and the row predicates, and the raw SQL of the
# derived tables takes its clause from here too. Every other module calls them
# (tests/certfaq/test_rules_once.py keeps it so).


def listed_condition(prefix: str = "") -> Q:
    """In the lists (archives, sitemap entries, search index, related lists): published
    or scheduled, due or not. `prefix` names the relation to the question (`question__`)."""
    return Q(**{f"{prefix}status__in": LISTED_STATUSES})


def due_condition(prefix: str = "") -> Q:
    """Dated now or earlier: of the listed questions, those the public sees. `prefix`
    names the relation to the question, or is empty for a derived row's own date."""
    return Q(**{f"{prefix}published_at__lte": timezone.now()})


def not_yet_due_condition(prefix: str = "") -> Q:
    """Dated in the future: a listed question still to come."""
    return Q(**{f"{prefix}published_at__gt": timezone.now()})


def due_sql(column: str) -> str:
    """`due_condition()` for raw SQL over a derived table that holds listed questions
    only (the search index), with the present time as its one parameter."""
    return f"{column} <= %s"


def not_yet_due_sql(column: str) -> str:
    """`not_yet_due_condition()` for raw SQL, with the present time as its one parameter."""
    return f"{column} > %s"


class QuestionQuerySet(models.QuerySet):
    def listed(self) -> QuestionQuerySet:
        """What the lists hold (archives, search index, related lists): published and
        scheduled questions, due or not. What readers see of them is `published()`."""
        return self.filter(listed_condition())

    def published(self) -> QuestionQuerySet:
        """What the public may see: published, or scheduled and due. No cron needed:
        a scheduled question turns public the moment its time has come."""
        return self.filter(listed_condition(), due_condition())

    def in_sitemap(self) -> QuestionQuerySet:
        """Public questions search engines may index: not noindex, and no canonical
        URL naming another page (Yoast leaves both out of its sitemap)."""
        return self.published().filter(noindex=False, canonical_url="")

    def upcoming(self, within: timedelta | None = None) -> QuestionQuerySet:
        """Scheduled questions whose time has not come yet (only those it comes `within`
        this period, when given: the content health panel's next seven days)."""
        upcoming = self.filter(not_yet_due_condition(), status=Question.Status.SCHEDULED)
        return upcoming if within is None else upcoming.filter(published_at__lte=timezone.now() + within)

    def public_by_id(self, ids) -> dict[int, Question]:
        """The public questions among `ids`, by id: read by primary key and checked
        row by row (`is_public`). As `published().filter(pk__in=ids)`, SQLite answers
        from the visibility index instead, reading every public question (10 ms at
        100,000). The queryset's `only()` must keep status and publication date."""
        return {question.pk: question for question in self.filter(pk__in=list(ids)) if question.is_public()}

    def for_cards(self) -> QuestionQuerySet:
        """Only what a question's card in a list shows (faqs.result_cards.question_card()):
        the answer and its text stay in the database."""
        return self.only(*CARD_FIELDS)

    def with_credits(self) -> QuestionQuerySet:
        """With what a page says of its answer's provenance and shows with it, read with
        it: the byline's people and the featured image (joined), the sources and the
        image's renditions (a query each, the latter only with an image), for the page,
        its head and wp-json."""
        return self.select_related("written_by", "reviewed_by", "featured_image").prefetch_related(
            "sources", "featured_image__renditions"
        )

    def newest_first(self) -> QuestionQuerySet:
        return self.order_by("-published_at", "-pk")


class Question(models.Model):
    """One FAQ page: a question (the title) and its answer (the content)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # WordPress's "pending": an author hands the draft to an editor, who publishes it.
        PENDING = "pending", "Pending review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        PRIVATE = "private", "Private"

    # Imported questions keep their WordPress id as primary key, so old ?p=<id>
    # links and wp-json/wp/v2/faq/<id> keep working.
    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=255, help_text="The question, as readers ask it.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="The last part of the page's address (faq/this-slug/). Left empty, it is "
        "made from the title; if taken, “-2”, “-3” … is added as WordPress does.",
    )
    content = models.TextField(
        "answer",
        blank=True,
        help_text="The answer, in HTML. Scripts, styles and unsafe links are removed on save.",
    )
    excerpt = models.TextField(
        blank=True,
        help_text="Optional summary for lists and the meta description. "
        "Left empty, the first paragraph of the answer is used.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Drafts, questions pending review and private ones are never shown to the "
        "public. Scheduled questions appear by themselves at their publication date.",
    )
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        db_index=True,
        help_text="When the question goes (or went) public. Set to now when published without a date.",
    )
    modified_at = models.DateTimeField("last modified", default=timezone.now, editable=False)
    # When the row was last written, whatever changed: the page's Last-Modified header.
    # modified_at is the readers' date (READER_FIELDS), which a minor edit or an SEO
    # change keeps; a client revalidating with If-Modified-Since must still get them.
    saved_at = models.DateTimeField("last saved", default=timezone.now, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    # Who readers are told wrote and checked the answer (issue 20): public profiles
    # (people.Person), not the sign-in account above, which stays private.
    written_by = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_written",
        verbose_name="written by",
        help_text="The author readers see in the byline, linking to their profile.",
    )
    reviewed_by = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_reviewed",
        verbose_name="reviewed by",
        help_text="The expert who last checked that the answer is right (optional).",
    )
    last_reviewed = models.DateField(
        "last reviewed",
        null=True,
        blank=True,
        help_text="When the answer was last checked. Readers see it; “Mark as reviewed” sets it "
        "to today without changing the modified date.",
    )
    # The picture a shared link shows (og:image, twitter:image, the graph's
    # primaryImageOfPage) and the page opens with (issue 21): a library image.
    featured_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="featured_in",
        help_text="Shown at the top of the page and when the page is shared (optional).",
    )
    categories = models.ManyToManyField(
        "faqs.Category", blank=True, related_name="questions", help_text="Zero or more categories."
    )
    tags = TaggableManager(blank=True, help_text="A comma-separated list of tags.")

    seo_title = models.CharField(
        "SEO title",
        max_length=255,
        blank=True,
        help_text="The title search engines show. Left empty, the question is used.",
    )
    meta_description = models.TextField(
        blank=True,
        help_text="The snippet search engines show (about 150–300 characters). "
        "Left empty, it is derived from the excerpt or the first paragraph.",
    )
    canonical_url = models.URLField(
        "canonical URL",
        max_length=500,
        blank=True,
        help_text="Only when another page is the original. Left empty, this page's own address.",
    )
    noindex = models.BooleanField(
        "hide from search engines (noindex)",
        default=False,
        help_text="Ask search engines not to list this page.",
    )
    nofollow = models.BooleanField(
        "don't follow links (nofollow)",
        default=False,
        help_text="Ask search engines not to follow the links on this page.",
    )
    # Content analysis (analysis/): what the answer should rank for, as Yoast's focus
    # keyphrase and synonyms, and whether it is cornerstone content (stricter checks).
    focus_keyphrase = models.CharField(
        "focus keyphrase",
        max_length=191,
        blank=True,
        help_text="The search phrase this answer should be found for, e.g. “CMA exam retake”. "
        "Optional: the content analysis checks the answer against it.",
    )
    keyphrase_synonyms = models.CharField(
        "keyphrase synonyms",
        max_length=255,
        blank=True,
        help_text="Other ways readers search for it, separated by commas.",
    )
    cornerstone = models.BooleanField(
        "cornerstone content",
        default=False,
        help_text="One of the site's most important answers: the content analysis asks more of it.",
    )
    wp_guid = models.CharField(
        "WordPress GUID",
        max_length=500,
        blank=True,
        editable=False,
        help_text="The guid of the imported WordPress post.",
    )

    # Derived from the content on every save, so no request parses HTML.
    reading_minutes = models.PositiveIntegerField(default=1, editable=False)
    auto_description = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    # Fields save() recomputes; a save(update_fields=...) always writes them too.
    DERIVED_FIELDS = frozenset(
        {
            "slug",
            "content",
            "reading_minutes",
            "auto_description",
            "search_text",
            "status",
            "published_at",
            "modified_at",
            "saved_at",
        }
    )

    # What readers read of a question: a save that changes one of these changes the
    # page, and moves its modified date (the "Updated" line, dateModified,
    # article:modified_time, wp-json's `modified`, the sitemap's lastmod). A save that
    # changes none (links rewritten for a moved question, a restore of the same
    # version, categories or SEO fields only) keeps it, as Google asks of lastmod:
    # significant changes only. Publishing and unpublishing change what readers see.
    READER_FIELDS = ("title", "content", "excerpt", "status")

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="faq_visibility_idx"),
            # The sitemap index's date: the newest change, read from the top of this index.
            models.Index(fields=["modified_at"], name="faq_modified_idx"),
        ]
        permissions = [
            # Publishing is its own permission, as WordPress's publish_posts: authors
            # write and submit drafts, editors put them (and keep them) in front of readers.
            ("publish_question", "Can publish, schedule and unpublish questions"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, keep_modified: bool = False, **kwargs) -> None:
        """Row-local work only: the slug, the sanitised answer and what is derived from
        it. Keeping links, redirects and archives true is faqs.publishing's job, which
        every writer calls. The modified date moves when what readers read changed
        (READER_FIELDS, compared once the answer is sanitised); `keep_modified` keeps it
        whatever changed: an importer keeps the source's date, an editor's minor edit
        (a typo fix) the page's."""
        wanted = self.slug or slug_from_title(self.title)
        if not self.holds_slug(wanted):
            self.slug = unique_slug(Question, wanted, exclude_pk=self.pk)
        self.prepare_content()
        self.saved_at = whole_seconds(timezone.now())
        if not keep_modified and self.changes_what_readers_read():
            self.modified_at = self.saved_at
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.DERIVED_FIELDS}
        super().save(*args, **kwargs)
        self._stored_slug = self.slug
        self._stored_reading = self.reading_state()

    def get_absolute_url(self) -> str:
        return slug_path("faqs:question", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values) -> Question:
        question = super().from_db(db, field_names, values)
        question._stored_slug = question.__dict__.get("slug")  # None when deferred
        question._stored_reading = question.reading_state()
        return question

    def reading_state(self) -> tuple | None:
        """READER_FIELDS' values, None when one is deferred."""
        loaded = self.__dict__
        if any(name not in loaded for name in self.READER_FIELDS):
            return None
        return tuple(loaded[name] for name in self.READER_FIELDS)

    def changes_what_readers_read(self) -> bool:
        """Whether saving now would change READER_FIELDS as loaded or last saved (a new
        question, or one loaded without them, does as far as anyone can tell)."""
        stored = getattr(self, "_stored_reading", None)
        return stored is None or stored != self.reading_state()

    def holds_slug(self, slug: str) -> bool:
        """Whether this row, as loaded or last saved, lives at `slug`: the column is
        unique, so no other row can, and no query need ask."""
        return self.pk is not None and bool(slug) and slug == getattr(self, "_stored_slug", None)

    def validate_unique(self, exclude=None) -> None:
        """The slug is left out: save() never fails on a taken slug (it takes the next
        free one, as WordPress does), and the admin form refuses a move to a taken slug
        with its own message (`QuestionAdminForm.clean_slug`), so asking here again
        would only repeat their query."""
        super().validate_unique(exclude={*(exclude or ()), "slug"})

    def is_listed(self) -> bool:
        """The one-row answer to `Question.objects.listed()`."""
        return self.status in LISTED_STATUSES

    def is_public(self) -> bool:
        """The one-row answer to `Question.objects.published()`."""
        return self.is_listed() and self.published_at is not None and self.published_at <= timezone.now()

    def is_indexable(self) -> bool:
        """Whether search engines may list its page, once public: not noindex, and no
        canonical URL naming another page."""
        return not self.noindex and not self.canonical_url

    def is_in_sitemap(self) -> bool:
        """The one-row answer to `Question.objects.in_sitemap()`."""
        return self.is_public() and self.is_indexable()

    @property
    def status_as_shown(self) -> str:
        """The status as readers see it: a scheduled question whose time has come is
        published (the admin's list and the API's `status` say so too)."""
        if self.status == self.Status.SCHEDULED and self.is_public():
            return self.Status.PUBLISHED
        return self.status

    @property
    def effective_title(self) -> str:
        return self.seo_title.strip() or self.title

    @property
    def effective_description(self) -> str:
        return self.meta_description.strip() or self.auto_description

    @property
    def guid(self) -> str:
        """WordPress's permanent id URL: the imported one, else the form WordPress gives."""
        return self.wp_guid or f"{home_url()}?post_type=faq&p={self.pk}"

    @property
    def summary(self) -> str:
        """The text shown under the question in lists."""
        return self.excerpt.strip() or self.auto_description

    def prepare_content(self) -> None:
        """Sanitise the answer and derive what pages need from it, without touching
        the database: save() calls it, and so does the importer before a bulk insert."""
        self.title, self.excerpt = content.printable(self.title), content.printable(self.excerpt)
        self.content = content.sanitize(self.content)
        facts = content.answer_facts(self.content, self.excerpt)
        self.reading_minutes, self.auto_description, self.search_text = (
            facts.reading_minutes,
            facts.description,
            facts.text,
        )
        self._normalise_schedule()

    def _normalise_schedule(self) -> None:
        """WordPress rules: publishing without a date means now; a published question
        dated in the future is scheduled; a scheduled one whose date has passed is
        simply published."""
        if self.status not in (self.Status.PUBLISHED, self.Status.SCHEDULED):
            return
        now = timezone.now()
        if self.published_at is None:
            self.published_at = now
        self.published_at = whole_seconds(self.published_at)
        self.status = self.Status.SCHEDULED if self.published_at > now else self.Status.PUBLISHED


# Statuses of the questions the lists hold: published, and scheduled ahead of its
# time (it joins the lists' public part at its time, with no write).
LISTED_STATUSES = (Question.Status.PUBLISHED, Question.Status.SCHEDULED)


# A question's sources (sources.Source, read through its reverse relation), in order.
SOURCES_OF_QUESTION = PreparedQuery(lambda pk: Question(pk=pk).sources.all(), NO_SUCH_ID)
# The people of a question's byline (people.Person, by the two ids the row holds).
PEOPLE_OF_QUESTION = PreparedQuery(
    lambda written_by, reviewed_by: profiles().filter(pk__in=[written_by, reviewed_by]),
    NO_SUCH_ID,
    NO_SUCH_OTHER_ID,
)


def profiles():
    """people.Person's rows, reached through the byline's field: people depends on
    faqs, not faqs on people."""
    return Question._meta.get_field("written_by").related_model.objects


def load_credits(questions: list[Question]) -> None:
    """Give these rows what `with_credits()` would have read with them, in plain
    queries: for one question a three-table join costs more to build than it saves
    (2.3 against 0.9 ms at 10,000 questions). Their byline's people one query; their
    sources one; their featured image and its renditions two, only when one has an
    image. A question's page reads its people and sources by prepared queries."""
    people_ids = {
        pk for question in questions for pk in (question.written_by_id, question.reviewed_by_id) if pk
    }
    if people_ids:
        if len(questions) == 1:
            (question,) = questions
            rows = PEOPLE_OF_QUESTION.rows(question.written_by_id, question.reviewed_by_id)
            people = {person.pk: person for person in rows}
        else:
            people = profiles().in_bulk(people_ids)
        for question in questions:
            for field in ("written_by", "reviewed_by"):
                if (pk := getattr(question, f"{field}_id")) in people:
                    setattr(question, field, people[pk])
    if len(questions) == 1:  # a question's page: its sources by the prepared query
        keep_as_prefetched(questions[0], "sources", SOURCES_OF_QUESTION.rows(questions[0].pk))
    else:
        models.prefetch_related_objects(questions, "sources")
    pictured = [question for question in questions if question.featured_image_id]
    if pictured:
        models.prefetch_related_objects(pictured, "featured_image__renditions")
