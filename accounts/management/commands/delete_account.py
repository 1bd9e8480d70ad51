"""An operator answering a deletion request made outside the app (a letter, an email to
support): after checking who is asking, `manage.py delete_account person@example.com`
deletes exactly as `DELETE me` does, and the audit log records it (via "operator")."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.deletion import account_delete
from accounts.models import User


class Command(BaseCommand):
    help = "Delete a person's account exactly as DELETE me does (after verifying the request)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email: str, yes: bool, **options) -> None:
        person = User.objects.filter(
            email=User.objects.normalize_email(email), deleted_at__isnull=True
        ).first()
        if person is None:
            raise CommandError("No account with that email address.")
        if not yes and input(f"Delete the account of {person.email}? [y/N] ").lower() != "y":
            self.stdout.write("Nothing was deleted.")
            return
        account_delete(person=person, via="operator")
        self.stdout.write(f"Deleted. The audit log keeps the anonymous id {person.pk}.")
