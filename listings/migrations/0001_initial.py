"""The models moved here from faqs (issue 17): their tables (faqs_*) already exist,
made by faqs' migrations, so this only records them in this app's state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('faqs', '0013_move_derived_models_to_their_apps'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (faqs' migrations made them): state only.
            state_operations=[
                migrations.CreateModel(
                    name='ArchiveTotal',
                    fields=[
                        ('archive', models.CharField(max_length=40, primary_key=True, serialize=False)),
                        ('entries', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'faqs_archivetotal',
                    },
                ),
                migrations.CreateModel(
                    name='ArchiveEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('archive', models.CharField(help_text='all, sitemap, cat:<id>, tree:<id> or tag:<id>.', max_length=40)),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('published_at', models.DateTimeField()),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='archive_entries', to='faqs.question')),
                    ],
                    options={
                        'db_table': 'faqs_archiveentry',
                        'indexes': [models.Index(fields=['archive', 'position'], name='faq_archive_position_idx'), models.Index(fields=['archive', 'published_at', 'question'], name='faq_archive_date_idx')],
                        'constraints': [models.UniqueConstraint(fields=('archive', 'question'), name='faq_archive_question_once')],
                    },
                ),
                migrations.CreateModel(
                    name='RelatedQuestion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveIntegerField()),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_entries', to='faqs.question')),
                        ('related', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_to_entries', to='faqs.question')),
                    ],
                    options={
                        'db_table': 'faqs_relatedquestion',
                        'constraints': [models.UniqueConstraint(fields=('question', 'related'), name='faq_related_pair_once')],
                    },
                ),

            ],
        ),
    ]
