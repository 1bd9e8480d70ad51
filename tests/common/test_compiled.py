"""`common.compiled.CompiledLookup` (issue 17): the SQL is composed once per connection, and
each call answers exactly what the queryset itself answers, objects and related objects
alike, in every state a couple can be in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Model, signals
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import LoveLanguages, Preferences, User
from checkins.models import CheckIn
from checkins.prompts import pacing_week
from common.compiled import CompiledLookup, instance_maker
from couples import selectors
from couples.models import Membership
from tests.factories import CheckInFactory, UserFactory
from tests.utils import today_for

pytestmark = pytest.mark.django_db


def _values(instance: Model | None) -> dict | None:
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _same(compiled: Membership | None, queried: Membership | None, *, profile: bool) -> None:
    assert _values(compiled) == _values(queried)
    if queried is None:
        return
    assert _values(compiled.couple) == _values(queried.couple)
    assert _values(compiled.user) == _values(queried.user)
    if profile:
        for name in ("love_languages", "preferences"):
            theirs = getattr(queried.user, name, None)
            ours = getattr(compiled.user, name, None)
            assert _values(ours) == _values(theirs)


def _states(couple):
    """Each state yields the person asked about."""
    yield couple.a  # paired
    LoveLanguages.objects.create(user=couple.b, receiving=["quality_time"], giving=[])
    yield couple.a  # the partner has love languages, no preferences
    Preferences.objects.create(user=couple.b, connection_activities=["walk"])
    yield couple.b  # asked from the other side
    assert couple.client_a.post("/api/v1/couple/end", {"delay_hours": 24}).status_code == 200
    yield couple.a  # asked to leave with a delay: not mine any more
    yield couple.b  # the partner still sees the couple
    yield UserFactory()  # never paired


@pytest.mark.parametrize("profile", [False, True])
def test_every_state_answers_as_the_queryset_does(couple, profile):
    build = selectors._partner_membership(profile=profile)
    lookup = selectors._PARTNER_AND_PROFILE if profile else selectors._PARTNER
    answers = []
    for person in _states(couple):
        compiled = lookup.first(user_id=person.pk)
        queried = build(person.pk).first()
        _same(compiled, queried, profile=profile)
        answers.append(compiled is not None)
    assert answers == [True, True, True, False, True, False]


def test_ones_own_membership_answers_as_the_queryset_does(couple):
    answers = []
    for person in _states(couple):
        compiled = selectors.membership_of(person)
        queried = selectors._own_membership(person.pk).first()
        assert _values(compiled) == _values(queried)
        if queried is not None:
            assert _values(compiled.couple) == _values(queried.couple)
        answers.append(compiled is not None)
    assert answers == [True, True, True, False, True, False]


def test_the_related_objects_cost_no_more_queries(couple):
    LoveLanguages.objects.create(user=couple.b, receiving=["quality_time"], giving=[])
    with CaptureQueriesContext(connection) as captured:
        _couple, partner = selectors.couple_and_partner_of(couple.a, partner_profile=True)
        assert partner.love_languages.receiving == ["quality_time"]
        with pytest.raises(Preferences.DoesNotExist):
            partner.preferences
        assert _couple.pk == couple.couple.pk
    assert len(captured.captured_queries) == 1


def test_the_statement_is_composed_once_per_connection(couple):
    built = []

    def build(user_id):
        built.append(user_id)
        return Membership.objects.filter(user_id=user_id).order_by("pk")

    lookup = CompiledLookup("test_once", build, user_id=User._meta.pk)
    assert lookup.first(user_id=couple.a.pk).user_id == couple.a.pk
    assert lookup.first(user_id=couple.b.pk).user_id == couple.b.pk
    assert lookup.first(user_id=UserFactory().pk) is None
    assert [m.user_id for m in lookup.all(user_id=couple.a.pk)] == [couple.a.pk]
    assert len(built) == 2  # the database's name, then the statement: never again


def test_only_a_value_the_statement_carries_can_be_swapped(couple):
    lookup = CompiledLookup(
        "test_not_carried",
        lambda user_id: Membership.objects.order_by("pk"),
        user_id=User._meta.pk,
    )
    with pytest.raises(ValueError, match="stand-in"):
        lookup.first(user_id=couple.a.pk)
    with pytest.raises(TypeError, match="a UUID, a date, a moment or a text"):
        CompiledLookup(
            "test_not_uuid", lambda pk: Membership.objects.filter(pk=pk), pk=Membership._meta.pk
        )


def test_a_queryset_that_prefetches_is_run_as_it_is(couple):
    """A prefetch is a second query the statement does not carry: such a lookup answers by
    running the queryset itself, prefetch included."""
    lookup = CompiledLookup(
        "test_prefetch",
        lambda user_id: Membership.objects.filter(user_id=user_id).prefetch_related("couple"),
        user_id=User._meta.pk,
    )
    (membership,) = lookup.all(user_id=couple.a.pk)
    with CaptureQueriesContext(connection) as captured:
        assert membership.couple.pk == couple.couple.pk
    assert captured.captured_queries == []


def test_several_values_and_dates_are_swapped_each_in_its_place(couple):
    """Two ids and two dates, each its own parameter (the pacing week's shape)."""
    import datetime as dt

    from checkins.models import CheckIn
    from tests.factories import CheckInFactory
    from tests.utils import today_for

    today = today_for(couple.a)
    for days_ago in range(10):
        for person in (couple.a, couple.b):
            CheckInFactory(author=person, local_date=today - dt.timedelta(days=days_ago))

    def build(me, partner, since, until):
        return CheckIn.objects.filter(
            author_id__in=[me, partner], local_date__gte=since, local_date__lte=until
        ).order_by("local_date", "author_id")

    lookup = CompiledLookup(
        "test_week",
        build,
        me=User._meta.pk,
        partner=User._meta.pk,
        since=CheckIn._meta.get_field("local_date"),
        until=CheckIn._meta.get_field("local_date"),
    )
    for since, until in (
        (today - dt.timedelta(days=7), today),
        (today - dt.timedelta(days=2), today - dt.timedelta(days=1)),
    ):
        values = {"me": couple.a.pk, "partner": couple.b.pk, "since": since, "until": until}
        assert [_values(c) for c in lookup.all(**values)] == [_values(c) for c in build(**values)]
    assert len(lookup.all(**{**values, "partner": couple.a.pk})) == 2


def test_a_text_and_a_moment_are_swapped_in_as_values_of_their_own(couple):
    """The sign-in lookup (`accounts.authentication`) swaps in a session key, a notice version
    and the current moment: each is a parameter of its own, and a new value gives the rows
    the queryset itself gives for it."""
    from accounts.models import Consent

    for version in ("test-a", "test-b"):
        Consent.objects.create(
            user=couple.a, notice_version=version, sensitive_data=True, age_confirmed=True
        )

    def consents(*, user_id, version, since):
        return Consent.objects.filter(
            user_id=user_id, notice_version=version, accepted_at__gte=since
        ).order_by("pk")

    lookup = CompiledLookup(
        "test_text_and_moment",
        consents,
        user_id=User._meta.pk,
        version=Consent._meta.get_field("notice_version"),
        since=Consent._meta.get_field("accepted_at"),
    )
    long_ago = timezone.now() - dt.timedelta(days=1)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    cases = [("test-a", long_ago), ("test-b", long_ago), ("test-c", long_ago), ("test-b", tomorrow)]
    for version, since in cases:
        values = {"user_id": couple.a.pk, "version": version, "since": since}
        assert lookup.all(**values) == list(consents(**values))
    (found,) = lookup.all(user_id=couple.a.pk, version="test-b", since=long_ago)
    assert found.notice_version == "test-b"
    assert lookup.all(user_id=couple.a.pk, version="test-b", since=tomorrow) == []


def test_a_values_list_of_plain_columns_is_replayed_as_its_tuples(couple):
    """Today's prompt reads a couple's prompt dates as (prompt, date) tuples
    (`checkins.prompts.prompt_of_day`): the lookup gives the tuples the queryset gives, with
    the columns' converters applied; a flat list or one whose columns Django reorders is run
    as it is."""
    from checkins.models import CheckIn

    for days_ago in (0, 1, 2):
        CheckIn.objects.create(
            author=couple.a, couple=couple.couple, local_date=_day(days_ago), mood=3
        )

    def dates(*, user_id, after):
        return CheckIn.objects.filter(author_id=user_id, local_date__gt=after).values_list(
            "id", "local_date", "mood"
        )

    lookup = CompiledLookup(
        "test_tuples",
        dates,
        user_id=User._meta.pk,
        after=CheckIn._meta.get_field("local_date"),
    )
    for after in (_day(5), _day(1), _day(0)):
        found = lookup.all(user_id=couple.a.pk, after=after)
        assert sorted(found) == sorted(dates(user_id=couple.a.pk, after=after))
        assert all(type(row) is tuple and isinstance(row[1], dt.date) for row in found)
    assert len(lookup.all(user_id=couple.a.pk, after=_day(5))) == 3
    assert lookup.all(user_id=couple.b.pk, after=_day(5)) == []

    flat = CompiledLookup(
        "test_flat",
        lambda user_id: CheckIn.objects.filter(author_id=user_id).values_list("mood", flat=True),
        user_id=User._meta.pk,
    )
    assert flat.all(user_id=couple.a.pk) == [3, 3, 3]


def _day(days_ago: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days_ago)


@pytest.mark.parametrize("paired", [True, False])
def test_a_check_in_write_still_locks_its_row_through_the_compiled_statement(couple, paired):
    """`checkins.services._write_lock` is a compiled lookup: its statement is the one Django
    composed, row lock included (the couple's, or the person's own row alone)."""
    from accounts.localtime import local_today
    from tests.utils import client_for

    person = couple.a if paired else UserFactory()
    client = couple.client_a if paired else client_for(person)
    for mood in (3, 4):  # composed, then replayed
        with CaptureQueriesContext(connection) as captured:
            answer = client.put(
                f"/api/v1/checkins/{local_today(person)}", {"mood": mood}, format="json"
            )
        assert answer.status_code == 200
        locks = [q["sql"] for q in captured.captured_queries if "FOR NO KEY UPDATE" in q["sql"]]
        assert len(locks) == 1
        table = "couples_couple" if paired else "accounts_user"
        assert f'FROM "{table}"' in locks[0]


def test_spaces_are_read_as_the_queryset_reads_them(couple):
    """`space_of` and `spaces_of` are compiled lookups (one person, two people); the moment
    is a value of its own, so a space that ended by its end time is gone without a write."""
    from couples.models import SpacePeriod

    now = timezone.now()

    def plain(*people, at):
        return list(selectors._active_spaces_among(at, [p.pk for p in people]))

    def check(at):
        for people in ((couple.a,), (couple.b,), (couple.a, couple.b), (couple.b, couple.a)):
            compiled = selectors._active_spaces(
                now=at, first=people[0].pk, second=people[1].pk if len(people) == 2 else None
            )
            lookup = selectors._ACTIVE_SPACES[len(people)]
            values = {"now": at, "first": people[0].pk}
            if len(people) == 2:
                values["second"] = people[1].pk
            assert [_values(s) for s in lookup.all(**values)] == [
                _values(s) for s in plain(*people, at=at)
            ]
            assert [s.pk for s in compiled] == [s.pk for s in plain(*people, at=at)]

    check(now)  # nobody is taking space
    SpacePeriod.objects.create(  # no end time, only a moment to check back
        user=couple.a, couple=couple.couple, check_back_at=now + dt.timedelta(hours=1)
    )
    SpacePeriod.objects.create(
        user=couple.b, couple=couple.couple, ends_at=now + dt.timedelta(hours=2)
    )
    check(now)
    check(now + dt.timedelta(hours=3))  # b's has ended by itself; a's has not
    spaces = selectors.spaces_of(couple.a, couple.b)
    assert spaces[couple.a.pk] is not None and spaces[couple.b.pk] is not None
    assert selectors.space_of(couple.b).ends_at == now + dt.timedelta(hours=2)
    lookup = selectors._ACTIVE_SPACES[2]
    later = lookup.all(now=now + dt.timedelta(hours=3), first=couple.a.pk, second=couple.b.pk)
    assert [s.user_id for s in later] == [couple.a.pk]


def test_the_inbox_count_and_names_are_what_their_querysets_give(couple):
    """The unread count of an empty inbox page and the former partners an export names come
    from compiled lookups: the count of a grouped `values_list`, and one's former partners."""
    from nudges.models import Notification
    from nudges.selectors import unread_count_of

    def unread(person):
        return Notification.objects.filter(recipient=person, read_at__isnull=True).count()

    def names(person):
        return sorted(selectors._former_partners_of(viewer_id=person.pk))

    def compiled_names(person):
        return sorted(selectors._FORMER_PARTNERS.all(viewer_id=person.pk))

    assert unread_count_of(couple.a) == unread(couple.a) == 0
    for _ in range(3):
        Notification.objects.create(
            recipient=couple.a, kind="ping", subject_id=couple.b.pk, due_at=timezone.now()
        )
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())
    assert unread_count_of(couple.a) == unread(couple.a) == 2
    assert unread_count_of(couple.b) == unread(couple.b) == 0

    assert compiled_names(couple.a) == names(couple.a) == []
    assert selectors.former_partner_names(couple.a) == {}
    assert couple.client_a.post("/api/v1/couple/end", {}).status_code == 200
    for person in (couple.a, couple.b, UserFactory()):
        assert compiled_names(person) == names(person)
    assert compiled_names(couple.a) == [(couple.b.pk,)]
    assert set(selectors.former_partner_names(couple.a)) == {couple.b.pk}


# --- Instances made as Django makes them ------------------------------------------------------


def _made(instance: Model) -> tuple:
    attributes = {k: v for k, v in vars(instance).items() if k != "_state"}
    state = instance._state
    return (type(instance), attributes, state.adding, state.db, instance.get_deferred_fields())


# Models whose construction does more than Django's (a field with a descriptor of its own).
MADE_BY_THEIR_OWN_FROM_DB = {"django_celery_beat.CrontabSchedule"}


@pytest.mark.parametrize("model", apps.get_models(), ids=lambda m: m._meta.label)
def test_every_model_is_made_from_a_row_as_from_db_makes_it(model):
    names = [field.attname for field in model._meta.concrete_fields]
    row = [f"column {n}" for n in range(len(names))]
    # A full row, and one with every column but the primary key's left unread (`defer`).
    read = [name for name in names if name == model._meta.pk.attname]
    partial = [row[names.index(name)] for name in read]
    make = instance_maker(model)
    if make == model.from_db:  # a model that adds to Django's construction makes its own
        assert model._meta.label in MADE_BY_THEIR_OWN_FROM_DB
        return

    assert _made(make("default", names, row)) == _made(model.from_db("default", names, row))
    assert _made(make("other", read, partial)) == _made(model.from_db("other", read, partial))


def test_a_model_with_a_post_init_receiver_is_made_by_its_own_from_db():
    def receiver(**kwargs):
        pass

    assert instance_maker(CheckIn) is not CheckIn.from_db
    signals.post_init.connect(receiver, sender=CheckIn)
    try:
        assert instance_maker(CheckIn) == CheckIn.from_db
    finally:
        signals.post_init.disconnect(receiver, sender=CheckIn)


def test_the_pacing_weeks_rows_are_the_querysets_own_with_the_same_columns_unread(couple):
    today = today_for(couple.a)
    members = [couple.a, couple.b]
    for days_ago in (0, 1, 3):
        for author in members:
            CheckInFactory(author=author, local_date=today - dt.timedelta(days=days_ago))
    compiled = pacing_week(members, up_to=today, profiles=True)
    queried = list(
        CheckIn.objects.filter(author__in=members, local_date__gte=today - dt.timedelta(days=7))
        .select_related("author__checkin_settings", "author__love_languages", "author__preferences")
        .defer(
            "author__password",
            "author__last_login",
            "author__date_joined",
            "author__updated_at",
            "author__checkin_settings__updated_at",
        )
        .private_notes_of(couple.a.pk)
        .order_by("local_date", "author_id")
    )
    compiled.sort(key=lambda c: (c.local_date, c.author_id))

    assert compiled and [c.pk for c in compiled] == [c.pk for c in queried]
    for ours, theirs in zip(compiled, queried, strict=True):
        # The partner's private notes stay in PostgreSQL; the reader's own are in place.
        own = ours.author_id == couple.a.pk
        assert ("private_note" in ours.get_deferred_fields()) is not own
        assert _made(ours)[2:] == _made(theirs)[2:]
        assert _values(ours) == _values(theirs)  # (reads every column: the notes too)
        assert ours.author.get_deferred_fields() == theirs.author.get_deferred_fields()
        assert ours.author.get_deferred_fields() >= {"password", "last_login"}


def test_a_related_row_met_on_several_rows_is_made_once_per_statement(couple):
    """Two people's week is 2 authors on 6 rows: each author (and what hangs on them, its
    columns converted when made: a profile's JSON read into lists) is one instance for all
    their rows, as Django's own `prefetch_related` hands one out; a second statement makes
    its own."""
    today = today_for(couple.a)
    members = [couple.a, couple.b]
    LoveLanguages.objects.create(user=couple.a, receiving=["quality_time"], giving=[])
    for days_ago in (0, 1, 3):
        for author in members:
            CheckInFactory(author=author, local_date=today - dt.timedelta(days=days_ago))

    week = pacing_week(members, up_to=today, profiles=True)
    again = pacing_week(members, up_to=today, profiles=True)

    assert len(week) == 6
    for person in members:
        rows = [c for c in week if c.author_id == person.pk]
        assert len(rows) == 3 and len({id(c) for c in rows}) == 3  # the check-ins: their own
        assert len({id(c.author) for c in rows}) == 1
        assert rows[0].author.pk == person.pk
    anas = [c for c in week if c.author_id == couple.a.pk]
    assert len({id(c.author.love_languages) for c in anas}) == 1
    assert anas[0].author.love_languages.receiving == ["quality_time"]
    assert week[0].author is not again[0].author  # not kept past its statement


# --- two lookups in one statement (`first_beside`) -----------------------------------------


def _own_row_lookup() -> CompiledLookup:
    """A first lookup of one person's row with an annotation, as the sign-in's is."""
    from django.db.models import Exists, OuterRef

    def build(pk):
        return User.objects.filter(pk=pk).annotate(
            paired=Exists(Membership.objects.filter(user=OuterRef("pk"), left_at__isnull=True))
        )

    return CompiledLookup("test_person_beside", build, pk=User._meta.pk)


@pytest.mark.parametrize("profile", [False, True])
def test_a_lookup_read_beside_another_answers_as_it_does_alone(couple, profile):
    person_lookup = _own_row_lookup()
    partner = selectors._PARTNER_AND_PROFILE if profile else selectors._PARTNER
    answers = []
    for person in _states(couple):
        with CaptureQueriesContext(connection) as captured:
            found, beside = person_lookup.first_beside(
                {"pk": person.pk}, partner, {"user_id": person.pk}
            )
        assert len(captured.captured_queries) == 1
        alone = person_lookup.first(pk=person.pk)
        assert _values(found) == _values(alone)
        assert found.paired == alone.paired
        _same(beside, partner.first(user_id=person.pk), profile=profile)
        answers.append(beside is not None)
    assert answers == [True, True, True, False, True, False]


def test_no_first_row_means_nothing_beside_it(couple):
    found, beside = _own_row_lookup().first_beside(
        {"pk": UserFactory.build().pk}, selectors._PARTNER, {"user_id": couple.a.pk}
    )
    assert (found, beside) == (None, None)


def test_beside_another_database_engine_the_two_run_one_after_the_other(couple, monkeypatch):
    """The joined statement is PostgreSQL's; elsewhere (the embedded SQLite) the same two
    statements run apart and answer the same."""
    together = _own_row_lookup().first_beside(
        {"pk": couple.a.pk}, selectors._PARTNER, {"user_id": couple.a.pk}
    )
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with CaptureQueriesContext(connection) as captured:
        apart = _own_row_lookup().first_beside(
            {"pk": couple.a.pk}, selectors._PARTNER, {"user_id": couple.a.pk}
        )
    assert len(captured.captured_queries) == 2
    assert _values(apart[0]) == _values(together[0])
    _same(apart[1], together[1], profile=False)


def test_a_row_read_beside_is_handed_out_once(couple):
    from common.compiled import NOT_READ_BESIDE, remember_beside, taken_beside

    person = User.objects.get(pk=couple.a.pk)
    assert taken_beside(person, selectors._PARTNER) is NOT_READ_BESIDE
    membership = selectors._PARTNER.first(user_id=person.pk)
    remember_beside(person, selectors._PARTNER, membership)
    remember_beside(person, selectors._MEMBERSHIP, None)  # read, and not in a couple

    assert taken_beside(person, selectors._PARTNER_AND_PROFILE) is NOT_READ_BESIDE
    assert taken_beside(person, selectors._PARTNER) is membership
    assert taken_beside(person, selectors._PARTNER) is NOT_READ_BESIDE  # once
    with CaptureQueriesContext(connection) as captured:
        assert selectors.membership_of(person) is None  # what was read, not asked again
        assert selectors.membership_of(person).couple_id == couple.couple.pk  # afresh
    assert len(captured.captured_queries) == 1
