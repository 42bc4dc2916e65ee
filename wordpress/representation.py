"""Questions and categories in the shapes of WordPress's REST API (wp/v2).

The field order is the reference response's. `yoast_head_json` is the very dict the
page head is built from and `yoast_head` its rendering, so page, API and export agree.
"""

from __future__ import annotations

from urllib.parse import urlencode

from faqs import seo
from faqs.models import Category, Question
from faqs.site import absolute_url, home_url
from wordpress import shapes

CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]


def api_url(route: str, **params) -> str:
    """An absolute wp-json URL, e.g. api_url("wp/v2/faq/549")."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{home_url()}wp-json/{route}{query}"


def question_json(question: Question) -> dict:
    """One `faq` item as WordPress's REST API answers it (context=view).

    Reads the question's categories through `question.categories.all()`, so callers
    prefetch them."""
    categories = list(question.categories.all())
    head = seo.build_head(seo.question_page(question))
    modified = question.modified_at
    published = question.published_at or modified
    return {
        "id": question.pk,
        "date": shapes.site_time(published),
        # A draft never published has a "floating" date: WordPress shows date_gmt null.
        "date_gmt": shapes.gmt_time(question.published_at) if question.published_at else None,
        "guid": {"rendered": shapes.rendered_guid(question.guid)},
        "modified": shapes.site_time(modified),
        "modified_gmt": shapes.gmt_time(modified),
        "slug": shapes.rendered_slug(question.slug),
        "status": shapes.wordpress_status(question),
        "type": shapes.FAQ_TYPE,
        "link": absolute_url(question.get_absolute_url()),
        "title": {"rendered": shapes.rendered_text(question.title)},
        "content": {"rendered": question.content, "protected": False},
        # WordPress's `author` is the user's id; here the byline's profile, when it has one
        # (the reference's post type has no author support: no key, as there).
        **({"author": question.written_by_id} if question.written_by_id else {}),
        # WordPress's post thumbnail, when the question has one (the reference has none).
        **({"featured_media": question.featured_image_id} if question.featured_image_id else {}),
        "template": "",
        shapes.TAXONOMY: [category.pk for category in categories],
        "class_list": class_list(question, categories),
        "yoast_head": seo.render_head(head),
        "yoast_head_json": head,
        "_links": question_links(question),
    }


def class_list(question: Question, categories: list[Category]) -> list[str]:
    """WordPress's post classes: post-ID, type, status, hentry, then one per term."""
    classes = [
        f"post-{question.pk}",
        shapes.FAQ_TYPE,
        f"type-{shapes.FAQ_TYPE}",
        f"status-{shapes.wordpress_status(question)}",
        "hentry",
    ]
    return classes + [f"{shapes.TAXONOMY}-{category.slug}" for category in categories]


def question_links(question: Question) -> dict:
    return {
        "self": [{"href": api_url(f"wp/v2/faq/{question.pk}"), "targetHints": {"allow": ["GET"]}}],
        "collection": [{"href": api_url("wp/v2/faq")}],
        "about": [{"href": api_url("wp/v2/types/faq")}],
        **(
            {"author": [{"embeddable": True, "href": api_url(f"wp/v2/users/{question.written_by_id}")}]}
            if question.written_by_id
            else {}
        ),
        **(featured_media_links(question.featured_image_id) if question.featured_image_id else {}),
        "wp:attachment": [{"href": api_url("wp/v2/media", parent=question.pk)}],
        "wp:term": [
            {
                "taxonomy": shapes.TAXONOMY,
                "embeddable": True,
                "href": api_url(f"wp/v2/{shapes.TAXONOMY}", post=question.pk),
            }
        ],
        "curies": CURIES,
    }


def featured_media_links(image_id: int) -> dict:
    return {"wp:featuredmedia": [{"embeddable": True, "href": api_url(f"wp/v2/media/{image_id}")}]}


def question_embeds(terms: list[dict], author: dict | None = None) -> dict:
    """What ?_embed can add to a question, by link relation: its author (the profile's
    `user_embed_json()`) and its terms (each category's `term_embed_json()`), each
    made once for a page. WordPress embeds in the order of `_links`: author first."""
    embeds = {"author": lambda: [author]} if author else {}
    return embeds | {"wp:term": lambda: [terms]}


def category_embeds(category: Category, tree: dict[int, Category]) -> dict:
    """What ?_embed can add to a term: its parent, the target of its `up` link."""
    parent = tree.get(category.parent_id)
    return {"up": lambda: [term_embed_json(parent)]} if parent else {}


def category_json(category: Category, count: int, ancestors: list[Category]) -> dict:
    """One `faq-categories` term; `count` is its number of public questions."""
    head = seo.build_head(seo.category_page(category, ancestors, category.get_absolute_url(), None, count))
    return {
        "id": category.pk,
        "count": count,
        "description": category.description,
        "link": absolute_url(category.get_absolute_url()),
        "name": shapes.rendered_text(category.name),
        "slug": shapes.rendered_slug(category.slug),
        "taxonomy": shapes.TAXONOMY,
        "parent": category.parent_id or 0,
        "meta": [],
        "yoast_head": seo.render_head(head),
        "yoast_head_json": head,
        "_links": category_links(category),
    }


def term_embed_json(category: Category) -> dict:
    return {
        "id": category.pk,
        "link": absolute_url(category.get_absolute_url()),
        "name": shapes.rendered_text(category.name),
        "slug": shapes.rendered_slug(category.slug),
        "taxonomy": shapes.TAXONOMY,
        "_links": category_links(category),
    }


def category_links(category: Category) -> dict:
    links = {
        "self": [
            {"href": api_url(f"wp/v2/{shapes.TAXONOMY}/{category.pk}"), "targetHints": {"allow": ["GET"]}}
        ],
        "collection": [{"href": api_url(f"wp/v2/{shapes.TAXONOMY}")}],
        "about": [{"href": api_url(f"wp/v2/taxonomies/{shapes.TAXONOMY}")}],
    }
    if category.parent_id:
        links["up"] = [{"embeddable": True, "href": api_url(f"wp/v2/{shapes.TAXONOMY}/{category.parent_id}")}]
    links["wp:post_type"] = [{"href": api_url("wp/v2/faq", **{shapes.TAXONOMY: category.pk})}]
    links["curies"] = CURIES
    return links


def user_embed_json(person) -> dict:
    """A profile as WordPress embeds a post's author (context=embed): its public fields
    and links, no head."""
    item = user_json(person, head=False)
    return {key: item[key] for key in ("id", "name", "url", "description", "link", "slug", "_links")}


def user_json(person, *, head: bool = True) -> dict:
    """A profile as wp/v2/users/<id> shows an author to the public (context=view): what
    WordPress shows of a user with published posts, with avatars off (no email hash
    leaves the site); Yoast adds the author archive's head."""
    item = {
        "id": person.pk,
        "name": person.name,
        "url": next(iter(person.same_as), ""),
        "description": person.bio,
        "link": absolute_url(person.get_absolute_url()),
        "slug": person.slug,
    }
    if head:
        built = seo.build_head(seo.profile_page(person, person.get_absolute_url(), None))
        item |= {"yoast_head": seo.render_head(built), "yoast_head_json": built}
    return item | {
        "meta": [],
        "_links": {
            "self": [{"href": api_url(f"wp/v2/users/{person.pk}"), "targetHints": {"allow": ["GET"]}}],
            "collection": [{"href": api_url("wp/v2/users")}],
        },
    }


def media_json(image) -> dict:
    """A library image as wp/v2/media/<id> shows an attachment (context=view), its
    renditions as media_details.sizes (read with it: `renditions` prefetched)."""
    uploaded = image.uploaded_at
    sizes = {
        f"{rendition.kind}-{rendition.width}-{rendition.format.lower()}": {
            "file": rendition.file.name.rsplit("/", 1)[-1],
            "width": rendition.width,
            "height": rendition.height,
            "mime_type": rendition.mime_type,
            "source_url": absolute_url(rendition.file.url),
        }
        for rendition in image.renditions.all()
    }
    return {
        "id": image.pk,
        "date": shapes.site_time(uploaded),
        "date_gmt": shapes.gmt_time(uploaded),
        "guid": {"rendered": absolute_url(image.file.url)},
        "modified": shapes.site_time(uploaded),
        "modified_gmt": shapes.gmt_time(uploaded),
        "slug": image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0],
        "status": "inherit",
        "type": "attachment",
        "link": absolute_url(image.file.url),
        "title": {"rendered": shapes.rendered_text(image.title)},
        "author": 0,
        "featured_media": 0,
        "comment_status": "closed",
        "ping_status": "closed",
        "template": "",
        "meta": [],
        "description": {"rendered": ""},
        "caption": {"rendered": f"<p>{shapes.rendered_text(image.caption)}</p>\n" if image.caption else ""},
        "alt_text": image.alt,
        "media_type": "image",
        "mime_type": image.mime_type,
        "media_details": {
            "width": image.width,
            "height": image.height,
            "file": image.file.name,
            "filesize": image.size,
            "sizes": sizes,
        },
        "post": None,
        "source_url": absolute_url(image.file.url),
        "_links": {
            "self": [{"href": api_url(f"wp/v2/media/{image.pk}"), "targetHints": {"allow": ["GET"]}}],
            "collection": [{"href": api_url("wp/v2/media")}],
            "about": [{"href": api_url("wp/v2/types/attachment")}],
        },
    }
