"""`manage.py rotate_encryption_keys`: move every encrypted value onto the newest key.

Rotating a key, step by step:
1. Put a new key first in FIELD_ENCRYPTION_KEYS, keeping the old ones after it, and deploy:
   new writes use the new key, old values still decrypt.
2. Run this command: each stored token that is not yet under the newest key is re-encrypted
   with it (MultiFernet.rotate on the raw column, so the plaintext never leaves this process).
3. Once it reports nothing left to re-encrypt and nothing unreadable, drop the old keys.

It finds every EncryptedTextField of every installed model. Rows are read in batches by primary
key; each batch is written in one transaction, and each row only if its token is still the one
that was read (a person who saves meanwhile wins, and their write is under the newest key
already). `updated_at` is left alone: nothing a person wrote has changed, so phones need not
sync it again. Running it twice is harmless: tokens under the newest key are left as they are.

A token that no configured key can read is counted, left untouched, and makes the command exit
with an error: keep the key it was written with until it is re-encrypted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, router, transaction
from django.db.models.functions import Cast

from common.fields import DecryptionError, EncryptedTextField, reencrypt, token_is_current

BATCH_SIZE = 500
# The raw column under a name no model field can have (annotations may not shadow fields).
_RAW = "_encrypted_token"


@dataclass
class FieldRotation:
    label: str
    reencrypted: int = 0
    current: int = 0
    changed_meanwhile: int = 0
    unreadable: int = 0


def encrypted_fields(
    candidates: Iterable[type[models.Model]] | None = None,
) -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every (model, field) whose column holds encrypted text, from `candidates` or from every
    installed model. Proxies share their concrete model's table, and a parent's field is listed
    with the parent only, so no column is visited twice."""
    found = []
    for model in apps.get_models() if candidates is None else candidates:
        if model._meta.proxy or model._meta.swapped:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field))
    return found


def encrypted_field_rotate(
    *,
    model: type[models.Model],
    field: EncryptedTextField,
    batch_size: int = BATCH_SIZE,
    dry_run: bool = False,
) -> FieldRotation:
    """Re-encrypt the stored tokens of one field under the newest key; see the module doc."""
    result = FieldRotation(label=f"{model._meta.label}.{field.name}")
    using = router.db_for_write(model)
    # Cast to a plain text field so the ORM hands back the stored token, not the decrypted text,
    # and so the token can be compared in SQL (the encrypted field itself refuses lookups).
    raw = model._base_manager.using(using).annotate(
        **{_RAW: Cast(field.attname, output_field=models.TextField())}
    )
    stored = raw.exclude(**{f"{_RAW}__isnull": True}).exclude(**{_RAW: ""}).order_by("pk")
    last_pk = None
    while True:
        page = stored if last_pk is None else stored.filter(pk__gt=last_pk)
        batch = list(page.values_list("pk", _RAW)[:batch_size])
        if not batch:
            return result
        last_pk = batch[-1][0]
        rewrites = []
        for pk, token in batch:
            if token_is_current(token):
                result.current += 1
                continue
            try:
                rewrites.append((pk, token, reencrypt(token)))
            except DecryptionError:
                result.unreadable += 1
        if dry_run:
            result.reencrypted += len(rewrites)
            continue
        with transaction.atomic(using=using):
            for pk, old, new in rewrites:
                # Written as plain text: the value is already a token, not text to encrypt.
                written = raw.filter(**{"pk": pk, _RAW: old}).update(
                    **{field.attname: models.Value(new, output_field=models.TextField())}
                )
                if written:
                    result.reencrypted += 1
                else:
                    result.changed_meanwhile += 1


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field's stored values with the newest key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be re-encrypted; write nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Rows per transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, dry_run: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        fields = encrypted_fields()
        if not fields:
            self.stdout.write("No encrypted fields are installed; nothing to do.")
            return
        unreadable = 0
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        for model, field in fields:
            result = encrypted_field_rotate(
                model=model, field=field, batch_size=batch_size, dry_run=dry_run
            )
            unreadable += result.unreadable
            line = (
                f"{result.label}: {verb} {result.reencrypted}, "
                f"already under the newest key {result.current}, "
                f"changed meanwhile {result.changed_meanwhile}, unreadable {result.unreadable}"
            )
            self.stdout.write(self.style.WARNING(line) if result.unreadable else line)
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) could not be decrypted with any key in "
                "FIELD_ENCRYPTION_KEYS and were left as they are. Keep (or restore) the key "
                "they were written with, then run this command again."
            )
