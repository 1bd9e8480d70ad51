"""`manage.py bake_crisis_resources`: write every verified crisis line to the baked copy
(settings.CRISIS_RESOURCES_BAKED_FILE), which `crisis-resources` answers from while the
database is down. Run it at deploy time, after `migrate`, and after operators change lines."""

from django.core.management.base import BaseCommand

from common.safety.resources import baked_file, crisis_resources_bake


class Command(BaseCommand):
    help = "Bake the verified crisis lines into a JSON file for answering without the database."

    def handle(self, *args, **options) -> None:
        count = crisis_resources_bake()
        self.stdout.write(f"Baked {count} verified crisis lines into {baked_file()}.")
