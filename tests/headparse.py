"""Read the SEO tags of a page's <head> (or of a yoast_head string) in order."""

from __future__ import annotations

import json
from html.parser import HTMLParser

SEO_META_KEYS = ("name", "property")


class _HeadTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []
        self._in: str | None = None
        self._text: list[str] = []
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        attrs = dict(attrs)
        if tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in, self._text = tag, []
        elif tag == "meta" and any(key in attrs for key in SEO_META_KEYS) and attrs.get("name") != "viewport":
            key = "name" if "name" in attrs else "property"
            self.tags.append(("meta", attrs[key], attrs.get("content")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.tags.append(("link", "canonical", attrs.get("href")))

    def handle_data(self, data):
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self._done = True
        if tag == self._in:
            text = "".join(self._text)
            self.tags.append(
                ("title", "", text) if tag == "title" else ("script", "ld+json", json.loads(text))
            )
            self._in = None


def head_tags(html: str) -> list[tuple]:
    """[("title", "", text), ("meta", name, content), ("link", "canonical", href),
    ("script", "ld+json", parsed_json)] in document order."""
    parser = _HeadTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def tag_names(tags: list[tuple]) -> list[tuple]:
    """The tags without their values: the order and set a page must keep."""
    return [(kind, name) for kind, name, _ in tags]


def schema_of(tags: list[tuple]) -> dict:
    return next(value for kind, _, value in tags if kind == "script")


def graph_by_id(schema: dict) -> dict[str, dict]:
    return {node["@id"]: node for node in schema["@graph"]}


def assert_graph_matches_reference(ours: dict, theirs: dict):
    """Every node and value of the reference graph, plus only the FAQPage entity
    (WebPage typed ["WebPage", "FAQPage"] with mainEntity, and a Question node)."""
    question_url = next(node["@id"] for node in theirs["@graph"] if node["@type"] == "WebPage")
    our_nodes, their_nodes = graph_by_id(ours), graph_by_id(theirs)
    assert ours["@context"] == theirs["@context"]
    assert set(our_nodes) == set(their_nodes) | {f"{question_url}#question"}
    for node_id, their_node in their_nodes.items():
        our_node = our_nodes[node_id]
        for key, value in their_node.items():
            if node_id == question_url and key == "@type":
                assert our_node["@type"] == ["WebPage", "FAQPage"]
            else:
                assert our_node[key] == value, f"{node_id} {key}"
        extra = set(our_node) - set(their_node)
        assert extra == ({"mainEntity"} if node_id == question_url else set()), node_id
