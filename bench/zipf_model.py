"""Why Zipf traffic from a cold start misses its target at 100,000 questions, and what
a miss would have to cost to meet it: a model of issue 18's makerun zipf round.

Traffic: question pages drawn Zipf-distributed (s = 1) over N questions, as
bench/serve.py's zipf round draws them, from an empty page cache; --warm seconds
unmeasured, then --measured seconds measured. The server does one thing at a time
per core: a hit costs --hit-ms, a miss (a page made) --miss-ms, a constant view
--ceiling-ms; all are CPU milliseconds a request on the whole machine (2 cores:
wall time per request × 2), measured by bench/serve.py and bench/hit_cost.py. A page
made once is kept (the shared disk cache holds every page of the site).

The model draws the requests in order, as wrk's clients would, and counts which pages
were asked before. It prints the ratio of the measured window's throughput to the
ceiling's, and the miss cost that would reach --target.

Usage: .venv/bin/python bench/zipf_model.py [--sizes 10000,100000] [--hit-ms 0.9]
           [--miss-ms 14] [--ceiling-ms 0.48] [--warm 30] [--measured 30] [--target 0.5]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random


def zipf_cumulative(size: int, s: float = 1.0) -> list[float]:
    weights = [1 / rank**s for rank in range(1, size + 1)]
    return list(itertools.accumulate(weights))


def measured_ratio(size: int, hit_ms: float, miss_ms: float, options, seed: int = 7) -> tuple[float, float]:
    """(throughput of the measured window ÷ the ceiling's, share of misses in it)."""
    cumulative = zipf_cumulative(size)
    total, draw = cumulative[-1], random.Random(seed).random
    seen: set[int] = set()
    clock_ms, end_warm, end = (
        0.0,
        options.warm * 1000 * options.cores,
        (options.warm + options.measured) * 1000 * options.cores,
    )
    measured = misses = 0
    while clock_ms < end:
        page = bisect.bisect_left(cumulative, draw() * total)
        miss = page not in seen
        seen.add(page)
        clock_ms += miss_ms if miss else hit_ms
        if clock_ms > end_warm:
            measured += 1
            misses += miss
    ceiling = options.measured * 1000 * options.cores / options.ceiling_ms
    return measured / ceiling, misses / max(measured, 1)


def miss_cost_for(size: int, options) -> float:
    """The largest miss cost (ms) that still reaches --target, by bisection."""
    low, high = 0.0, 50.0
    for _ in range(20):
        middle = (low + high) / 2
        ratio, _ = measured_ratio(size, options.hit_ms, middle, options)
        low, high = (middle, high) if ratio >= options.target else (low, middle)
    return low


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--hit-ms", type=float, default=0.9, help="CPU ms a page-cache hit costs the machine")
    parser.add_argument("--miss-ms", type=float, default=14.0, help="CPU ms a page made costs the machine")
    parser.add_argument("--ceiling-ms", type=float, default=0.48, help="CPU ms of the plain constant view")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--warm", type=float, default=30.0)
    parser.add_argument("--measured", type=float, default=30.0)
    parser.add_argument("--target", type=float, default=0.50)
    options = parser.parse_args()
    costs = f"hit {options.hit_ms} ms, miss {options.miss_ms} ms, ceiling {options.ceiling_ms} ms"
    print(f"{costs} (CPU ms a request)")

    print("questions | ratio (model) | misses in the window | miss cost for the target")
    for size in (int(value) for value in options.sizes.split(",")):
        ratio, misses = measured_ratio(size, options.hit_ms, options.miss_ms, options)
        needed = miss_cost_for(size, options)
        print(f"{size:>9,} | {ratio:13.3f} | {misses:19.1%} | {needed:.2f} ms")


if __name__ == "__main__":
    main()
