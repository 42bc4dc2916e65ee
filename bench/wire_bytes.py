"""Bytes on the wire for a question page and wp-json's 100-item page: identity, gzip
and br (issue 10, point 4), in-process through the whole middleware stack
(django.test.Client, as bench/search.py does).

Usage: .venv/bin/python bench/wire_bytes.py [--sizes 1000] [--exports DIR] [--cache-dir DIR]
           [--database-url postgres://postgres@127.0.0.1:5432/h_bench] [--reseed]
Sites are seeded and cached by bench/sites.py. The question page is the export's middle
question (slug q-<N/2>). Each size is measured in its own process; prints a markdown
table of body bytes (headers not counted) and each coding's share of identity.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sites  # noqa: E402

CODINGS = {"identity": "identity", "gzip": "gzip", "br": "br"}  # column → Accept-Encoding


def page_paths(size: int) -> dict[str, str]:
    return {
        "question page": f"/resources/faq/q-{size // 2}/",
        "wp-json faq?per_page=100": "/resources/wp-json/wp/v2/faq?per_page=100",
    }


def measure_site(size: int) -> dict:
    """Body bytes of each page in each coding; run where DATABASE_URL names the site."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certfaq.settings")
    sys.path.insert(0, str(sites.PROJECT))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    figures = {}
    for label, path in page_paths(size).items():
        row = {}
        for column, accept in CODINGS.items():
            response = client.get(path, headers={"accept-encoding": accept})
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            coding = response.get("Content-Encoding", "identity")
            if coding != column:
                sys.exit(f"{path} with Accept-Encoding: {accept} came as {coding}")
            row[column] = len(response.content)
        figures[label] = row
    return figures


def measure_in_child(site: sites.Site, static_root: Path) -> dict:
    env = sites.bench_env(
        site.database_url, STATIC_ROOT=str(static_root), ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
    )
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(site.size)], env=env, stdout=subprocess.PIPE, text=True
    )
    if result.returncode != 0:
        sys.exit(f"measuring {site.size} questions failed ({result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(database: str, figures: dict[int, dict]) -> None:
    print(f"\nbytes on the wire (body), {database}\n")
    print("| page | questions | " + " | ".join(CODINGS) + " |")
    print("|---|---|" + "---|" * len(CODINGS))
    for size, pages in figures.items():
        for label, row in pages.items():
            identity = row["identity"]
            cells = [f"{row['identity']:,}"]
            cells += [f"{row[coding]:,} ({row[coding] / identity:.0%})" for coding in ("gzip", "br")]
            print(f"| {label} | {sites.size_label(size)} | " + " | ".join(cells) + " |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure_site(int(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of questions")
    sites.add_options(parser)
    options = parser.parse_args()
    seeded = [sites.site_for(int(size), options) for size in options.sizes.split(",")]
    static_root = sites.collect_static(options, seeded[0].database_url)
    figures = {site.size: measure_in_child(site, static_root) for site in seeded}
    print_table(seeded[0].database, figures)


if __name__ == "__main__":
    main()
