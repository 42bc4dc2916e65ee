from django import template

from dashboard import health
from faqs import permissions

register = template.Library()


@register.inclusion_tag("admin/dashboard/content_health.html", takes_context=True)
def content_health_panel(context) -> dict:
    """The panel for the signed-in user; nothing for staff who cannot see questions."""
    user = context["request"].user
    if not (user.has_perm(permissions.VIEW_PERMISSION) or user.has_perm(permissions.CHANGE_PERMISSION)):
        return {"rows": []}
    return {"rows": health.rows_for(user), "own": health.scope_of(user)[0] != "site"}
