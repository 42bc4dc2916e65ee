"""What readers search for: the search log, its reports, promoted results and the results
page's click beacon (beside the engine, as wagtail.contrib.search_promotions is)."""
