"""`manage.py seed_demo_coach`: a demo coach for `make run`, so the admin's coach view and
the README's "For coaches" steps can be tried at once. Made the way an operator makes one
(a staff person in the Coaches group); the couple still has to consent before the coach
sees anything. Idempotent, and refuses to run while DEBUG is off (the password is public)."""

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.management.commands.seed_demo import (
    DEFAULT_DEMO_PASSWORD,
    DEMO_PASSWORD_ENV,
    DemoPerson,
    demo_person_ensure,
)
from accounts.models import User
from couples.invite_codes import invite_code_display
from couples.models import COACHES_GROUP
from couples.services.coaching import coach_profile_ensure

DEMO_COACH = DemoPerson("coach@demo.haven.invalid", "Morgan", "Europe/London", "en")


class Command(BaseCommand):
    help = "Create the demo coach (staff, in the Coaches group) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to seed a demo coach while DEBUG is off (see --force).")
        password = os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD
        demo_person_ensure(DEMO_COACH, password)
        coach = User.objects.get(email=DEMO_COACH.email)
        if not coach.is_staff:
            coach.is_staff = True
            coach.save(update_fields=["is_staff", "updated_at"])
        coach.groups.add(Group.objects.get(name=COACHES_GROUP))
        code = invite_code_display(coach_profile_ensure(user=coach).code)
        self.stdout.write(self.style.SUCCESS("Demo coach (admin at /admin/, same password):"))
        self.stdout.write(f"  {DEMO_COACH.display_name:<5} {DEMO_COACH.email}  coach code {code}")
