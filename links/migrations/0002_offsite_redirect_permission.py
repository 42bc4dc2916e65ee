"""The permission to redirect readers to another site moves from Question (where it
sat for want of a model of ours beside contrib.redirects' Redirect) to the redirects'
app: links.OffsiteRedirect, a proxy of Redirect. Whoever held faqs.add_offsite_redirect
(a user, or a group) holds links.add_offsite_redirect after it; the old one goes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "add_offsite_redirect"


def permission(apps, using: str, app_label: str):
    """The permission under `app_label`, made now if post_migrate has not yet (a fresh
    database makes permissions only after every migration has run)."""
    app_config = apps.get_app_config(app_label)
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(content_type__app_label=app_label, codename=CODENAME).first()


def move_grants(apps, using: str, old, new) -> None:
    if old is None or new is None:
        return
    User, Group = apps.get_model("auth", "User"), apps.get_model("auth", "Group")
    for user in User.objects.using(using).filter(user_permissions=old):
        user.user_permissions.add(new)
    for group in Group.objects.using(using).filter(permissions=old):
        group.permissions.add(new)
    old.delete()


def to_links(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    Permission = apps.get_model("auth", "Permission")
    old = Permission.objects.using(using).filter(content_type__app_label="faqs", codename=CODENAME).first()
    move_grants(apps, using, old, permission(apps, using, "links"))


def back_to_faqs(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    Permission, ContentType = apps.get_model("auth", "Permission"), apps.get_model("contenttypes", "ContentType")
    question_type, _ = ContentType.objects.using(using).get_or_create(app_label="faqs", model="question")
    old, _ = Permission.objects.using(using).get_or_create(
        content_type=question_type, codename=CODENAME, defaults={"name": "Can add redirects to other sites"}
    )
    new = Permission.objects.using(using).filter(content_type__app_label="links", codename=CODENAME).first()
    move_grants(apps, using, new, old)


class Migration(migrations.Migration):

    dependencies = [
        ('links', '0001_initial'),
        ('redirects', '0002_alter_redirect_new_path_help_text'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('faqs', '0014_offsite_permission_moves_to_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='OffsiteRedirect',
            fields=[
            ],
            options={
                'verbose_name': 'redirect to another site',
                'permissions': [('add_offsite_redirect', 'Can add redirects to other sites')],
                'proxy': True,
                'default_permissions': (),
                'indexes': [],
                'constraints': [],
            },
            bases=('redirects.redirect',),
        ),
        migrations.RunPython(to_links, back_to_faqs),
    ]
