"""Publishing becomes a permission of its own, questions gain WordPress's "pending"
status, and two groups give the roles: Editor (everything on questions, categories,
tags and redirects, publishing included) and Author (writes drafts and submits them
for review, as WordPress's Contributor).

Staff who may change questions before this migration could publish; they keep that
(the permission is granted to them), so an upgrade takes nothing away from anyone.
Redirects to other sites (faqs.add_offsite_redirect) stay out of Editor: an open
redirect on the site's domain is a trust decision, granted to a person, not a role.
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

APPS_WITH_ROLE_PERMISSIONS = ("faqs", "taggit", "redirects")

ROLES = {
    "Editor": [
        *(f"faqs.{action}_question" for action in ("add", "change", "delete", "view")),
        "faqs.publish_question",
        *(f"faqs.{action}_category" for action in ("add", "change", "delete", "view")),
        *(f"taggit.{action}_tag" for action in ("add", "change", "delete", "view")),
        *(f"redirects.{action}_redirect" for action in ("add", "change", "delete", "view")),
    ],
    "Author": ["faqs.add_question", "faqs.change_question", "faqs.view_question"],
}


def ensure_permissions(apps, using: str) -> None:
    """Permissions are made by post_migrate, after every migration has run; a fresh
    database has none yet, so make them now (Django's documented pattern). A
    migration's app configs have no models module, which create_permissions skips."""
    for label in APPS_WITH_ROLE_PERMISSIONS:
        app_config = apps.get_app_config(label)
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, using=using, verbosity=0)
        if stub:
            app_config.models_module = None


def permissions(apps, using: str, names: list[str]):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(
            Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_roles(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    ensure_permissions(apps, using)
    Group, User = apps.get_model("auth", "Group"), apps.get_model(settings.AUTH_USER_MODEL)
    [publish] = permissions(apps, using, ["faqs.publish_question"])
    [change] = permissions(apps, using, ["faqs.change_question"])
    # Author may change questions, and must not publish: the roles are left out.
    for group in Group.objects.using(using).filter(permissions=change).exclude(name__in=ROLES):
        group.permissions.add(publish)
    for user in User.objects.using(using).filter(user_permissions=change):
        user.user_permissions.add(publish)
    for name, names in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions(apps, using, names))


def remove_roles(apps, schema_editor) -> None:
    """The groups lose what this migration gave them (and go when nothing is left);
    the publish permission, which did not exist before, goes with its grants."""
    using = schema_editor.connection.alias
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, names in ROLES.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is None:
            continue
        group.permissions.remove(*permissions(apps, using, names))
        if not group.permissions.exists():
            group.delete()
    Permission.objects.using(using).filter(content_type__app_label="faqs", codename="publish_question").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("faqs", "0008_archives_related"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="question",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [
                    ("add_offsite_redirect", "Can add redirects to other sites"),
                    ("publish_question", "Can publish, schedule and unpublish questions"),
                ],
            },
        ),
        migrations.AlterField(
            model_name="question",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("pending", "Pending review"),
                    ("scheduled", "Scheduled"),
                    ("published", "Published"),
                    ("private", "Private"),
                ],
                db_index=True,
                default="draft",
                help_text="Drafts, questions pending review and private ones are never shown to the "
                "public. Scheduled questions appear by themselves at their publication date.",
                max_length=10,
            ),
        ),
        migrations.RunPython(create_roles, remove_roles),
    ]
