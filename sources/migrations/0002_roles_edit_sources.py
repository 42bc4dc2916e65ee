"""Sources are written on the question's form, by whoever may change the question:
the Editor and Author groups (faqs migration 0009) get the sources' permissions (an
inline the user may not change is not shown, so without them an author could not
cite a source on their own draft)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SOURCE_PERMISSIONS = [f"{action}_source" for action in ("add", "change", "delete", "view")]
GRANTS = {"Editor": SOURCE_PERMISSIONS, "Author": SOURCE_PERMISSIONS}


def app_permissions(apps, using: str, codenames: list[str]):
    """Made now on a fresh database (post_migrate makes them only after every migration)."""
    app_config = apps.get_app_config("sources")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(content_type__app_label="sources", codename__in=codenames)


def grant(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    for name, codenames in GRANTS.items():
        group = apps.get_model("auth", "Group").objects.using(using).filter(name=name).first()
        if group is not None:
            group.permissions.add(*app_permissions(apps, using, codenames))


def revoke(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    for name, codenames in GRANTS.items():
        group = apps.get_model("auth", "Group").objects.using(using).filter(name=name).first()
        if group is not None:
            group.permissions.remove(*app_permissions(apps, using, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0001_source"),
        ("faqs", "0009_publishing_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
