"""The site's URLs that templates cannot build with {% url %}, or build faster:
`{{ query|search_url }}` is the results page of a query (faqs.site.search_url, the one
place it is built); `{{ tag.slug|tag_path }}` a tag's page (faqs.site.slug_path)."""

from django import template

from faqs import site

register = template.Library()
register.filter("search_url", site.search_url)


@register.filter
def tag_path(slug: str) -> str:
    return site.slug_path("faqs:tag", slug)
