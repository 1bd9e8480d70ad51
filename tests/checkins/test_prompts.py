"""The prompt library and today's prompt: one prompt per calendar date for a couple (the
same for both, whatever their time zones), paced by how they have been answering, deep
only with both partners' opt-in, no repeats within 60 days, inactive prompts never."""

import datetime as dt
import hashlib
import importlib
import random
import threading
from itertools import pairwise

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from checkins.models import CheckIn, CheckinSettings, Prompt, PromptAssignment
from checkins.prompts import (
    _choose,
    _shuffle_ranks,
    _shuffled,
    prompt_depth_for,
    prompt_for_day,
    prompt_of_day,
)
from couples.selectors import couple_and_partner_of
from tests.factories import CheckInFactory, UserFactory, pair
from tests.utils import client_for, today_for

URL = "/api/v1/prompts/today"
DAY = dt.date(2026, 6, 15)
LIGHT, MEDIUM, DEEP = Prompt.Depth.LIGHT, Prompt.Depth.MEDIUM, Prompt.Depth.DEEP

seed_migration = importlib.import_module("checkins.migrations.0002_seed_prompts")


def opt_in(*users) -> None:
    for user in users:
        CheckinSettings.objects.update_or_create(user=user, defaults={"deeper_prompts": True})


def answer(user, day: dt.date, depth: str = LIGHT, *, shared: bool = True) -> CheckIn:
    """A check-in on `day` that answered a prompt of `depth`."""
    prompt = Prompt.objects.filter(depth=depth, is_active=True).order_by("id").first()
    return CheckInFactory(
        author=user,
        local_date=day,
        mood=None,
        prompt=prompt,
        prompt_answer="A few words.",
        is_shared=shared,
    )


def days_before(day: dt.date, count: int) -> list[dt.date]:
    return [day - dt.timedelta(days=n) for n in range(1, count + 1)]


def only_these_active(depth: str, count: int) -> list[Prompt]:
    """Retire the library's prompts of `depth` and add `count` fresh ones."""
    Prompt.objects.filter(depth=depth).update(is_active=False)
    return [
        Prompt.objects.create(text=f"A {depth} question {n}?", depth=depth, theme="everyday")
        for n in range(count)
    ]


# --- The library -----------------------------------------------------------------------------


def test_the_seeded_library_has_enough_prompts_each_with_a_depth_and_a_theme(db):
    seeded = Prompt.objects.filter(is_active=True)
    assert seeded.filter(depth__in=[LIGHT, MEDIUM]).count() >= 100
    assert seeded.filter(depth=DEEP).count() >= 20
    for prompt in Prompt.objects.all():
        assert prompt.depth in Prompt.Depth.values
        assert prompt.theme in Prompt.Theme.values
        assert prompt.text.strip() and len(prompt.text) <= 300
    assert Prompt.objects.values("text").distinct().count() == Prompt.objects.count()
    # Every theme is used; deep prompts always leave room to decline.
    assert set(seeded.values_list("theme", flat=True)) == set(Prompt.Theme.values)
    for text in seeded.filter(depth=DEEP).values_list("text", flat=True):
        assert text.lower().startswith(("if ", "only if")), text


def test_the_reverse_migration_removes_the_seeded_prompts_and_only_those(couple):
    prompt_for_day(user=couple.a, local_date=DAY)  # an assignment protects its prompt
    own = Prompt.objects.create(text="A coach's own question?", depth=LIGHT, theme="play")
    historical = (
        MigrationExecutor(connection).loader.project_state(("checkins", "0002_seed_prompts")).apps
    )
    seed_migration.unseed(historical, None)
    assert list(Prompt.objects.all()) == [own]
    seed_migration.seed(historical, None)
    seed_migration.seed(historical, None)  # running it twice adds nothing twice
    assert Prompt.objects.count() == len(list(seed_migration.seeded())) + 1


# --- Same prompt for both, per calendar date -------------------------------------------------


@pytest.fixture
def far_apart(db):
    la = UserFactory(time_zone="America/Los_Angeles")
    syd = UserFactory(time_zone="Australia/Sydney")
    pair(la, syd)
    return la, syd


def test_partners_in_different_time_zones_get_the_same_prompt_for_the_same_date(
    far_apart, time_machine
):
    la, syd = far_apart
    # 02:00 UTC: May 31 midday in Sydney, still May 30 in Los Angeles.
    time_machine.move_to(dt.datetime(2026, 5, 31, 2, tzinfo=dt.UTC))
    sydney_may_31 = client_for(syd).get(URL).json()
    la_may_30 = client_for(la).get(URL).json()
    # 20:00 UTC: May 31 in Los Angeles at last, already June 1 in Sydney.
    time_machine.move_to(dt.datetime(2026, 5, 31, 20, tzinfo=dt.UTC))
    la_may_31 = client_for(la).get(URL).json()
    sydney_june_1 = client_for(syd).get(URL).json()

    assert la_may_31 == sydney_may_31
    # Showing a prompt stores nothing: a check-in that answers it does (a GET never writes).
    assert not PromptAssignment.objects.exists()

    # Each is the pick for its reader's own date, not for the UTC date (May 31 for both at
    # 02:00). Two dates may happen to draw the same prompt (the shuffle is seeded per date),
    # so each is compared with its own date's pick rather than with the other's.
    def pick(person, day: dt.date) -> str:
        couple = couple_and_partner_of(person)[0]
        return str(prompt_of_day(user=person, couple=couple, local_date=day, recent=[])[0].pk)

    assert la_may_30["id"] == pick(la, dt.date(2026, 5, 30))
    assert sydney_may_31["id"] == pick(syd, dt.date(2026, 5, 31))
    assert sydney_june_1["id"] == pick(syd, dt.date(2026, 6, 1))


def test_a_dates_prompt_never_changes_once_assigned(couple):
    first = prompt_for_day(user=couple.a, local_date=DAY)
    # Whatever happens next (deeper pace, opt-ins, a coach retiring the prompt)...
    opt_in(couple.a, couple.b)
    for day in days_before(DAY, 7):
        answer(couple.a, day, MEDIUM)
        answer(couple.b, day, MEDIUM)
    Prompt.objects.filter(pk=first.pk).update(is_active=False)
    # ...that date keeps its prompt, for either partner.
    assert prompt_for_day(user=couple.b, local_date=DAY) == first
    assert prompt_for_day(user=couple.a, local_date=DAY) == first
    assert PromptAssignment.objects.filter(couple=couple.couple).count() == 1


def test_a_person_alone_gets_their_own_prompt(db):
    solo = UserFactory()
    prompt = prompt_for_day(user=solo, local_date=DAY)
    assignment = PromptAssignment.objects.get()
    assert (assignment.user, assignment.couple, assignment.prompt) == (solo, None, prompt)
    assert prompt_for_day(user=solo, local_date=DAY) == prompt


def test_a_couple_is_not_given_another_couples_assignment(couple, other_couple):
    mine = prompt_for_day(user=couple.a, local_date=DAY)
    theirs = prompt_for_day(user=other_couple.a, local_date=DAY)
    rows = PromptAssignment.objects.filter(local_date=DAY)
    assert {row.couple_id for row in rows} == {couple.couple.pk, other_couple.couple.pk}
    assert {row.prompt_id for row in rows} == {mine.pk, theirs.pk}


def test_answering_in_a_checkin_links_the_couples_prompt_of_that_date(couple):
    today = client_for(couple.a).get("/api/v1/checkins/today").json()["date"]
    response = client_for(couple.a).put(
        f"/api/v1/checkins/{today}", {"prompt_answer": "Tea on the balcony."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["prompt"]["id"] == client_for(couple.b).get(URL).json()["id"]


# --- Pacing -----------------------------------------------------------------------------------


def test_everyone_starts_light_even_when_both_opted_in(couple):
    opt_in(couple.a, couple.b)
    assert prompt_for_day(user=couple.a, local_date=DAY).depth == LIGHT


@pytest.mark.parametrize(
    ("answered_days", "expected"),
    [(0, LIGHT), (2, LIGHT), (3, MEDIUM), (4, MEDIUM), (5, DEEP), (7, DEEP)],
)
def test_the_pacing_table_for_a_couple_who_both_opted_in(couple, answered_days, expected):
    opt_in(couple.a, couple.b)
    for day in days_before(DAY, answered_days):
        answer(couple.a, day, MEDIUM)
        answer(couple.b, day, MEDIUM)
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == expected
    assert prompt_for_day(user=couple.b, local_date=DAY).depth == expected


def test_a_day_counts_only_when_both_partners_answered(couple):
    for day in days_before(DAY, 7):
        answer(couple.a, day)
    for day in days_before(DAY, 2):
        answer(couple.b, day)
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == LIGHT
    answer(couple.b, DAY - dt.timedelta(days=5))
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == MEDIUM


def test_only_the_seven_days_before_the_date_count(couple):
    for person in (couple.a, couple.b):
        answer(person, DAY)  # the date itself
        answer(person, DAY - dt.timedelta(days=8))  # before the window
        answer(person, DAY - dt.timedelta(days=9))
        answer(person, DAY - dt.timedelta(days=7))  # the window's first day
        answer(person, DAY - dt.timedelta(days=1))  # and its last
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == LIGHT
    answer(couple.a, DAY - dt.timedelta(days=4))
    answer(couple.b, DAY - dt.timedelta(days=4))
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == MEDIUM


def test_unsent_answers_and_check_ins_without_an_answer_do_not_count(couple):
    for day in days_before(DAY, 7):
        answer(couple.a, day)
    for day in days_before(DAY, 3):
        answer(couple.b, day, shared=False)
    for day in days_before(DAY, 7)[3:]:
        CheckInFactory(author=couple.b, local_date=day, mood=3)
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == LIGHT


@pytest.mark.parametrize("opted_in", [(), ("a",), ("b",)], ids=["neither", "only-a", "only-b"])
def test_deep_needs_both_partners_opt_in(couple, opted_in):
    opt_in(*(getattr(couple, who) for who in opted_in))
    if "a" not in opted_in:
        # An explicit "no" and no settings row at all mean the same.
        CheckinSettings.objects.create(user=couple.a, deeper_prompts=False)
    for day in days_before(DAY, 7):
        answer(couple.a, day, MEDIUM)
        answer(couple.b, day, MEDIUM)
    assert prompt_for_day(user=couple.a, local_date=DAY).depth == MEDIUM


def test_deep_needs_a_medium_prompt_answered_in_the_week(couple):
    opt_in(couple.a, couple.b)
    for day in days_before(DAY, 7):
        answer(couple.a, day, LIGHT)
        answer(couple.b, day, LIGHT)
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == MEDIUM
    CheckIn.objects.filter(local_date=DAY - dt.timedelta(days=6)).update(
        prompt=Prompt.objects.filter(depth=MEDIUM).first()
    )
    assert prompt_depth_for(members=[couple.a, couple.b], local_date=DAY) == DEEP


@pytest.mark.parametrize(("opted_in", "expected"), [(True, DEEP), (False, MEDIUM)])
def test_a_person_alone_goes_deep_only_with_their_own_opt_in(db, opted_in, expected):
    solo = UserFactory()
    if opted_in:
        opt_in(solo)
    for day in days_before(DAY, 5):
        answer(solo, day, MEDIUM)
    assert prompt_for_day(user=solo, local_date=DAY).depth == expected


def test_pacing_climbs_with_answers_and_eases_off_a_level_at_a_time(couple):
    """Both answer every day for two weeks, then stop (which is fine): the depth climbs,
    then steps back down one level at a time, never from deep straight to light."""
    opt_in(couple.a, couple.b)
    start = DAY - dt.timedelta(days=30)
    depths = []
    for n in range(24):
        day = start + dt.timedelta(days=n)
        prompt = prompt_for_day(user=(couple.a, couple.b)[n % 2], local_date=day)
        depths.append(prompt.depth)
        if n < 14:
            for person in (couple.a, couple.b):
                CheckInFactory(
                    author=person, local_date=day, mood=None, prompt=prompt, prompt_answer="Yes."
                )
    climbing, easing = depths[:14], depths[14:]
    assert climbing[:3] == [LIGHT] * 3
    assert climbing[3:5] == [MEDIUM] * 2
    assert climbing[5] == DEEP
    # A breather: within any seven days of deep there is a medium one.
    assert MEDIUM in climbing[6:13]
    assert easing[:3] == [DEEP] * 3  # 7, 6, then 5 answered days in the week
    assert easing[3:5] == [MEDIUM] * 2  # 4, then 3
    assert set(easing[5:]) == {LIGHT}
    order = {LIGHT: 0, MEDIUM: 1, DEEP: 2}
    assert all(abs(order[x] - order[y]) <= 1 for x, y in pairwise(depths))


# --- Which prompt -----------------------------------------------------------------------------


def test_no_prompt_repeats_while_unused_ones_remain_then_the_least_recently_used(couple):
    fresh = only_these_active(LIGHT, 3)
    given = [prompt_for_day(user=couple.a, local_date=DAY + dt.timedelta(days=n)) for n in range(3)]
    assert sorted(p.pk for p in given) == sorted(p.pk for p in fresh)
    assert prompt_for_day(user=couple.b, local_date=DAY + dt.timedelta(days=3)) == given[0]
    assert prompt_for_day(user=couple.b, local_date=DAY + dt.timedelta(days=4)) == given[1]


@pytest.mark.parametrize(
    ("ago_first", "ago_second", "expected"),
    [(59, 61, 1), (60, 10, 0), (5, 3, 0), (3, 5, 1)],
    ids=["59-days-is-too-soon", "60-days-is-fine", "lru-first", "lru-second"],
)
def test_sixty_days_between_repeats(couple, ago_first, ago_second, expected):
    prompts = only_these_active(LIGHT, 2)
    for prompt, ago in zip(prompts, (ago_first, ago_second), strict=True):
        PromptAssignment.objects.create(
            couple=couple.couple, local_date=DAY - dt.timedelta(days=ago), prompt=prompt
        )
    assert prompt_for_day(user=couple.a, local_date=DAY) == prompts[expected]


def test_a_prompt_given_the_next_day_counts_as_recent(couple):
    """Yesterday's prompt is assigned late (an answer for yesterday, written today): it
    still differs from today's."""
    only_these_active(LIGHT, 2)
    today = prompt_for_day(user=couple.a, local_date=DAY)
    assert prompt_for_day(user=couple.a, local_date=DAY - dt.timedelta(days=1)) != today


def test_a_person_alone_does_not_get_the_same_prompt_twice_within_sixty_days(db):
    solo = UserFactory()
    given = [prompt_for_day(user=solo, local_date=DAY + dt.timedelta(days=n)) for n in range(50)]
    assert len({p.pk for p in given}) == 50


def test_different_couples_on_the_same_day_get_varied_prompts(db):
    people = [pair()[1] for _ in range(6)]
    assert len({prompt_for_day(user=p, local_date=DAY).pk for p in people}) > 1


def test_inactive_prompts_are_never_chosen(couple):
    kept = only_these_active(LIGHT, 1)[0]
    for n in range(5):
        assert prompt_for_day(user=couple.a, local_date=DAY + dt.timedelta(days=n)) == kept


def test_a_depth_with_nothing_active_falls_back_to_a_lighter_one(couple):
    opt_in(couple.a, couple.b)
    for day in days_before(DAY, 7):
        answer(couple.a, day, MEDIUM)
        answer(couple.b, day, MEDIUM)
    Prompt.objects.filter(depth__in=[DEEP, MEDIUM]).update(is_active=False)
    assert prompt_for_day(user=couple.a, local_date=DAY).depth == LIGHT


def test_with_no_active_prompt_at_all_the_answer_is_a_clear_404(couple):
    Prompt.objects.update(is_active=False)
    response = client_for(couple.a).get(URL)
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "no_prompt_available"


def test_a_racing_partner_who_assigned_first_wins(couple, monkeypatch):
    """The row the other partner inserted a moment earlier stands (the unique constraint
    decides); the slower request returns it instead of failing."""
    from checkins import prompts

    winner, loser = only_these_active(LIGHT, 2)
    real_choose = prompts._choose

    def choose_after_the_partner_won(candidates, **kwargs):
        PromptAssignment.objects.create(couple=couple.couple, local_date=DAY, prompt=winner)
        real_choose(candidates, **kwargs)
        return loser

    monkeypatch.setattr(prompts, "_choose", choose_after_the_partner_won)
    assert prompt_for_day(user=couple.b, local_date=DAY) == winner
    assert PromptAssignment.objects.get(couple=couple.couple).prompt == winner


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_partners_opening_the_app_at_once_get_one_prompt_and_store_none():
    _couple, a, b = pair()
    barrier = threading.Barrier(2)
    results: dict = {}
    phones = {person.pk: client_for(person) for person in (a, b)}

    def ask(person):
        try:
            barrier.wait()
            results[person.pk] = phones[person.pk].get(URL)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(p,)) for p in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results.values()] == [200, 200]
    assert results[a.pk].json() == results[b.pk].json()
    assert PromptAssignment.objects.count() == 0


# --- The endpoint -----------------------------------------------------------------------------


def test_prompts_today_for_a_signed_in_person(couple, stranger_client):
    response = couple.client_a.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "text", "depth", "theme"}
    assert body["depth"] == LIGHT and body["theme"] in Prompt.Theme.values and body["text"]
    assert couple.client_b.get(URL).json() == body
    assert stranger_client.get(URL).status_code == 200  # no couple needed


def test_prompts_today_needs_sign_in(api_client):
    assert api_client.get(URL).status_code == 401


def test_prompts_today_query_budget(couple, django_assert_max_num_queries):
    opt_in(couple.a, couple.b)
    for day in days_before(today_for(couple.a), 7):  # enough history to ask the opt-ins
        answer(couple.a, day, MEDIUM)
        answer(couple.b, day, MEDIUM)
    # Session and user, couple and partner, the week's check-ins with the opt-ins, and
    # today's prompt (the stored one, or the candidates with their last use): nothing stored.
    with django_assert_max_num_queries(5):
        first = couple.client_a.get(URL)
    assert first.status_code == 200
    assert not PromptAssignment.objects.exists()
    with django_assert_max_num_queries(5):
        later = couple.client_b.get(URL)
    assert later.json() == first.json()


# --- The admin --------------------------------------------------------------------------------


def test_a_coach_can_curate_the_library_in_the_admin(db):
    # A transactional test elsewhere on this worker may have flushed the permission rows
    # `migrate` made: the prompt's own four are put back (as `migrate` makes them) first.
    ContentType.objects.clear_cache()
    prompt_type = ContentType.objects.get_for_model(Prompt)
    for action in ("view", "add", "change", "delete"):
        Permission.objects.get_or_create(
            content_type=prompt_type,
            codename=f"{action}_prompt",
            defaults={"name": f"Can {action} prompt"},
        )
    coach = UserFactory(is_staff=True)
    coach.user_permissions.set(
        Permission.objects.filter(content_type__app_label="checkins", codename__endswith="_prompt")
    )
    client = Client()
    client.force_login(coach)
    listing = client.get(
        "/admin/checkins/prompt/", {"depth__exact": DEEP, "theme__exact": "space", "q": "space"}
    )
    assert listing.status_code == 200
    shown = listing.context["cl"].result_list
    assert shown and all(p.depth == DEEP and p.theme == "space" for p in shown)
    prompt = shown[0]
    assert client.get(f"/admin/checkins/prompt/{prompt.pk}/change/").status_code == 200
    # Retiring is "inactive", never a delete: dates it was given keep it.
    assert client.get(f"/admin/checkins/prompt/{prompt.pk}/delete/").status_code == 403
    assert client.get("/admin/checkins/promptassignment/").status_code == 403


def test_assignments_are_read_only_in_the_admin(couple, admin_client):
    prompt_for_day(user=couple.a, local_date=DAY)
    assignment = PromptAssignment.objects.get()
    assert admin_client.get("/admin/checkins/promptassignment/").status_code == 200
    assert admin_client.get("/admin/checkins/promptassignment/add/").status_code == 403
    page = admin_client.get(f"/admin/checkins/promptassignment/{assignment.pk}/change/")
    assert page.status_code == 200
    assert b'name="prompt"' not in page.content


def test_the_shuffle_ranks_each_prompt_by_the_digest_of_owner_date_and_id(db):
    """The rank the seeded shuffle gives a prompt is the SHA-256 of `owner|date|id`, however
    it is computed: a change here would change a day's prompt between what the home screen
    showed and what the write stores."""
    day = dt.date(2026, 11, 30)
    rank = _shuffle_ranks("couple:c0ffee", day)
    prompts = list(Prompt.objects.all()[:40])
    assert len(prompts) == 40
    for prompt in prompts:
        whole = hashlib.sha256(f"couple:c0ffee|2026-11-30|{prompt.pk}".encode()).digest()
        assert rank(prompt) == whole
    chosen = _choose(prompts, last_used={}, owner_key="couple:c0ffee", on=day)
    by_digest = min(
        prompts,
        key=lambda p: hashlib.sha256(f"couple:c0ffee|2026-11-30|{p.pk}".encode()).digest(),
    )
    assert chosen == by_digest
    assert _shuffle_ranks("person:1", day)(prompts[0]) != rank(prompts[0])


def _choose_by_digest(candidates, *, last_used, owner_key, on):
    """How `_choose` decides, written out: the free prompt with the smallest digest, else
    the least recently used one, the smallest digest among equals."""

    def digest(prompt):
        return hashlib.sha256(f"{owner_key}|{on.isoformat()}|{prompt.pk}".encode()).digest()

    free = [
        p for p in candidates if p.pk not in last_used or abs((on - last_used[p.pk]).days) >= 60
    ]
    if free:
        return min(free, key=digest)
    return min(candidates, key=lambda p: (last_used[p.pk], digest(p)))


def test_the_kept_shuffle_chooses_as_ranking_afresh_would(db):
    """`_choose` keeps each owner's and date's order (`_shuffled`): every choice, the first
    for an owner and date and each one after it, free or all used lately, is the one the
    digests give, and a library read again (new instances, one prompt fewer) is ranked
    afresh."""
    rng = random.Random(17)
    library = list(Prompt.objects.all()[:60])
    assert len(library) == 60
    days = [DAY + dt.timedelta(days=offset) for offset in range(4)]
    for owner in ("couple:c0ffee", "person:beef"):
        for on in days:
            for lately in (False, True) * 3:  # the same owner and date again: the kept order
                # Lately: every prompt used within days, many on the same day (ties).
                span = 5 if lately else 120
                count = 60 if lately else rng.choice([0, 10, 59, 60])
                used = {
                    p.pk: on - dt.timedelta(days=rng.randrange(0, span))
                    for p in rng.sample(library, count)
                }
                args = {"last_used": used, "owner_key": owner, "on": on}
                assert _choose(library, **args) == _choose_by_digest(library, **args)

    read_again = list(Prompt.objects.all()[:60])[1:]
    assert read_again[0] is not library[1] and read_again[0].pk == library[1].pk
    args = {"last_used": {library[0].pk: DAY}, "owner_key": "couple:c0ffee", "on": DAY}
    made = _shuffled.cache_info().misses
    assert _choose(read_again, **args) == _choose_by_digest(read_again, **args)
    assert _shuffled.cache_info().misses == made + 1
