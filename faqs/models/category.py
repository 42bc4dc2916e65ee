"""Category: a term of the WordPress taxonomy `faq-categories`; categories nest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from faqs import content
from faqs.site import slug_path
from listings.models import archive
from listings.models.archive import public_count_of


class CategoryQuerySet(models.QuerySet):
    def with_question_counts(self) -> CategoryQuerySet:
        """Each category with `question_count`, its number of public questions filed
        directly under it (WordPress's term count), read from its archive's total."""
        return self.annotate(question_count=public_count_of(archive.CATEGORY))

    def tree(self) -> dict[int, Category]:
        """Every category by id, in one query: the taxonomy is small, and walking
        parents in memory beats a query per level."""
        return {category.pk: category for category in self.all()}


class Category(models.Model):
    """A term of the `faq-categories` taxonomy; categories may nest."""

    name = models.CharField(max_length=200, help_text="Shown on the site, e.g. “CMA Exam”.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the category's address: faq-categories/this-slug/.",
    )
    description = models.TextField(
        blank=True,
        help_text="A sentence or two shown at the top of the category page; simple HTML is allowed.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="Optional: nest this category under another one.",
    )
    ordering = models.PositiveIntegerField(
        default=0, help_text="Lower numbers are listed first on the home page."
    )
    review_every_months = models.PositiveSmallIntegerField(
        "review every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How often its answers are checked again. Left empty, the site's default "
        "(REVIEW_EVERY_MONTHS, 12). A question in several categories follows the shortest (1 to 120).",
    )
    last_modified = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When one of its questions last changed (sitemaps)."
    )
    # What the last WordPress import said of this term: re-importing the same term
    # then changes nothing, even after editors changed the category here.
    wp_import_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Descriptions may hold markup (WordPress allows it): the one sanitiser cleans it.
        self.description = content.sanitize(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return slug_path("faqs:category", self.slug)

    def clean(self) -> None:
        """A category cannot sit under itself or under one of its own children."""
        if self.parent_id is None or self.pk is None:
            return
        if self.parent_id in Category.descendant_ids(self, Category.objects.tree()):
            message = "A category cannot be placed under itself or its own subcategory."
            raise ValidationError({"parent": message})

    @staticmethod
    def ancestors(category: Category, tree: dict[int, Category]) -> list[Category]:
        """Parents from the top down, stopping at a loop should one ever exist."""
        chain: list[Category] = []
        parent_id = category.parent_id
        while parent_id in tree and tree[parent_id] not in chain and parent_id != category.pk:
            chain.insert(0, tree[parent_id])
            parent_id = tree[parent_id].parent_id
        return chain

    @staticmethod
    def descendant_ids(category: Category, tree: dict[int, Category]) -> set[int]:
        """The category and everything below it."""
        found = {category.pk}
        frontier = [category.pk]
        while frontier:
            children = [c.pk for c in tree.values() if c.parent_id in frontier and c.pk not in found]
            found.update(children)
            frontier = children
        return found
