from django import template

from faqs import seo

register = template.Library()

# The page head: the same template and context the API's yoast_head uses.
register.inclusion_tag("includes/seo_head.html", name="seo_head")(seo.head_context)
