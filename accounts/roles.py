"""A person's role, named as WordPress names them: the one choice made when adding or
changing a colleague, in place of Django's Staff box, groups and 110 permissions.
Editor and Author are the groups of those names (their permissions: faqs migration
0009, and faqs/permissions.py for what each may do); Administrator is Django's
superuser, who alone may manage people and give that role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

EDITOR = "Editor"
AUTHOR = "Author"
ADMINISTRATOR = "Administrator"
GROUP_ROLES = (EDITOR, AUTHOR)
DESCRIPTIONS = {
    EDITOR: "Editor: writes, changes and publishes every question",
    AUTHOR: "Author: writes drafts and submits them for review",
    ADMINISTRATOR: "Administrator: everything, including people",
}


def choices_for(operator) -> list[tuple[str, str]]:
    """The roles `operator` may give: Administrator only by an administrator."""
    roles = [*GROUP_ROLES, ADMINISTRATOR] if operator.is_superuser else list(GROUP_ROLES)
    return [(role, DESCRIPTIONS[role]) for role in roles]


def role_of(user) -> str:
    """The user's role, "" when none (a user made outside the admin). Reads the groups
    through `user.groups.all()`, so a prefetched list costs no query."""
    if user.is_superuser:
        return ADMINISTRATOR
    names = {group.name for group in user.groups.all()}
    return next((role for role in GROUP_ROLES if role in names), "")


NO_ROLE = ""


def give_role(user, role: str) -> None:
    """Make `user` (saved) hold exactly `role`: staff, in that role's group and no other
    role's, superuser only as Administrator. NO_ROLE (a person given their access
    another way, kept as it is) takes away the roles and changes nothing else."""
    user.is_staff = user.is_staff if role == NO_ROLE else True
    user.is_superuser = role == ADMINISTRATOR
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.remove(*Group.objects.filter(name__in=GROUP_ROLES).exclude(name=role))
    if role in GROUP_ROLES:
        user.groups.add(Group.objects.get(name=role))


def other_administrators(besides):
    """Administrators who may sign in, other than `besides` (a user's pk, or a queryset
    of users): while there are none, the last one stays one (not demoted, deactivated
    or deleted)."""
    administrators = get_user_model().objects.filter(is_superuser=True, is_active=True)
    if hasattr(besides, "values"):
        return administrators.exclude(pk__in=besides.values("pk"))
    return administrators.exclude(pk=besides)
