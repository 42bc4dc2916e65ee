from django.apps import AppConfig


class DraftsConfig(AppConfig):
    """Draft changes on a live question (issue 19): kept beside the published version,
    previewed by staff on the public URL, compared with it, then published now, at a
    set time (with no cron: the page cache's stamp brings the time round), or dropped."""

    name = "drafts"
    verbose_name = "Draft changes"

    def ready(self) -> None:
        from drafts import schedule
        from http_cache import stamp

        stamp.on_schedule(next_due=schedule.next_due, publish_due=schedule.publish_due)
