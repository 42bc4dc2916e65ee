"""A generated WordPress site in the shape ../shared/tools/wp_export_gen.py writes (its
logic copied here: tests never read ../shared): faq items with answers of 300 to 1,200
words of exam prose (paragraphs, h2, lists, 3 to 5 links to other questions), 2 or 3 of
30 faq-categories terms and 3 to 5 of 200 tags (certfaq's `certfaq.tags`). Seeded:
the same count gives the same site. Words are drawn a sentence at a time (the
generator draws them one by one), so 5,000 questions take a second or two."""

from __future__ import annotations

import datetime
import itertools
import random

DOMAIN_WORDS = (
    "exam certification score question answer practice test study plan domain objective candidate "
    "attempt retake voucher schedule center proctor online identity policy fee refund renewal credit "
    "continuing education module course lab hands scenario simulation topic chapter review guide book "
    "video flashcard quiz mock timed passing threshold result report transcript badge credential vendor "
    "cloud network security cisco azure aws linux project management agile scrum audit risk compliance "
    "privacy governance data analytics developer architect administrator associate professional expert "
    "foundation level tier prerequisite experience hours eligibility application approval deadline window "
    "week month year session break calculator whiteboard notes accommodation language translation version "
    "update blueprint weighting percentage section item format multiple choice drag drop performance based "
    "case study essay interview portfolio mentor coach bootcamp provider partner employer salary career "
    "role job market demand skill knowledge concept principle framework standard control process procedure "
    "tool technique method strategy tip mistake habit confidence stress sleep focus memory recall"
)
DOMAIN = DOMAIN_WORDS.split()
FUNCTION_WORDS = "the a to of and in for is you your can it that with on as be this are or if at by from"
FUNCTION = FUNCTION_WORDS.split()
# Zipf-like: some words common, most rarer; function words about a third of the text.
WORDS = DOMAIN + FUNCTION
WEIGHTS = [1.0 / (rank + 1) ** 0.8 for rank in range(len(DOMAIN))] + [0.9] * len(FUNCTION)
CUMULATIVE = list(itertools.accumulate(WEIGHTS))
SITE = "https://certilyst.com/resources/"  # the old origin: an alias, so links count as internal
CATEGORIES, TAGS = 30, 200


def terms() -> list[dict]:
    return [
        {
            "id": number,
            "name": f"Exam {number}",
            "slug": f"exam-{number}",
            "taxonomy": "faq-categories",
            "description": f"Questions about exam {number}.",
            "parent": 0,
        }
        for number in range(1, CATEGORIES + 1)
    ]


def questions(
    count: int, *, first_id: int = 1, seed: int | None = None, words: tuple[int, int] = (300, 1200)
) -> list[dict]:
    """`count` questions; `words`, the answers' length (the generator's by default;
    a test of the pull, not of the sanitiser, takes shorter ones)."""
    rng = random.Random(count if seed is None else seed)
    last = first_id + count - 1
    return [question(number, first_id, last, rng, words) for number in range(first_id, last + 1)]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=CUMULATIVE, k=words)).capitalize() + "."


def _blocks(rng: random.Random, words: int) -> list[str]:
    blocks, left = [], words
    for k in itertools.count(1):
        if left <= 0:
            return blocks
        if k % 5 == 0:
            blocks.append(f"<h2>{_sentence(rng, 4)[:-1]}</h2>")
            left -= 4
        elif k % 7 == 0:
            blocks.append("<ul>" + "".join(f"<li>{_sentence(rng, 8)}</li>" for _ in range(4)) + "</ul>")
            left -= 32
        else:
            lengths = [rng.randint(10, 22) for _ in range(rng.randint(3, 6))]
            blocks.append("<p>" + " ".join(_sentence(rng, n) for n in lengths) + "</p>")
            left -= sum(lengths)
    raise AssertionError("unreachable")


def question(number: int, first: int, last: int, rng: random.Random, words: tuple[int, int]) -> dict:
    blocks = _blocks(rng, rng.randint(*words))
    neighbours = [j for j in range(max(first, number - 200), min(last, number + 200) + 1) if j != number]
    paragraphs = [b for b in range(len(blocks)) if blocks[b].startswith("<p>")]
    for target in rng.sample(neighbours, min(len(neighbours), rng.randint(3, 5))):
        b = rng.choice(paragraphs)
        anchor = " ".join(rng.choices(DOMAIN, k=3))
        blocks[b] = blocks[b][:-4] + f' See <a href="{SITE}faq/q-{target}/">{anchor}</a>.</p>'
    date = datetime.datetime(2024, 1, 1) + datetime.timedelta(minutes=97 * number)
    modified = date + datetime.timedelta(days=rng.randint(0, 60))
    categories = rng.sample(range(1, CATEGORIES + 1), rng.randint(2, 3))
    return {
        "id": number,
        "date": date.isoformat(),
        "date_gmt": date.isoformat(),
        "guid": {"rendered": f"{SITE}?post_type=faq&#038;p={number}"},
        "modified": modified.isoformat(),
        "modified_gmt": modified.isoformat(),
        "slug": f"q-{number}",
        "status": "publish",
        "type": "faq",
        "link": f"{SITE}faq/q-{number}/",
        "title": {"rendered": f"How do I {' '.join(rng.choices(DOMAIN, k=5))} (question {number})?"},
        "content": {"rendered": "\n".join(blocks), "protected": False},
        "template": "",
        "faq-categories": categories,
        "class_list": [f"post-{number}", "faq"] + [f"faq-categories-exam-{c}" for c in categories],
        "certfaq": {"tags": [f"tag-{t}" for t in rng.sample(range(TAGS), rng.randint(3, 5))]},
    }
