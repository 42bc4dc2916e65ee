"""Reader feedback: the votes of "Was this helpful?" and each question's counts. The
Editor group (faqs migration 0009) may read them (view only: the site writes them);
the Author group is given nothing.

Depends on faqs 0016, the last faqs migration the Question table needs.
"""

import django.db.models.deletion
import django.utils.timezone
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_PERMISSIONS = ["view_vote", "view_feedbackcount"]


def grant_to_editors(apps, schema_editor) -> None:
    """The permissions, made now if post_migrate has not made them yet (a fresh
    database; Django's documented pattern, as in faqs 0009), given to the Editor group."""
    using = schema_editor.connection.alias
    app_config = apps.get_app_config("feedback")
    stub = getattr(app_config, "models_module", None) is None
    if stub:
        app_config.models_module = True
    create_permissions(app_config, apps=apps, using=using, verbosity=0)
    if stub:
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.using(using).filter(name="Editor").first()
    if group is None:  # a site that removed the role keeps it removed
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="feedback", codename__in=EDITOR_PERMISSIONS
        )
    )


def take_from_editors(apps, schema_editor) -> None:
    """The models go with this migration; their permissions with them."""
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(content_type__app_label="feedback").delete()


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('faqs', '0016_question_content_analysis'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='FeedbackCount',
            fields=[
                ('question', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='feedback_count', serialize=False, to='faqs.question')),
                ('helpful', models.PositiveIntegerField(default=0)),
                ('not_helpful', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'feedback count',
                'indexes': [models.Index(fields=['-helpful', 'not_helpful'], name='feedback_most_helpful_idx'), models.Index(fields=['-not_helpful'], name='feedback_not_helpful_idx')],
            },
        ),
        migrations.CreateModel(
            name='Vote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('helpful', models.BooleanField(help_text="The reader's answer to “Was this helpful?”.")),
                ('reason', models.CharField(blank=True, choices=[('outdated', 'Outdated'), ('unclear', 'Unclear'), ('wrong', 'Wrong'), ('missing', 'Missing information')], help_text='Why the answer did not help, when the reader said (only asked after “No”).', max_length=10)),
                ('comment', models.TextField(blank=True, help_text='What the reader wrote, if anything: shown as typed, never published.', max_length=500)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback_votes', to='faqs.question')),
            ],
            options={
                'verbose_name': 'reader vote',
                'verbose_name_plural': 'reader votes',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['question', '-created_at'], name='feedback_vote_question_idx')],
            },
        ),
        migrations.RunPython(grant_to_editors, take_from_editors),
    ]
