from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who work on the site: adding a colleague with a role and an invitation,
    the user list by role, and "Lost your password?" (issue 19)."""

    name = "accounts"
    verbose_name = "People"
