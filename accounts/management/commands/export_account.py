"""An operator answering an access or portability request made outside the app:
`manage.py export_account person@example.com > export.json` writes the same document as
`GET me/export` (without its daily limit), and the audit log records it (via "operator")."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from accounts.export import export_build
from accounts.models import AuditEvent, User


class Command(BaseCommand):
    help = "Print a person's export (the same document as GET me/export)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        person = User.objects.filter(
            email=User.objects.normalize_email(email), deleted_at__isnull=True
        ).first()
        if person is None:
            raise CommandError("No account with that email address.")
        AuditEvent.objects.create(user=person, kind=AuditEvent.Kind.EXPORT, via="operator")
        self.stdout.write(json.dumps(export_build(person), cls=DjangoJSONEncoder, indent=2))
