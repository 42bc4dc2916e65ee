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
                    name='InternalLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveIntegerField(help_text='Order of the link in the answer.')),
                        ('href', models.CharField(max_length=2000)),
                        ('anchor', models.CharField(blank=True, max_length=500)),
                        ('is_internal', models.BooleanField(db_index=True, default=False)),
                        ('target_slug', models.CharField(blank=True, db_index=True, help_text='The question slug the href names.', max_length=200)),
                        ('via_redirect', models.BooleanField(default=False, help_text='The href names an old slug that now redirects to the target.')),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outgoing_links', to='faqs.question')),
                        ('target', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='incoming_links', to='faqs.question')),
                    ],
                    options={
                        'db_table': 'faqs_internallink',
                        'ordering': ['source', 'position'],
                        'indexes': [models.Index(fields=['is_internal', 'target'], name='faq_link_target_idx')],
                    },
                ),

            ],
        ),
    ]
