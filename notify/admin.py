"""The outbox, read-only, for whoever runs the site (superusers): what waits to be
told to search engines or purged at the CDN, how often it failed and why. Rows are
written by saves and deleted by the senders; one may be deleted by hand."""

from django.contrib import admin

from notify.models import OutboxEntry


@admin.register(OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    list_display = ["path", "target", "reason", "created_at", "next_try_at", "tries", "last_error"]
    list_filter = ["target", "reason"]
    search_fields = ["path"]
    list_per_page = 100

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
