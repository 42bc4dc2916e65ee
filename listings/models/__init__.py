"""The derived tables readers page through: archive entries and totals, related questions."""

from listings.models.archive import ArchiveEntry, ArchiveTotal
from listings.models.related import RelatedQuestion

__all__ = ["ArchiveEntry", "ArchiveTotal", "RelatedQuestion"]
