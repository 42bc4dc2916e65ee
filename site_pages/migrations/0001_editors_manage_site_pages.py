"""Editors manage the site pages (About, Editorial policy, Contact…): the Editor group
(faqs migration 0009) gets flatpages' add, change, delete and view permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
SITE_PAGE_PERMISSIONS = [f"{action}_flatpage" for action in ("add", "change", "delete", "view")]


def site_page_permissions(apps, using: str):
    """Made now on a fresh database (post_migrate makes them only after every migration)."""
    app_config = apps.get_app_config("flatpages")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(
        content_type__app_label="flatpages", codename__in=SITE_PAGE_PERMISSIONS
    )


def grant(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    editors = apps.get_model("auth", "Group").objects.using(using).filter(name=EDITOR).first()
    if editors is not None:
        editors.permissions.add(*site_page_permissions(apps, using))


def revoke(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    editors = apps.get_model("auth", "Group").objects.using(using).filter(name=EDITOR).first()
    if editors is not None:
        editors.permissions.remove(*site_page_permissions(apps, using))


class Migration(migrations.Migration):
    dependencies = [
        ("flatpages", "0001_initial"),
        ("faqs", "0009_publishing_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
