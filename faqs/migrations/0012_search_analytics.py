"""The search log (what readers searched for, a day at a time) and the promotions
editors pin for a search. The Editor group (migration 0009) may read the search terms
report and manage promotions; the log itself is written only by the site.

Named 0012: it follows the search index's migration when both land.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_PERMISSIONS = [
    "view_searchlog",
    *(f"{action}_searchpromotion" for action in ("add", "change", "delete", "view")),
]


def editor_permissions(apps, using: str):
    """The permissions, made now if post_migrate has not made them yet (a fresh
    database; Django's documented pattern, as in 0009)."""
    app_config = apps.get_app_config("faqs")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(content_type__app_label="faqs", codename__in=EDITOR_PERMISSIONS)


def grant_to_editors(apps, schema_editor) -> None:
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(using).filter(name="Editor").first()
    if group is not None:  # a site that removed the role keeps it removed
        group.permissions.add(*editor_permissions(apps, using))


def take_from_editors(apps, schema_editor) -> None:
    """The models go with this migration; their permissions with them."""
    using = schema_editor.connection.alias
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(using).filter(
        content_type__app_label="faqs", content_type__model__in=["searchlog", "searchpromotion"]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('faqs', '0011_search_index'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(max_length=200)),
                ('day', models.DateField()),
                ('searches', models.PositiveIntegerField(default=1)),
                ('result_count', models.PositiveIntegerField(default=0, verbose_name='results')),
                ('opened', models.PositiveIntegerField(default=0, help_text='Clicks on one of its results.')),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='answered_searches', to='faqs.question')),
            ],
            options={
                'verbose_name': 'search term',
                'verbose_name_plural': 'search terms',
                'indexes': [models.Index(fields=['day', 'query'], name='faq_search_log_day_idx'), models.Index(condition=models.Q(('answered_by', None), ('result_count', 0)), fields=['-day'], name='faq_search_log_unanswered_idx')],
                'constraints': [models.UniqueConstraint(fields=('query', 'day'), name='faq_search_log_once_a_day')],
            },
        ),
        migrations.CreateModel(
            name='SearchPromotion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('query', models.CharField(help_text='The words readers type in the search box. Capitals and extra spaces do not matter: “CMA  Retake” and “cma retake” are the same search.', max_length=200, verbose_name='search term')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, help_text='When several questions are promoted for one search, lower numbers come first.', verbose_name='order')),
                ('question', models.ForeignKey(help_text='Shown first for this search while it is published.', on_delete=django.db.models.deletion.CASCADE, related_name='search_promotions', to='faqs.question')),
            ],
            options={
                'verbose_name': 'promoted search result',
                'verbose_name_plural': 'promoted search results',
                'ordering': ['query', 'sort_order', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('query', 'question'), name='faq_search_promotion_once', violation_error_message='This question is already promoted for this search.')],
            },
        ),
        migrations.RunPython(grant_to_editors, take_from_editors),
    ]
