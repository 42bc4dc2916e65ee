"""The models moved here from faqs (issue 17): their tables (faqs_*) already exist,
made by faqs' migrations, so this only records them in this app's state."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('faqs', '0013_move_derived_models_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist (faqs' migrations made them): state only.
            state_operations=[
                migrations.CreateModel(
                    name='EditingPresence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('opened_at', models.DateTimeField()),
                        ('seen_at', models.DateTimeField()),
                        ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to='faqs.question')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'faqs_editingpresence',
                        'indexes': [models.Index(fields=['seen_at'], name='faq_presence_seen_idx')],
                        'constraints': [models.UniqueConstraint(fields=('question', 'user'), name='faq_presence_once')],
                    },
                ),

            ],
        ),
    ]
