from django.core.management.base import BaseCommand

from wordpress.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo questions and categories, only when the site has none."

    def handle(self, *args, **options) -> None:
        loaded = load_demo()
        if loaded:
            self.stdout.write(self.style.SUCCESS(f"Loaded {loaded} demo questions."))
        else:
            self.stdout.write("The site already has content: demo not loaded, nothing changed.")
