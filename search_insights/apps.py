from django.apps import AppConfig


class SearchInsightsConfig(AppConfig):
    name = "search_insights"
    verbose_name = "Search insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search_insights import analytics
        from search_insights.models import SearchLogManager

        SearchLogManager.before_read = staticmethod(analytics.write_waiting)
