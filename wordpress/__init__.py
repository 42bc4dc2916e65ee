"""Everything that exists only for WordPress compatibility: the REST JSON shapes,
the importer and exporter, the wp-json read API and the legacy ?p= links."""
