"""The link graph between questions and everything built on it.

- `resolve`: which question an href names (through redirects of old slugs)
- `graph`: the InternalLink rows derived from answers; orphans
- `redirects`: 301 when a public slug moves, 410 when a question goes, links rewritten
- `words`: the words of anchors and titles, and whether an anchor describes its target
- `report`: broken links, links to unpublished questions, mismatched anchors, orphans
- `suggestions`: questions worth linking to, with the phrase where the link could go
- `admin`: the admin's link columns, filters, tables and report page
- `signals`: what the sender cannot call itself (bulk deletes, redirects edited in the admin)
"""
