"""The load side of bench/serve.py: the page types, wrk runs, a pass over every URL of a
type, and probes of X-Page-Cache. Not a script."""

from __future__ import annotations

import bisect
import http.client
import math
import random
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
PREFIX = "/resources/"  # SITE_URL's path, pinned by sites.BENCH_ENV
CATEGORIES = 30  # the export's categories, exam-1 … exam-30
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
ZIPF_STRIDE = 7919  # random_page.lua's: ranks scattered over the numbers by a prime stride


class Answer(NamedTuple):
    status: int
    body: bytes
    content_type: str
    page_cache: str | None  # X-Page-Cache: hit, miss or bypass; None without a page cache


def get(port: int, path: str) -> Answer:
    """One request without following redirects: a page must answer 200 itself."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return Answer(
            response.status, body, response.getheader("Content-Type", ""), response.getheader("X-Page-Cache")
        )
    finally:
        connection.close()


@dataclass(frozen=True)
class PageType:
    """Pages of one kind: `path` below PREFIX, where %d stands for a number from 1 to
    `count` (the export's numbered slugs) drawn uniformly or Zipf-distributed; a path
    without %d is one fixed page. `constant` names the constant page of its size."""

    name: str
    path: str
    count: int = 1
    distribution: str = "uniform"
    constant: str = ""

    @property
    def is_random(self) -> bool:
        return "%d" in self.path

    @property
    def constant_name(self) -> str:
        return self.constant or self.name

    @property
    def described(self) -> str:
        if not self.is_random:
            return "one URL"
        return f"{self.distribution} 1…{self.count:,}"

    def url_path(self, number: int) -> str:
        return PREFIX + (self.path % number if self.is_random else self.path)

    def every_url_path(self) -> list[str]:
        return [self.url_path(number) for number in range(1, self.count + 1)]

    def sample(self, rng: random.Random, size: int) -> list[str]:
        """Up to `size` different URL paths of the type."""
        numbers = rng.sample(range(1, self.count + 1), min(size, self.count))
        return [self.url_path(number) for number in numbers]

    def draw(self, rng: random.Random) -> str:
        """One URL path as the type's wrk traffic picks them."""
        if self.distribution == "zipf":
            return self.url_path(zipf_number(rng, self.count))
        return self.url_path(rng.randint(1, self.count))

    def wrk_target(self, base: str) -> list[str]:
        """wrk's last arguments: the URL, and the script that picks a random page."""
        if not self.is_random:
            return [base + self.url_path(1)]
        script = str(BENCH / "random_page.lua")
        return ["-s", script, base + PREFIX, "--", self.path, str(self.count), self.distribution]


def page_types(questions: int, search_word: str) -> dict[str, PageType]:
    """Every page type serve.py knows, by the name --pages takes."""
    return {
        page.name: page
        for page in (
            PageType("question", "faq/q-%d/", questions),
            PageType("zipf", "faq/q-%d/", questions, "zipf", constant="question"),
            PageType("home", ""),
            PageType("archive", "faq/"),
            PageType("category", "faq-categories/exam-%d/", CATEGORIES),
            PageType("search", f"?s={search_word}"),
            PageType("wp-json", "wp-json/wp/v2/faq?per_page=100"),
            PageType("sitemap", "faq-sitemap.xml"),
        )
    }


@cache
def zipf_weights(count: int) -> tuple[list[float], int]:
    """random_page.lua's table: the cumulative weights of ranks 1 … count (1/k), and
    the stride that scatters ranks over the numbers (prime to count)."""
    cumulative = [0.0] * count
    total = 0.0
    for rank in range(1, count + 1):
        total += 1 / rank
        cumulative[rank - 1] = total
    stride = ZIPF_STRIDE
    while math.gcd(stride, count) != 1:
        stride += 1
    return [weight / total for weight in cumulative], stride


def zipf_number(rng: random.Random, count: int) -> int:
    """A number from 1 to count as random_page.lua draws it with `zipf`."""
    cumulative, stride = zipf_weights(count)
    rank = min(bisect.bisect_left(cumulative, rng.random()), count - 1) + 1
    return (rank - 1) * stride % count + 1


def wrk(connections: int, target: list[str], seconds: float) -> dict:
    """One `wrk -t2 -cC -dDs --latency` run: requests/s, p50 and p99 in ms, socket errors."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "30s"]
    output = subprocess.run(command + target, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        sys.exit(f"some requests did not succeed:\n{output}")
    latency = {
        percent: float(value) * UNITS[unit]
        for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    if set(latency) != {"50", "99"}:
        sys.exit(f"unexpected output from {' '.join(command + target)}:\n{output}")
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": errors.group(1) if errors else "",
    }


def request_every_url(port: int, page: PageType, connections: int) -> float:
    """Ask for every URL of the type once, `connections` at a time; the seconds it took."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        statuses = set(pool.map(lambda path: get(port, path).status, page.every_url_path()))
    if statuses != {200}:
        sys.exit(f"asking for every {page.name} page: answers {sorted(statuses)}, not only 200")
    return time.monotonic() - started


def hit_rate(port: int, page: PageType, probes: int) -> float | None:
    """The share of `probes` URLs drawn as the type's traffic draws them that answer
    X-Page-Cache: hit; None when answers carry no X-Page-Cache (no page cache)."""
    rng = random.Random()
    hits = 0
    for _ in range(probes):
        answer = get(port, page.draw(rng))
        if answer.page_cache is None:
            return None
        hits += answer.page_cache == "hit"
    return hits / probes
