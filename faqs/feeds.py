"""The RSS feed at feed/, as WordPress serves one: the newest public questions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape

from faqs import content
from faqs.models import Question
from faqs.models.question import CARD_FIELDS
from faqs.site import absolute_url, home_url
from listings.archives import ArchivePaginator
from listings.models.archive import ALL
from media.models import Image

FEED_ITEMS = 20


class LatestQuestionsFeed(Feed):
    def title(self) -> str:
        return settings.SITE_NAME

    def description(self) -> str:
        return settings.SITE_TAGLINE

    def link(self) -> str:
        return home_url()

    def feed_url(self) -> str:
        return absolute_url(reverse("faqs:feed"))

    def items(self):
        fields = (*CARD_FIELDS, "wp_guid", "modified_at", "featured_image")
        questions = ArchivePaginator(ALL, FEED_ITEMS, Question.objects.only(*fields)).page(1).object_list
        # Their featured images in one query (issue 21): each item's enclosure.
        ids = {question.featured_image_id for question in questions if question.featured_image_id}
        images = Image.objects.in_bulk(ids) if ids else {}
        for question in questions:
            question.feed_image = images.get(question.featured_image_id)
        return questions

    def item_enclosures(self, question: Question) -> list[Enclosure]:
        """The featured image, as WordPress feeds carry a post thumbnail: an enclosure."""
        image = getattr(question, "feed_image", None)
        if image is None:
            return []
        return [Enclosure(absolute_url(image.file.url), str(image.size), image.mime_type)]

    # Readers render an item's title and description as HTML once the XML is decoded.
    def item_title(self, question: Question) -> str:
        """The question as text: escaped here, then again by the XML writer, as
        WordPress's feed (and Django's default) double-escape titles."""
        return escape(question.title)

    def item_description(self, question: Question) -> str:
        """HTML showing the summary (text) as the page shows it, through the one
        sanitiser, as WordPress gives the excerpt as HTML."""
        return content.sanitize(escape(question.summary))

    def item_link(self, question: Question) -> str:
        return absolute_url(question.get_absolute_url())

    def item_guid(self, question: Question) -> str:
        return question.guid

    item_guid_is_permalink = False

    def item_pubdate(self, question: Question):
        return question.published_at

    def item_updateddate(self, question: Question):
        return question.modified_at
