"""Site search: one engine (`engine`) behind every search box, with its index
(`index`, `models`), query parsing (`query`, `text`), the SQLite FTS5 and PostgreSQL
backends (`backends`), typo tolerance (`spelling`), highlighted passages (`passages`),
the empty state (`empty`) and instant search's endpoint (`views`)."""
