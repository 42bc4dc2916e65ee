from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """ "Was this helpful?" under each answer: readers' votes and reasons, the counts
    editors read in the question admin, and the report of the month's least helpful."""

    name = "feedback"
    verbose_name = "Reader feedback"
