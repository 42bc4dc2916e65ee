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
                    name='SearchEntry',
                    fields=[
                        ('question', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='faqs.question')),
                        ('published_at', models.DateTimeField(db_index=True)),
                        ('title', models.TextField()),
                        ('terms', models.TextField(blank=True)),
                    ],
                    options={
                        'verbose_name_plural': 'search entries',
                        'db_table': 'faqs_searchentry',
                    },
                ),
                migrations.CreateModel(
                    name='SearchSpelling',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('variant', models.CharField(max_length=40)),
                        ('word', models.CharField(max_length=40)),
                    ],
                    options={
                        'db_table': 'faqs_searchspelling',
                        'constraints': [models.UniqueConstraint(fields=('variant', 'word'), name='search_spelling_unique')],
                    },
                ),

            ],
        ),
    ]
