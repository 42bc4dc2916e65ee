"""What `analysis.checks.analyse()` costs for one realistic answer of about 2,000
words, in-process: the demo answers (wordpress/demo_data/questions.json) joined, whole
blocks, until 2,000 words, with a keyphrase, synonyms, links and a cornerstone run.
The first run (empty caches: stems, syllables) is shown apart; the median and max are
over the runs after it. Target: 20 ms.

Usage: .venv/bin/python bench/analysis.py [--runs 50] [--words 2000]
"""

import argparse
import json
import platform
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from analysis.checks import Subject, analyse  # noqa: E402

DEMO = PROJECT / "wordpress" / "demo_data" / "questions.json"
_BLOCK = re.compile(r"<(p|h[2-4]|ul|ol|table|blockquote)\b.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def realistic_answer(words: int) -> str:
    """Whole blocks of the demo answers, in order, until `words` words."""
    questions = json.loads(DEMO.read_text())["questions"]
    blocks, count = [], 0
    while count < words:
        for question in questions:
            for match in _BLOCK.finditer(question["content"]):
                blocks.append(match.group(0))
                count += len(_TAG.sub(" ", match.group(0)).split())
                if count >= words:
                    return "".join(blocks)
    return "".join(blocks)


def subject(html: str, cornerstone: bool) -> Subject:
    return Subject(
        title="How Many Times Can You Retake the CMA Exam?",
        slug="how-many-times-can-you-retake-the-cma-exam",
        answer_html=html,
        seo_title="How Many Times Can You Retake the CMA Exam? | Certilyst",
        description="You can take the CMA (AAMA) exam up to three times per eligibility window; "
        "after a third failed attempt you must complete a new accredited program.",
        description_is_own=True,
        keyphrase="retake CMA exam",
        synonyms=("CMA exam retakes", "repeat the CMA exam"),
        cornerstone=cornerstone,
        site_hosts=("certilyst.com", "www.certilyst.com"),
        keyphrase_used_by=("What Happens If You Fail the CMA Exam?",),
        today=date(2026, 12, 7),
    )


def timings(html: str, runs: int, cornerstone: bool) -> tuple[float, list[float]]:
    """(first run, the runs after it), in ms."""
    measured = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        analyse(subject(html, cornerstone))
        measured.append((time.perf_counter() - started) * 1000)
    return measured[0], measured[1:]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs after the first")
    parser.add_argument("--words", type=int, default=2000, help="length of the answer")
    options = parser.parse_args()
    html = realistic_answer(options.words)
    print(
        f"\nanalyse() on a {len(_TAG.sub(' ', html).split()):,}-word answer ({len(html):,} bytes of HTML), "
        f"{options.runs} runs, Python {platform.python_version()}\n"
    )
    print("| subject | first run ms | median ms | max ms |")
    print("|---|---|---|---|")
    for cornerstone in (False, True):
        first, rest = timings(html, options.runs, cornerstone)
        label = "cornerstone" if cornerstone else "regular"
        print(f"| {label} | {first:.1f} | {statistics.median(rest):.1f} | {max(rest):.1f} |")
    result = analyse(subject(html, cornerstone=False))
    print(f"\nseo {result.seo}, readability {result.readability}, Flesch {result.flesch}")


if __name__ == "__main__":
    main()
