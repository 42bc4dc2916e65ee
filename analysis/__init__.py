"""Content analysis: Yoast SEO's checks and this FAQ site's own, over plain values."""
