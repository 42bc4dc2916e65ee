from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    """Content analysis (issue 19): Yoast's SEO and readability checks and the FAQ
    site's own, in one module (`checks`), run live on the change form and stored per
    question when it is saved, for the question list and the content health panel."""

    name = "analysis"
    verbose_name = "Content analysis"
