"""The derived models move to the apps that keep them (issue 17). Their tables stay
where they are (faqs_*: each model keeps its db_table), so only Django's state moves;
the content types (and the permissions and groups that point at them) follow."""

from django.db import migrations

MOVED = {
    "archiveentry": "listings",
    "archivetotal": "listings",
    "relatedquestion": "listings",
    "internallink": "links",
    "searchentry": "search",
    "searchspelling": "search",
    "searchlog": "search_insights",
    "searchpromotion": "search_insights",
    "editingpresence": "editing",
}


def move_content_types(apps, schema_editor, *, backwards=False):
    """Rename the moved models' content types, so the permissions granted on them
    (the Editor group's on search terms and promotions) keep working."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        old, new = ("faqs", app_label) if not backwards else (app_label, "faqs")
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue  # post_migrate already made one for the new label
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('faqs', '0012_search_analytics'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # No table is touched: the models' state moves to their apps' 0001_initial.
            state_operations=[
                migrations.RemoveField(
                    model_name='archiveentry',
                    name='question',
                ),
                migrations.DeleteModel(
                    name='ArchiveTotal',
                ),
                migrations.RemoveField(
                    model_name='editingpresence',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='editingpresence',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='internallink',
                    name='source',
                ),
                migrations.RemoveField(
                    model_name='internallink',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='relatedquestion',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='relatedquestion',
                    name='related',
                ),
                migrations.RemoveField(
                    model_name='searchentry',
                    name='question',
                ),
                migrations.RemoveField(
                    model_name='searchlog',
                    name='answered_by',
                ),
                migrations.RemoveField(
                    model_name='searchpromotion',
                    name='question',
                ),
                migrations.DeleteModel(
                    name='SearchSpelling',
                ),
                migrations.DeleteModel(
                    name='ArchiveEntry',
                ),
                migrations.DeleteModel(
                    name='EditingPresence',
                ),
                migrations.DeleteModel(
                    name='InternalLink',
                ),
                migrations.DeleteModel(
                    name='RelatedQuestion',
                ),
                migrations.DeleteModel(
                    name='SearchEntry',
                ),
                migrations.DeleteModel(
                    name='SearchLog',
                ),
                migrations.DeleteModel(
                    name='SearchPromotion',
                ),

            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
