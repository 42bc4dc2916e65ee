"""fragments.fragments(): many fragments in one round trip, found only under the
current stamp, the missing ones made together and kept."""

import pytest
from django.core.cache import caches

from http_cache import fragments, stamp

pytestmark = pytest.mark.django_db


class Maker:
    """make_missing for fragments(): records what it was asked to make."""

    def __init__(self, *, leave_out=()):
        self.asked: list[list[int]] = []
        self.leave_out = set(leave_out)
        self.version = 1

    def __call__(self, ids: list[int]) -> dict[int, str]:
        self.asked.append(sorted(ids))
        return {pk: f"item {pk} v{self.version}" for pk in ids if pk not in self.leave_out}


def names(*ids: int) -> dict[int, str]:
    return {pk: f"test-item:{pk}" for pk in ids}


def test_values_kept_are_found_and_only_the_missing_are_made(backend):
    maker = Maker()
    assert fragments.fragments(names(1, 2), maker) == {1: "item 1 v1", 2: "item 2 v1"}
    assert fragments.fragments(names(1, 2, 3), maker) == {1: "item 1 v1", 2: "item 2 v1", 3: "item 3 v1"}
    assert fragments.fragments(names(3, 2, 1), maker) == {1: "item 1 v1", 2: "item 2 v1", 3: "item 3 v1"}
    assert maker.asked == [[1, 2], [3]]  # the third call made nothing


def test_a_change_of_the_stamp_makes_every_value_again(backend):
    maker = Maker()
    fragments.fragments(names(1, 2), maker)
    stamp.site_changed()  # what every write does
    maker.version = 2
    assert fragments.fragments(names(1, 2), maker) == {1: "item 1 v2", 2: "item 2 v2"}
    assert maker.asked == [[1, 2], [1, 2]]


def test_what_the_maker_leaves_out_is_left_out(backend):
    maker = Maker(leave_out=[2])
    assert fragments.fragments(names(1, 2), maker) == {1: "item 1 v1"}
    assert fragments.fragments(names(1, 2), maker) == {1: "item 1 v1"}
    assert maker.asked == [[1, 2], [2]]


@pytest.mark.parametrize("backend", ["redis"], indirect=True)  # local memory has no round trips
def test_one_round_trip_reads_them_all_and_the_stamp(backend, monkeypatch):
    maker = Maker()
    fragments.fragments(names(*range(1, 51)), maker)
    shared = caches["default"]
    reads = []
    for method in ("get", "get_many"):
        real = getattr(shared, method)
        monkeypatch.setattr(
            shared, method, lambda *args, real=real, **kwargs: reads.append(args) or real(*args, **kwargs)
        )
    assert len(fragments.fragments(names(*range(1, 51)), maker)) == 50
    assert len(reads) == 1 and stamp.STAMP_KEY in reads[0][0]
    assert maker.asked == [list(range(1, 51))]


def test_turned_off_every_value_is_made(backend, settings):
    settings.PAGE_FRAGMENTS = False
    maker = Maker()
    fragments.fragments(names(1), maker)
    fragments.fragments(names(1), maker)
    assert maker.asked == [[1], [1]]
