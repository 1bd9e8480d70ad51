"""`manage.py pair_demo_couple`: pairs the two demo people from `seed_demo` (accounts) the way
a real couple pairs, through an invite, so `make run` starts with a couple to explore. Does
nothing if either of them is already in a couple (it runs on every `make run`)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.management.commands.seed_demo import DEMO_PEOPLE
from accounts.models import User
from couples.selectors import membership_of
from couples.services.invites import invite_accept, invite_create


class Command(BaseCommand):
    help = "Pair the demo people (see seed_demo) by invite, unless one of them is paired."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to pair demo people while DEBUG is off (see --force).")
        emails = [person.email for person in DEMO_PEOPLE]
        people = {user.email: user for user in User.objects.filter(email__in=emails)}
        if len(people) != len(emails):
            raise CommandError("Run `manage.py seed_demo` first.")
        inviter, partner = (people[email] for email in emails)
        if membership_of(inviter) or membership_of(partner):
            self.stdout.write("Demo couple: already paired (or one of them is); left as it is.")
            return
        invite = invite_create(inviter=inviter)
        invite_accept(raw_code=invite.code, user=partner)
        self.stdout.write(f"Demo couple: {inviter.display_name} and {partner.display_name} paired.")
