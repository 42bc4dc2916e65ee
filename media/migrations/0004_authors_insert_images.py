"""Authors put images in their answers, as WordPress's Author role uploads files: the
Author group (faqs migration 0009) gets the images' view and add permissions, which
the answer editor's image picker asks (media.picker: pick from the library, or upload
one with its alt text). Changing and deleting library images stay the Editors'."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Author": ["view_image", "add_image"]}


def app_permissions(apps, using: str, codenames: list[str]):
    """Made now on a fresh database (post_migrate makes them only after every migration)."""
    app_config = apps.get_app_config("media")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(content_type__app_label="media", codename__in=codenames)


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
        ("media", "0003_inline_images_and_import_source"),
        ("faqs", "0009_publishing_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
