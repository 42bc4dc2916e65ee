"""The site's publisher in the schema graph (issue 20, point 5): an Organization node,
the WebSite's publisher, with its logo and editorial policy, only when settings name
one; unnamed, the graph is the old site's (tests/faqs/test_seo.py)."""

from __future__ import annotations

import json

import pytest

from faqs import seo
from tests.faqs.test_seo import QUESTION_URL, imported, question_head  # noqa: F401 (a fixture)
from tests.headparse import graph_by_id

pytestmark = pytest.mark.django_db

SITE = "https://certilyst.com/resources/"


def defined_ids(value):
    """Every node that defines an @id, nested ones too (the logo inside the Organization)."""
    if isinstance(value, dict):
        if "@id" in value and set(value) != {"@id"}:
            yield value["@id"]
        for child in value.values():
            yield from defined_ids(child)
    elif isinstance(value, list):
        for child in value:
            yield from defined_ids(child)


def id_references(value):
    if isinstance(value, dict):
        if set(value) == {"@id"}:
            yield value["@id"]
        for child in value.values():
            yield from id_references(child)
    elif isinstance(value, list):
        for child in value:
            yield from id_references(child)


def test_no_publisher_unless_one_is_named(imported):  # noqa: F811
    graph = graph_by_id(question_head(imported)["schema"])
    assert f"{SITE}#organization" not in graph
    assert "publisher" not in graph[f"{SITE}#website"]


def test_a_named_publisher_with_its_logo_and_editorial_policy(imported, settings, client):  # noqa: F811
    settings.ORGANIZATION_NAME = "Certilyst Ltd"
    settings.ORGANIZATION_LOGO_URL = "/resources/static/faqs/logo.svg"
    settings.EDITORIAL_POLICY_URL = "editorial-policy/"
    schema = question_head(imported)["schema"]
    graph = graph_by_id(schema)
    organization = graph[f"{SITE}#organization"]
    assert organization["@type"] == "Organization" and organization["name"] == "Certilyst Ltd"
    assert organization["url"] == SITE
    assert organization["logo"]["url"] == "https://certilyst.com/resources/static/faqs/logo.svg"
    assert organization["image"] == {"@id": organization["logo"]["@id"]}
    assert organization["publishingPrinciples"] == f"{SITE}editorial-policy/"
    website = graph[f"{SITE}#website"]
    assert website["publisher"] == {"@id": organization["@id"]}
    assert list(website).index("publisher") < list(website).index("potentialAction")  # Yoast's order
    assert set(id_references(schema["@graph"])) <= set(defined_ids(schema["@graph"]))  # all resolve
    # wp-json's yoast_head_json is the same head.
    item = json.loads(client.get(f"/resources/wp-json/wp/v2/faq/{imported.pk}").content)
    assert f"{SITE}#organization" in graph_by_id(item["yoast_head_json"]["schema"])


def test_a_whole_logo_url_is_kept(settings):
    settings.ORGANIZATION_NAME, settings.ORGANIZATION_LOGO_URL = "Certilyst", "https://cdn.example/logo.png"
    assert seo.organization_node()["logo"]["url"] == "https://cdn.example/logo.png"
