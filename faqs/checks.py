"""System checks Django does not make for us."""

import os

from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs) -> list:
    """Without SECRET_KEY each machine makes its own key file: behind a load balancer,
    sessions and CSRF tokens made on one machine fail on the next."""
    if os.environ.get("SECRET_KEY"):
        return []
    return [
        Warning(
            "SECRET_KEY is not set in the environment; this machine uses a key of its own from .secret_key.",
            hint="Set the same SECRET_KEY on every machine that serves the site.",
            id="certfaq.W001",
        )
    ]
