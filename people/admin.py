"""Author and reviewer profiles in the admin: editors manage them; the list says how
many questions each wrote and reviewed, and links to the public page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet

from people.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "job_title", "written", "reviewed", "account"]
    search_fields = ["name", "credentials", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["account"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "credentials", "job_title", "bio", "profile_links"]}),
        ("Private", {"fields": ["email", "account"], "description": "Never shown to readers."}),
    ]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("account")
            .annotate(
                written_count=Count("questions_written", distinct=True),
                reviewed_count=Count("questions_reviewed", distinct=True),
            )
        )

    @admin.display(description="wrote", ordering="written_count")
    def written(self, person: Person) -> int:
        return person.written_count

    @admin.display(description="reviewed", ordering="reviewed_count")
    def reviewed(self, person: Person) -> int:
        return person.reviewed_count
