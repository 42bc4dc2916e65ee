"""A question's versions (django-reversion), what changed between two of them, and the
History, compare and restore pages."""
