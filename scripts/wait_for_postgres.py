"""Fail loudly, with the reason, when the PostgreSQL the suite needs is not reachable."""

import sys
import time

import psycopg


def main(url: str) -> int:
    last_error = None
    for _ in range(10):
        try:
            with psycopg.connect(url, connect_timeout=3) as connection:
                version = connection.execute("select version()").fetchone()[0]
            print(f"PostgreSQL reachable: {version.split(',')[0]}")
            return 0
        except psycopg.OperationalError as error:
            last_error = error
            time.sleep(1)
    print(f"ERROR: PostgreSQL at {url} is not reachable: {last_error}", file=sys.stderr)
    print(
        "The suite must pass on PostgreSQL too; start the server and run `make test` again.", file=sys.stderr
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
