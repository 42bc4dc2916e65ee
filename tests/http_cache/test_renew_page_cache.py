import io

from django.core.management import call_command

from tests.factories import make_question
from tests.http_cache.test_page_cache import cached, get


def test_the_command_retires_every_kept_page(db):
    """A database restored from a backup renews no stamp: the command does."""
    question = make_question(title="Kept before the restore")
    page = question.get_absolute_url()
    cached(page)
    assert get(page)["X-Page-Cache"] == "hit"
    out = io.StringIO()
    call_command("renew_page_cache", stdout=out)
    assert "renewed" in out.getvalue()
    assert get(page)["X-Page-Cache"] == "miss"
