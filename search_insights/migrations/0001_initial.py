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
                        'db_table': 'faqs_searchlog',
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
                        'db_table': 'faqs_searchpromotion',
                        'ordering': ['query', 'sort_order', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('query', 'question'), name='faq_search_promotion_once', violation_error_message='This question is already promoted for this search.')],
                    },
                ),

            ],
        ),
    ]
