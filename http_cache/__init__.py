"""The page cache: anonymous reads of public pages served from the configured cache,
never stale.

Exactness comes from one site-wide stamp (`stamp`): every write that readers could see
replaces its token (`changes`), and every cached page and fragment is kept with the
token it was made under, so a page made before a write is never served after it, on
any machine sharing the stamp. A scheduled question needs no write: the stamp carries
the time the next one comes due, and the first request at or after that time replaces
the token. `middleware` serves and stores whole responses; `fragments` keeps the costly
parts of a page for the misses.
"""
