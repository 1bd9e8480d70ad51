"""Private text is encrypted at rest: the column holds a Fernet token, keys rotate, and the
field refuses queries that would compare ciphertext."""

from io import StringIO
from unittest import mock

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.apps.registry import Apps
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter

from accounts.models import User
from common import fields
from common.fields import DecryptionError, EncryptedTextField, reencrypt, token_is_current
from common.management.commands import rotate_encryption_keys
from common.management.commands.rotate_encryption_keys import (
    encrypted_field_rotate,
    encrypted_fields,
)

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
STRANGER = Fernet.generate_key().decode()

# A registry of its own, so the test model never joins the project's models (no migration,
# nothing for other tests' apps.get_models() to find).
_test_apps = Apps()


class Note(models.Model):
    body = EncryptedTextField(max_length=20, null=True, blank=True)

    class Meta:
        apps = _test_apps
        app_label = "common"
        managed = False
        db_table = "test_encrypted_field_note"

    def __str__(self) -> str:
        return f"note {self.pk}"


BODY = Note._meta.get_field("body")


@pytest.fixture
def keys(settings):
    """Start from one known key; tests add and drop keys like an operator would."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    return settings


@pytest.fixture
def note_table(db, keys):
    with connection.schema_editor() as editor:
        editor.create_model(Note)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(Note)


def stored(note: Note) -> str | None:
    """The column as the database holds it, bypassing the field."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {Note._meta.db_table} WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


def store_raw(value: str | None) -> Note:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Note._meta.db_table} (body) VALUES (%s) RETURNING id", [value]
        )
        return Note(pk=cursor.fetchone()[0])


# --- the field, without a database ------------------------------------------------------------


def test_prepared_value_is_a_token_that_decrypts_back(keys):
    token = BODY.get_prep_value("I needed a quiet evening")

    assert "quiet" not in token
    assert Fernet(OLD).decrypt(token.encode()) == b"I needed a quiet evening"
    assert BODY.from_db_value(token, None, connection) == "I needed a quiet evening"


def test_each_write_is_a_fresh_token(keys):
    assert BODY.get_prep_value("same words") != BODY.get_prep_value("same words")


@pytest.mark.parametrize("value", [None, ""])
def test_none_and_empty_are_stored_as_they_are(keys, value):
    assert BODY.get_prep_value(value) == value
    assert BODY.from_db_value(value, None, connection) == value


def test_a_token_under_an_unknown_key_is_an_error_not_ciphertext(keys):
    foreign = Fernet(STRANGER).encrypt(b"not yours").decode()

    with pytest.raises(DecryptionError, match=r"common\.Note\.body.*FIELD_ENCRYPTION_KEYS"):
        BODY.from_db_value(foreign, None, connection)
    with pytest.raises(DecryptionError):
        BODY.from_db_value("plain text that was never encrypted", None, connection)


def test_new_key_encrypts_and_old_key_still_decrypts(keys):
    old_token = BODY.get_prep_value("before rotation")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    new_token = BODY.get_prep_value("after rotation")

    assert Fernet(NEW).decrypt(new_token.encode()) == b"after rotation"
    assert BODY.from_db_value(old_token, None, connection) == "before rotation"
    assert not token_is_current(old_token)
    assert token_is_current(new_token)


def test_reencrypt_moves_a_token_to_the_newest_key(keys):
    old_token = BODY.get_prep_value("keep me")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    rotated = reencrypt(old_token)

    assert rotated != old_token
    assert Fernet(NEW).decrypt(rotated.encode()) == b"keep me"
    assert MultiFernet([Fernet(NEW)]).decrypt(rotated.encode()) == b"keep me"
    with pytest.raises(DecryptionError):
        reencrypt(Fernet(STRANGER).encrypt(b"x").decode())


def test_changed_keys_are_never_served_from_a_stale_cache(keys):
    BODY.get_prep_value("warm the cache")
    keys.FIELD_ENCRYPTION_KEYS = [NEW]

    assert Fernet(NEW).decrypt(BODY.get_prep_value("fresh").encode()) == b"fresh"


@pytest.mark.parametrize("configured", [[], ["not-a-fernet-key"]])
def test_missing_or_malformed_keys_are_a_configuration_error(keys, configured):
    keys.FIELD_ENCRYPTION_KEYS = configured

    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS") as error:
        BODY.get_prep_value("anything")
    assert "not-a-fernet-key" not in str(error.value)


@pytest.mark.parametrize(
    "lookup",
    [
        {"body": "x"},
        {"body__exact": "x"},
        {"body__iexact": "x"},
        {"body__contains": "x"},
        {"body__icontains": "x"},
        {"body__startswith": "x"},
        {"body__in": ["x"]},
        {"body__gt": "x"},
        {"body__lower__exact": "x"},
    ],
)
def test_lookups_on_ciphertext_are_refused(lookup):
    with pytest.raises(FieldError, match=r"common\.Note\.body is encrypted"):
        Note.objects.filter(**lookup)


def test_max_length_counts_characters_of_the_plaintext(keys):
    Note(body="é" * 20).full_clean(validate_unique=False, validate_constraints=False)
    assert len(BODY.get_prep_value("é" * 20)) > 20

    with pytest.raises(ValidationError) as error:
        Note(body="é" * 21).full_clean(validate_unique=False, validate_constraints=False)
    assert error.value.message_dict["body"][0].startswith("Ensure this value has at most 20")


def test_migrations_carry_no_key_material(keys):
    _name, path, _args, kwargs = BODY.deconstruct()
    source, _imports = MigrationWriter.serialize(BODY)

    assert path == "common.fields.EncryptedTextField"
    assert kwargs == {"max_length": 20, "null": True, "blank": True}
    assert OLD not in source
    assert source == "common.fields.EncryptedTextField(blank=True, max_length=20, null=True)"


def test_searching_by_an_encrypted_field_is_a_system_check_error():
    test_apps = Apps()

    class Indexed(models.Model):
        body = EncryptedTextField(db_index=True)

        class Meta:
            apps = test_apps
            app_label = "common"

        def __str__(self) -> str:
            return "indexed"

    assert [e.id for e in Indexed._meta.get_field("body").check()] == ["common.E001"]
    assert BODY.check() == []


# --- in the database --------------------------------------------------------------------------


def test_the_column_holds_a_token_and_the_orm_returns_the_text(note_table):
    note = Note.objects.create(body="I miss you")

    raw = stored(note)
    assert "miss" not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token: version byte 0x80, base64
    assert Fernet(OLD).decrypt(raw.encode()) == b"I miss you"
    assert Note.objects.get(pk=note.pk).body == "I miss you"
    assert list(Note.objects.values_list("body", flat=True)) == ["I miss you"]


def test_none_and_empty_round_trip_unchanged_and_isnull_works(note_table):
    empty = Note.objects.create(body="")
    absent = Note.objects.create(body=None)
    Note.objects.create(body="something")

    assert stored(empty) == ""
    assert stored(absent) is None
    assert Note.objects.get(pk=empty.pk).body == ""
    assert Note.objects.get(pk=absent.pk).body is None
    assert list(Note.objects.filter(body__isnull=True).values_list("pk", flat=True)) == [absent.pk]
    assert Note.objects.exclude(body__isnull=True).count() == 2


def test_old_rows_still_decrypt_after_a_new_key_is_added(note_table, keys):
    note = Note.objects.create(body="written under the old key")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    assert Note.objects.get(pk=note.pk).body == "written under the old key"


def test_rotation_moves_every_token_to_the_newest_key(note_table, keys):
    notes = [Note.objects.create(body=f"note {i}") for i in range(5)]
    empty, absent = Note.objects.create(body=""), Note.objects.create(body=None)
    before = {note.pk: stored(note) for note in notes}
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    already_new = Note.objects.create(body="written after the new key")
    already_new_token = stored(already_new)

    result = encrypted_field_rotate(model=Note, field=BODY, batch_size=2)

    assert (result.reencrypted, result.current, result.unreadable) == (5, 1, 0)
    keys.FIELD_ENCRYPTION_KEYS = [NEW]
    for i, note in enumerate(notes):
        assert stored(note) != before[note.pk]
        assert Note.objects.get(pk=note.pk).body == f"note {i}"
    assert stored(already_new) == already_new_token
    assert (stored(empty), stored(absent)) == ("", None)
    # Idempotent: nothing is left to move, and nothing is rewritten.
    again = encrypted_field_rotate(model=Note, field=BODY, batch_size=2)
    assert (again.reencrypted, again.current) == (0, 6)


def test_rotation_never_overwrites_a_note_saved_meanwhile(note_table, keys):
    note = Note.objects.create(body="first draft")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    def save_meanwhile(token):
        Note.objects.filter(pk=note.pk).update(body="second draft")
        return reencrypt(token)

    with mock.patch.object(rotate_encryption_keys, "reencrypt", save_meanwhile):
        result = encrypted_field_rotate(model=Note, field=BODY)

    assert (result.reencrypted, result.changed_meanwhile) == (0, 1)
    assert Note.objects.get(pk=note.pk).body == "second draft"


def test_rotate_command_reports_each_field_and_dry_run_writes_nothing(note_table, keys):
    note = Note.objects.create(body="hold on")
    token = stored(note)
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    out = StringIO()

    with mock.patch.object(rotate_encryption_keys, "encrypted_fields", return_value=[(Note, BODY)]):
        call_command("rotate_encryption_keys", "--dry-run", stdout=out)
        assert stored(note) == token
        call_command("rotate_encryption_keys", stdout=out)

    assert out.getvalue().splitlines() == [
        "common.Note.body: would re-encrypt 1, already under the newest key 0, "
        "changed meanwhile 0, unreadable 0",
        "common.Note.body: re-encrypted 1, already under the newest key 0, "
        "changed meanwhile 0, unreadable 0",
    ]
    assert Fernet(NEW).decrypt(stored(note).encode()) == b"hold on"


def test_rotate_command_fails_loudly_on_tokens_no_key_can_read(note_table, keys):
    foreign = store_raw(Fernet(STRANGER).encrypt(b"lost key").decode())
    readable = Note.objects.create(body="fine")
    keys.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    with (
        mock.patch.object(rotate_encryption_keys, "encrypted_fields", return_value=[(Note, BODY)]),
        pytest.raises(CommandError, match="1 value"),
    ):
        call_command("rotate_encryption_keys", stdout=StringIO())

    assert Fernet(STRANGER).decrypt(stored(foreign).encode()) == b"lost key"
    assert Fernet(NEW).decrypt(stored(readable).encode()) == b"fine"


def test_rotate_command_finds_encrypted_fields_of_installed_models():
    assert encrypted_fields([Note, User]) == [(Note, BODY)]
    with mock.patch.object(rotate_encryption_keys.apps, "get_models", return_value=[User, Note]):
        assert encrypted_fields() == [(Note, BODY)]
    # The real registry: whatever it holds is encrypted text (checkins' private note, once it
    # exists), and the test model is not among it.
    assert all(isinstance(field, EncryptedTextField) for _, field in encrypted_fields())
    assert Note not in [model for model, _ in encrypted_fields()]


def test_rotate_command_with_nothing_encrypted_says_so():
    out = StringIO()
    with mock.patch.object(rotate_encryption_keys, "encrypted_fields", return_value=[]):
        call_command("rotate_encryption_keys", stdout=out)
    assert "nothing to do" in out.getvalue()


def test_key_cache_is_let_go_when_the_setting_changes(keys):
    fields.encrypt("warm")
    assert fields._keyring_for.cache_info().currsize >= 1

    keys.FIELD_ENCRYPTION_KEYS = [NEW]

    assert fields._keyring_for.cache_info().currsize == 0
