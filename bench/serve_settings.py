"""Settings for bench/serve.py: the site's own, with a urlconf that adds constant pages."""

from certfaq.settings import *  # noqa: F403

ROOT_URLCONF = "serve_urls"
