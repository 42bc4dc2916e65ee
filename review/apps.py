from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Review with messages: an author's "Submit for review" with a note for the
    editors, who are mailed; an editor's "Request changes" with a comment the author is
    mailed and sees on the form (issue 19)."""

    name = "review"
    verbose_name = "Review"
