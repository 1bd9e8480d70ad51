"""`manage.py seed_demo`: the demo couple that `make run` signs you in with.

Seeds two people, Sam (Europe/Berlin) and Alex (America/New_York), each with a verified primary
email so they can sign in straight away (email verification is mandatory). People come first in
Haven (accounts knows nothing of couples); `manage.py pair_demo_couple` (couples) then pairs
them through an invite, the way a real couple pairs. Time zones differ on purpose, so that
anything computed from a person's local day (check-in dates, quiet hours) shows it is per
person.

Idempotent: running it again leaves every row as it is and prints the same details. Only the
password is set back (to HAVEN_DEMO_PASSWORD, or the default) if it no longer matches, so that
the printed sign-in details stay true; profile edits made through the app are kept.

The password is a published development default, so the command refuses to run when DEBUG is off
unless --force is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.models import User

# Printed by this command and by `make run`; for the local demo only (see the DEBUG guard).
DEFAULT_DEMO_PASSWORD = "haven-demo-couple"
DEMO_PASSWORD_ENV = "HAVEN_DEMO_PASSWORD"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    display_name: str
    time_zone: str
    locale: str


# `.invalid` is reserved (RFC 2606): mail to these addresses can never reach anyone.
DEMO_PEOPLE = (
    DemoPerson("sam@demo.haven.invalid", "Sam", "Europe/Berlin", "en"),
    DemoPerson("alex@demo.haven.invalid", "Alex", "America/New_York", "en"),
)


class Command(BaseCommand):
    help = "Create the demo couple (two people who can pair) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (the demo password is public).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to seed demo people with a published password while DEBUG is off; "
                "pass --force if this really is a throwaway environment."
            )
        password = os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD

        for person in DEMO_PEOPLE:
            change = demo_person_ensure(person, password)
            if change:
                self.stdout.write(f"Demo person {person.email}: {change}")

        self.stdout.write(self.style.SUCCESS("Demo sign-in (two people who can pair):"))
        for person in DEMO_PEOPLE:
            self.stdout.write(f"  {person.display_name:<5} {person.email}  ({person.time_zone})")
        source = "from $" + DEMO_PASSWORD_ENV if os.environ.get(DEMO_PASSWORD_ENV) else "default"
        self.stdout.write(f"  Password: {password}  ({source})")


@transaction.atomic
def demo_person_ensure(person: DemoPerson, password: str) -> str:
    """Make this demo person exist and be able to sign in with `password`; returns what
    changed ("" when nothing did).

    Touches nothing that is already right: an existing person's profile is theirs to change,
    and re-hashing an unchanged password would still rewrite the row (a fresh salt)."""
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={
            "display_name": person.display_name,
            "time_zone": person.time_zone,
            "locale": person.locale,
            "password": make_password(password),
        },
    )
    change = "created" if created else ""
    if not created and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password", "updated_at"])
        change = "password reset"

    # allauth refuses to sign in an address that is not verified (mandatory verification).
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = True
        address.save(update_fields=["verified"])
        address.set_as_primary()
        change = change or "email marked verified"
    return change
