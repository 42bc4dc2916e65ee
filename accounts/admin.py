"""People in the admin: the user list by role, adding a colleague with an invitation,
and a change form without Django's groups and permissions (accounts.forms). Only an
administrator (superuser) may manage people, as only one may in WordPress."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from accounts import invitations, roles
from accounts.forms import InviteForm, PersonForm

logger = logging.getLogger(__name__)
User = get_user_model()


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role, role) for role in (*roles.GROUP_ROLES, roles.ADMINISTRATOR)] + [("none", "No role")]

    def queryset(self, request, queryset):
        if self.value() == roles.ADMINISTRATOR:
            return queryset.filter(is_superuser=True)
        if self.value() in roles.GROUP_ROLES:
            return queryset.filter(is_superuser=False, groups__name=self.value())
        if self.value() == "none":
            return queryset.filter(is_superuser=False).exclude(groups__name__in=roles.GROUP_ROLES)
        return queryset


admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    add_form = InviteForm
    form = PersonForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("first_name", "last_name", "email", "role")}),)
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "username", "password")}),
        ("Role", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "full_name", "email", "role", "is_active", "last_login")
    list_filter = (RoleFilter, "is_active")
    actions = ["send_invitation"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"operator": request.user})

    def has_change_permission(self, request, obj=None):
        """An administrator's account is changed by administrators only."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Deleted by administrators only, and never the last who may sign in."""
        spared = obj is not None and obj.is_superuser
        if spared and (not request.user.is_superuser or not roles.other_administrators(obj.pk).exists()):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        """ "Delete selected" spares administrators unless an administrator deletes, and
        always leaves one who may sign in."""
        if not request.user.is_superuser or not roles.other_administrators(queryset).exists():
            spared = queryset.filter(is_superuser=True)
            if spared.exists():
                messages.warning(request, "Administrators were left as they are: " + ", ".join(
                    spared.values_list("username", flat=True)))  # fmt: skip
            queryset = queryset.exclude(is_superuser=True)
        super().delete_queryset(request, queryset)

    @admin.display(description="name", ordering="first_name")
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description="role")
    def role(self, user) -> str:
        return roles.role_of(user) or "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        roles.give_role(obj, form.cleaned_data["role"])
        if not change:
            transaction.on_commit(lambda: self.invite(request, obj))

    def invite(self, request, user) -> bool:
        try:
            invitations.invite(user, request.user)
        except Exception:  # a mail server down or refusing: the account is made all the same
            logger.exception("The invitation to %s could not be sent", user.email)
            messages.warning(
                request,
                f"The invitation to {user.email} could not be sent. Check the mail settings (EMAIL_URL), "
                "then choose “Send an invitation” in the list.",
            )
            return False
        messages.info(request, f"An invitation to choose a password was sent to {user.email}.")
        return True

    @admin.action(description="Send an invitation (a link to choose a password)", permissions=["change"])
    def send_invitation(self, request, queryset):
        people = queryset.filter(is_active=True).exclude(email="")
        if not request.user.is_superuser:
            people = people.exclude(is_superuser=True)  # an administrator's account is theirs
        for user in people:
            self.invite(request, user)
