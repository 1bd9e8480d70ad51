"""Model fields shared by every app.

`EncryptedTextField` keeps free text that only its author may read (a check-in's private note)
encrypted at rest: the column holds a Fernet token, so a database dump, a replica or a backup
never contains the words. Keys come from the environment (`FIELD_ENCRYPTION_KEYS`, newest first)
through `cryptography`'s MultiFernet: the newest key encrypts, every listed key decrypts, and
`manage.py rotate_encryption_keys` moves stored tokens onto the newest key so an old one can be
dropped.

What it does not hide: that a value is NULL or empty (both are stored as they are, see
`get_prep_value`), and roughly how long the text is (a token grows with its plaintext in 16-byte
steps). `dumpdata` goes through the model, so its output holds plaintext: treat it as secret.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks, validators
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Lookup, Transform
from django.dispatch import receiver

# The only lookup that means something on ciphertext: whether there is a value at all.
ALLOWED_LOOKUPS = frozenset({"isnull"})


class DecryptionError(Exception):
    """A stored value is not a Fernet token under any key in FIELD_ENCRYPTION_KEYS.

    Raised rather than handing the ciphertext back as if it were the text: the usual cause is
    a key removed from the environment before `rotate_encryption_keys` moved its tokens on."""


@dataclass(frozen=True)
class _Keyring:
    multi: MultiFernet
    newest: Fernet


@functools.lru_cache(maxsize=4)
def _keyring_for(keys: tuple[str, ...]) -> _Keyring:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: encrypted fields need at least one Fernet key."
        )
    fernets = []
    for index, key in enumerate(keys):
        try:
            fernets.append(Fernet(key))
        except ValueError:
            # The message names the position only: key material never reaches a log.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS[{index}] is not a Fernet key "
                "(32 bytes, url-safe base64; make one with Fernet.generate_key())."
            ) from None
    return _Keyring(multi=MultiFernet(fernets), newest=fernets[0])


def _keyring() -> _Keyring:
    # Keyed by the keys themselves, so a changed setting (override_settings) is never served
    # a stale MultiFernet; the signal below only lets go of old key material early.
    configured = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or ()
    if isinstance(configured, str | bytes):
        configured = [configured]
    keys = tuple(k.decode() if isinstance(k, bytes) else k.strip() for k in configured)
    return _keyring_for(tuple(k for k in keys if k))


@receiver(setting_changed)
def _forget_keys_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "FIELD_ENCRYPTION_KEYS":
        _keyring_for.cache_clear()


def encrypt(plaintext: str) -> str:
    """The Fernet token (text) for `plaintext`, under the newest key."""
    return _keyring().multi.encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token written under any configured key."""
    try:
        return _keyring().multi.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            "The value is not a Fernet token under any key in FIELD_ENCRYPTION_KEYS."
        ) from None


def reencrypt(value_token: str) -> str:
    """The same plaintext as a fresh token under the newest key (MultiFernet.rotate)."""
    try:
        return _keyring().multi.rotate(value_token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(
            "The value is not a Fernet token under any key in FIELD_ENCRYPTION_KEYS."
        ) from None


def token_is_current(value_token: str) -> bool:
    """Whether a token is already under the newest key (so rotating it again is needless)."""
    try:
        _keyring().newest.decrypt(value_token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code only ever sees the plaintext.

    - None and "" are stored as they are: an empty note holds no secret, and keeping them lets
      `null=True`/`blank=True` and `isnull` behave as on any text field.
    - `max_length` counts characters of the plaintext (validated, never a column limit: the
      column holds the longer token).
    - Only `isnull` may be used in queries; any other lookup compares ciphertext, which is
      meaningless (every save writes a new token), so it is refused with a FieldError.
    - Keys never appear in migrations: they are read from settings at use, not stored on the
      field.
    """

    description = "Text encrypted at rest (Fernet)"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.primary_key or self.unique or getattr(self, "db_index", False):
            errors.append(
                checks.Error(
                    "An EncryptedTextField cannot be a primary key, unique or indexed: every "
                    "save writes a different token, so the database cannot compare values.",
                    obj=self,
                    id="common.E001",
                )
            )
        return errors

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        try:
            return decrypt(value)
        except DecryptionError as error:
            raise DecryptionError(f"Cannot decrypt {self._label()}: {error}") from None

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise self._refused(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise self._refused(lookup_name)

    def _refused(self, lookup_name: str) -> FieldError:
        return FieldError(
            f"{self._label()} is encrypted: the database holds only ciphertext, so it cannot "
            f"be filtered with '{lookup_name}' (only 'isnull' works). Filter on other fields "
            "and read the text in Python."
        )

    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else repr(self)
