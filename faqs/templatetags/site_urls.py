"""The site's URLs that templates cannot build with {% url %}: `{{ query|search_url }}`
is the results page of a query (faqs.site.search_url, the one place it is built)."""

from django import template

from faqs import site

register = template.Library()
register.filter("search_url", site.search_url)
