"""The benchmark's population: N couples with 90 days of life each, and one demo pair to sign in as.

    .venv/bin/python bench/seed.py --couples 1000          # reuses a database already seeded so
    .venv/bin/python bench/seed.py --couples 1000 --reseed # starts again from empty tables

`make bench` (bench/api.py) calls `seed()` itself; this command is for seeding ahead of time.
Every couple is two people (a verified email, nudge settings, consent) with, over the last 90
days, a check-in from each on most days (some passes, some with a prompt answered), three
boundaries each (each with its first revision), two agreements (one active, one waiting for an
answer) and a notification every few days. The demo pair ("a handful of rows", as a real couple
after a month) is what the load runs as: a month of check-ins, the partner's check-in today,
boundaries, agreements and notifications.

Fast by construction: rows are plain values per model field, streamed to PostgreSQL with COPY
(a field a row leaves out takes its model default, as the ORM would give it, so a field a later
migration adds fills itself), and every password is one hash computed once. 10,000 couples
(about 1.5 million check-ins) take a few minutes. Idempotent: a database that already holds
exactly N couples and the demo pair is reused as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEMO_EMAILS = ("bench-demo-a@example.com", "bench-demo-b@example.com")
DEMO_PASSWORD = "a calm harbour at dusk, benchmarked"
DAYS = 90
CHECKIN_ODDS = 0.85  # a person checks in on most days
PASS_ODDS = 0.08  # some of those are a pass
PROMPT_ODDS = 0.3  # and some answer the day's prompt
BOUNDARIES_PER_PERSON = 3
NOTIFICATION_EVERY_DAYS = 4
DEMO_CHECKIN_DAYS = 30
DEMO_NOTIFICATIONS = 12
ZONES = ("Europe/Berlin", "America/New_York", "Europe/London", "Asia/Kolkata", "UTC")
NAMES = ("Sam", "Alex", "Robin", "Noor", "Kai", "Maya", "Jules", "Ari", "Lee", "Tess")
NOTES = (
    "A slow morning, a good walk.",
    "Work ran long; glad to be home.",
    "Tired but fine.",
    "Loved our dinner.",
    "",
    "",
)
BOUNDARY_TEXTS = (
    "I need a quiet half hour after work before we talk plans.",
    "I'd rather we not check each other's phones.",
    "Sunday mornings are mine for the long run.",
    "Money talks happen at the table, not by text.",
)
AGREEMENT = (
    "Sunday mornings",
    "We keep Sunday mornings free of chores until eleven.",
    "Rest after a long week.",
    "Knowing the chores still get done.",
)
BATCH_COUPLES = 500  # couples per COPY round (memory stays flat whatever N is)


@dataclass
class SeedSummary:
    couples: int
    reused: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    demo_user_ids: tuple[uuid.UUID, uuid.UUID] | None = None


def copy_rows(model, rows: Sequence[dict]) -> int:
    """COPY rows (dicts keyed by field attname, e.g. `author_id`) into a model's table. A field
    a row leaves out takes the model's default, as the ORM would give it (so a field a later
    migration adds fills itself); `auto_now`/`auto_now_add` ones take now; a serial key or a
    database default is left to PostgreSQL. Encrypted and JSON fields prepare their own values;
    plain ones go to psycopg as they are."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED
    from django.utils import timezone

    if not rows:
        return 0
    given = rows[0].keys()
    plain_types = _plain_fields()
    now = timezone.now()
    fields, makers = [], []
    for f in model._meta.concrete_fields:
        if f.attname not in given and (
            getattr(f, "db_returning", False) or f.db_default is not NOT_PROVIDED
        ):
            continue
        fields.append(f)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            makers.append(lambda: now)
        elif f.has_default() and callable(f.default):
            makers.append(f.default)
        else:
            makers.append(functools.partial(_same, f.get_default()))
    plain = [type(f) in plain_types for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    spec = list(zip(fields, makers, plain, strict=True))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = []
            for f, make, is_plain in spec:
                value = row[f.attname] if f.attname in row else make()
                values.append(value if is_plain else f.get_db_prep_save(value, connection))
            copy.write_row(values)
    return len(rows)


def _same(value):
    return value


def _plain_fields() -> frozenset[type]:
    from django.db import models

    return frozenset(
        {
            models.UUIDField,
            models.DateTimeField,
            models.DateField,
            models.TimeField,
            models.BooleanField,
            models.IntegerField,
            models.SmallIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.CharField,
            models.TextField,
            models.EmailField,
            models.ForeignKey,
            models.OneToOneField,
        }
    )


def seeded_couples() -> int:
    from couples.models import Couple

    return Couple.objects.count()


def _inbox_as_written_now(person) -> bool:
    """Whether the seeded inbox is of today's shape (each notification a nudge's, naming
    its actor when read); a database seeded before is seeded anew."""
    from nudges.models import Notification

    return Notification.objects.filter(
        recipient=person, nudge__isnull=False, names_at_read=True
    ).exists()


def _readable_with_these_keys(person) -> bool:
    """Whether the person's encrypted words read with this run's FIELD_ENCRYPTION_KEYS: rows
    another checkout seeded with its own key (`var/bench/field-encryption-key`) would answer
    500 on every check-in read, so such a database is seeded anew."""
    from checkins.models import CheckIn
    from common.fields import DecryptionError

    try:
        list(CheckIn.objects.filter(author=person))
    except DecryptionError:
        return False
    return True


def demo_pair():
    """The demo pair's two people (first signs in for the load), or None when not seeded."""
    from accounts.models import User

    people = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    if len(people) != len(DEMO_EMAILS):
        return None
    return tuple(people[email] for email in DEMO_EMAILS)


def seed(
    couples: int,
    *,
    reseed: bool = False,
    skip_fk_checks: bool = False,
    seed_value: int = 17,
    log=print,
) -> SeedSummary:
    """Fill the database with `couples` couples (the demo pair among them), unless it already
    holds exactly that many and the demo pair. Django must be set up.

    `skip_fk_checks` (what `make bench` uses) loads with PostgreSQL's replica role, which skips
    the per-row foreign-key triggers, most of a COPY's cost here; it needs a superuser and is
    left off when refused. The rows are the same either way: tests/bench/test_seed.py seeds
    with the checks on."""
    from django.db import connection, transaction

    started = time.monotonic()
    if couples < 1:
        raise ValueError("at least one couple (the demo pair)")
    pair = demo_pair()
    if (
        not reseed
        and pair
        and seeded_couples() == couples
        and _inbox_as_written_now(pair[0])
        and _readable_with_these_keys(pair[0])
    ):
        log(f"seed: reusing the {couples:,} couples already in the database (--reseed to redo)")
        return SeedSummary(
            couples, True, time.monotonic() - started, demo_user_ids=(pair[0].pk, pair[1].pk)
        )

    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from checkins.models import Prompt

    log(f"seed: {couples:,} couples with {DAYS} days each ...")
    with connection.cursor() as cursor:
        # Everything a person or a couple owns goes with them (sessions too).
        owners = [User._meta.db_table, "couples_couple", "django_session"]
        cursor.execute(
            "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in owners) + " CASCADE"
        )
    password = make_password(DEMO_PASSWORD)  # once: every bench person shares it
    prompt_ids = list(Prompt.objects.filter(is_active=True).values_list("pk", flat=True))
    rng = random.Random(seed_value)  # noqa: S311 - reproducible bench data, not a secret
    today = dt.datetime.now(dt.UTC).date()
    rows: dict[str, int] = {}
    for first in range(1, couples, BATCH_COUPLES):  # couple 0 is the demo pair, below
        count = min(BATCH_COUPLES, couples - first)
        with transaction.atomic():
            if skip_fk_checks:
                skip_fk_checks = _replica_role()
            _add(rows, _population(range(first, first + count), password, prompt_ids, rng, today))
        if first // BATCH_COUPLES % 4 == 0 and couples > BATCH_COUPLES:
            log(f"seed: {first + count:,} couples, {time.monotonic() - started:.0f} s")
    with transaction.atomic():
        _add(rows, _demo(password, prompt_ids, rng, today))
    with connection.cursor() as cursor:  # the planner's statistics for what was just loaded
        loaded = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _models())
        cursor.execute(f"ANALYZE {loaded}")
    pair = demo_pair()
    assert pair is not None
    summary = SeedSummary(
        couples, False, time.monotonic() - started, rows, demo_user_ids=(pair[0].pk, pair[1].pk)
    )
    log(
        f"seed: done in {summary.seconds:.0f} s: "
        + ", ".join(f"{n:,} {name}" for name, n in rows.items())
    )
    return summary


def _replica_role() -> bool:
    """Foreign-key triggers off for the current transaction (SET LOCAL ends with it); False
    when this database user may not."""
    from django.db import DatabaseError, connection, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _add(total: dict[str, int], written: dict[str, int]) -> None:
    for name, count in written.items():
        total[name] = total.get(name, 0) + count


def _person(email: str, name: str, zone: str, password: str, joined: dt.datetime, rng) -> dict:
    from django.conf import settings

    user_id = _uuid(rng)
    return {
        "User": {
            "id": user_id,
            "email": email,
            "display_name": name,
            "time_zone": zone,
            "locale": "en",
            "password": password,
            "date_joined": joined,
            "updated_at": joined,
        },
        "EmailAddress": {"user_id": user_id, "email": email, "verified": True, "primary": True},
        "NudgeSettings": {"user_id": user_id, "time_zone": zone, "updated_at": joined},
        "Consent": {
            "user_id": user_id,
            "notice_version": settings.PRIVACY_NOTICE_VERSION,
            "sensitive_data": True,
            "age_confirmed": True,
            "accepted_at": joined,
        },
    }


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class _Rows:
    """Rows gathered per model name, written parents first."""

    def __init__(self) -> None:
        self.by_model: dict[str, list[dict]] = {}

    def add(self, name: str, *rows: dict) -> None:
        self.by_model.setdefault(name, []).extend(rows)

    def write(self) -> dict[str, int]:
        return {
            model.__name__: copy_rows(model, self.by_model.get(model.__name__, []))
            for model in _models()
        }


def _models() -> list[type[Model]]:
    from allauth.account.models import EmailAddress

    from accounts.models import Consent, User
    from checkins.models import CheckIn
    from couples.models import (
        Agreement,
        AgreementRevision,
        Boundary,
        BoundaryRevision,
        Couple,
        Membership,
    )
    from nudges.models import Notification, Nudge, NudgeSettings

    # Agreement and its revisions point at each other; PostgreSQL checks the foreign keys at
    # commit (Django makes them deferrable), so the order within the transaction is free.
    return [
        User,
        EmailAddress,
        NudgeSettings,
        Consent,
        Couple,
        Membership,
        CheckIn,
        Boundary,
        BoundaryRevision,
        Agreement,
        AgreementRevision,
        Nudge,
        Notification,
    ]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _checkin(author_id, couple_id, day: dt.date, rng, prompt_ids: list, **extra) -> dict:
    at = _at(day, 19)
    row = {
        "id": _uuid(rng),
        "author_id": author_id,
        "couple_id": couple_id,
        "local_date": day,
        "created_at": at,
        "updated_at": at,
        "passed": False,
        "mood": None,
        "energy": None,
        "dial": None,
        "capacity": "",
        "shared_note": "",
        "prompt_id": None,
        "prompt_answer": "",
        "private_note": "",
    }
    if rng.random() < PASS_ODDS:
        row["passed"] = True
    else:
        prompt = rng.choice(prompt_ids) if prompt_ids and rng.random() < PROMPT_ODDS else None
        row.update(
            mood=rng.randint(1, 5),
            energy=rng.randint(1, 5),
            dial=rng.randint(-2, 2),
            capacity=rng.choice(["light", "deeper", "not_today", ""]),
            shared_note=rng.choice(NOTES),
            prompt_id=prompt,
            prompt_answer="More evenings like last Friday." if prompt else "",
        )
    row.update(extra)
    return row


def _boundaries(out: _Rows, owner_id, rng, count: int, start: dt.datetime) -> None:
    for i in range(count):
        at = start + dt.timedelta(days=3 * i + 1)
        boundary = {
            "id": _uuid(rng),
            "owner_id": owner_id,
            "kind": rng.choice(["need", "limit", "non_negotiable"]),
            "text": BOUNDARY_TEXTS[i % len(BOUNDARY_TEXTS)],
            "visibility": "shared" if i % 3 != 2 else "private",
            "revisit_on": None,
            "version": 1,
            "retired_at": None,
            "created_at": at,
            "updated_at": at,
        }
        out.add("Boundary", boundary)
        out.add(
            "BoundaryRevision",
            {
                "boundary_id": boundary["id"],
                "version": 1,
                "kind": boundary["kind"],
                "text": boundary["text"],
                "visibility": boundary["visibility"],
                "revisit_on": None,
                "created_at": at,
            },
        )


def _agreements(out: _Rows, couple_id, authors, count: int, start, today, rng) -> None:
    for i in range(count):
        at = start + dt.timedelta(days=5 * i + 2)
        accepted = i % 2 == 0
        agreement_id, revision_id = _uuid(rng), _uuid(rng)
        out.add(
            "Agreement",
            {
                "id": agreement_id,
                "couple_id": couple_id,
                "title": f"{AGREEMENT[0]} ({i + 1})",
                "state": "active" if accepted else "negotiating",
                "latest_revision_id": revision_id,
                "active_revision_id": revision_id if accepted else None,
                "review_on": today + dt.timedelta(days=30) if accepted else None,
                "created_at": at,
                "updated_at": at,
            },
        )
        out.add(
            "AgreementRevision",
            {
                "id": revision_id,
                "agreement_id": agreement_id,
                "number": 1,
                "author_id": authors[i % 2],
                "answers_id": None,
                "terms": AGREEMENT[1],
                "my_need": AGREEMENT[2],
                "your_need_as_i_understand": AGREEMENT[3],
                "created_at": at,
                "withdrawn_at": None,
            },
        )


def _notifications(out: _Rows, recipient_id, actor_id, days, read_before, rng) -> None:
    """A partner's pings as Haven writes them now: each the notification of a sent nudge
    that names its actor, whose name is rendered when the inbox is read (`names_at_read`),
    so a page joins each row's nudge and actor and asks who the reader's former partners
    are, as a real inbox does."""
    for day in days:
        subject_id = _uuid(rng)
        due = _at(day, 12)
        nudge_id = _uuid(rng)
        out.add(
            "Nudge",
            {
                "id": nudge_id,
                "recipient_id": recipient_id,
                "actor_id": actor_id,
                "kind": "ping",
                "nudge_class": "relayed",
                "subject_id": subject_id,
                "local_date": day,
                "due_at": due,
                "at_chosen_time": False,
                "state": "sent",
                "reason": "",
                "was_held": False,
                "claimed_until": None,
                "attempts": 1,
                "sent_at": due,
                "created_at": due,
                "updated_at": due,
            },
        )
        out.add(
            "Notification",
            {
                "id": _uuid(rng),
                "recipient_id": recipient_id,
                "nudge_id": nudge_id,
                "kind": "ping",
                "subject_id": subject_id,
                "title": "Thinking of you",
                "body": "%(actor)s is thinking of you. No reply needed.",
                "names_at_read": True,
                "due_at": due,
                "read_at": _at(day, 13) if day < read_before else None,
                "created_at": due,
                "updated_at": due,
            },
        )


def _couple(out: _Rows, index: int, emails, names, zone, password: str, rng, today):
    start = _at(today - dt.timedelta(days=DAYS + 10), 9)
    couple_id = _uuid(rng)
    out.add(
        "Couple",
        {
            "id": couple_id,
            "ended_at": None,
            "ended_by_id": None,
            "created_at": start,
            "updated_at": start,
        },
    )
    people = []
    for email, name in zip(emails, names, strict=True):
        for model, row in _person(email, name, zone, password, start, rng).items():
            out.add(model, row)
        people.append(out.by_model["User"][-1]["id"])
        out.add(
            "Membership",
            {"couple_id": couple_id, "user_id": people[-1], "joined_at": start, "left_at": None},
        )
    return couple_id, people, start


def _population(indexes: range, password: str, prompt_ids: list, rng, today) -> dict[str, int]:
    out = _Rows()
    read_before = today - dt.timedelta(days=3)
    notified = [today - dt.timedelta(days=b) for b in range(1, DAYS + 1, NOTIFICATION_EVERY_DAYS)]
    for index in indexes:
        names = (rng.choice(NAMES), rng.choice(NAMES))
        emails = (f"bench{index}-a@example.com", f"bench{index}-b@example.com")
        zone = ZONES[index % len(ZONES)]
        couple_id, people, start = _couple(out, index, emails, names, zone, password, rng, today)
        for person, partner in ((people[0], people[1]), (people[1], people[0])):
            out.add(
                "CheckIn",
                *(
                    _checkin(person, couple_id, today - dt.timedelta(days=back), rng, prompt_ids)
                    for back in range(1, DAYS + 1)
                    if rng.random() < CHECKIN_ODDS
                ),
            )
            _boundaries(out, person, rng, BOUNDARIES_PER_PERSON, start)
            _notifications(out, person, partner, notified, read_before, rng)
        _agreements(out, couple_id, people, 2, start, today, rng)
    return out.write()


def demo_partner_checks_in_today(today: dt.date) -> bool:
    """The demo partner's shared check-in on `today`, written when missing (a database seeded
    on an earlier day is reused): every run loads the same home screen, both check-ins
    revealed once the demo person's PUT has written theirs. True when it wrote one."""
    from checkins.models import CheckIn

    pair = demo_pair()
    if pair is None:
        raise ValueError("no demo pair: seed first")
    demo, partner = pair
    if CheckIn.objects.filter(author=partner, local_date=today).exists():
        return False
    couple_id = demo.memberships.get(left_at__isnull=True).couple_id
    copy_rows(CheckIn, [_partner_today(partner.pk, couple_id, today)])
    return True


def settle(log=print) -> None:
    """Every table of the database vacuumed and analyzed, as production's autovacuum keeps
    them, before a run measures anything. A PostgreSQL with autovacuum off (this machine's
    is) never does it by itself: freshly loaded tables have no visibility map (no index can
    answer alone: the sign-in's consent check reads the table instead of its index), and each
    run's writes (thousands of check-in PUTs on the same rows, the sign-ins' sessions) leave
    their dead row versions to every later run. On `make bench`'s 10,000 couples the hot
    statements' own times moved within this machine's noise either way (docs/performance.md);
    what this buys is that every run measures the same settled tables, as production has them.
    A settled table is skipped page by page: a second or two a run."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (autovacuum,) = cursor.fetchone()
        cursor.execute("VACUUM (ANALYZE)")
    log(
        f"settle: every table vacuumed and analyzed in {time.monotonic() - started:.1f} s "
        f"(this server's autovacuum: {autovacuum})"
    )


def _partner_today(partner_id, couple_id, today: dt.date) -> dict:
    rng = random.Random(today.toordinal())  # noqa: S311 - bench data, not a secret
    row = _checkin(partner_id, couple_id, today, rng, [])
    return {
        **row,
        "passed": False,
        "mood": 4,
        "energy": 3,
        "dial": 1,
        "shared_note": "Long day, happy to be home.",
    }


def _demo(password: str, prompt_ids: list, rng, today) -> dict[str, int]:
    """The pair the load signs in as: what a couple holds after a month of using Haven. They
    live in UTC, so their "today" is the machine's UTC date."""
    out = _Rows()
    couple_id, (first, second), start = _couple(
        out, 0, DEMO_EMAILS, ("Sam", "Alex"), "UTC", password, rng, today
    )
    for person in (first, second):
        for back in range(1, DEMO_CHECKIN_DAYS + 1):
            extra = {"private_note": "Only mine to read."} if back % 7 == 0 else {}
            day = today - dt.timedelta(days=back)
            out.add("CheckIn", _checkin(person, couple_id, day, rng, prompt_ids, **extra))
    # The partner has shared today's check-in; the demo person's own is what the PUT writes.
    out.add("CheckIn", _partner_today(second, couple_id, today))
    _boundaries(out, first, rng, 4, start)
    _boundaries(out, second, rng, 3, start)
    _agreements(out, couple_id, (first, second), 3, start, today, rng)
    days = [today - dt.timedelta(days=2 * b) for b in range(DEMO_NOTIFICATIONS)]
    _notifications(out, first, second, days, today - dt.timedelta(days=4), rng)
    return out.write()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--couples", type=int, default=int(os.environ.get("BENCH_COUPLES", "10000"))
    )
    parser.add_argument("--reseed", action="store_true", help="empty the tables and seed again")
    args = parser.parse_args()
    from bench.api import django_setup, ensure_database

    ensure_database()
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(args.couples, reseed=args.reseed)


if __name__ == "__main__":
    main()
