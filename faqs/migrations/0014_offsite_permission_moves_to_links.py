"""faqs.add_offsite_redirect leaves Question: links/0002 moves it, and its grants, to
links.OffsiteRedirect, a proxy of the redirects' model."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('faqs', '0013_move_derived_models_to_their_apps'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='question',
            options={'ordering': ['-published_at', '-pk'], 'permissions': [('publish_question', 'Can publish, schedule and unpublish questions')]},
        ),
    ]
