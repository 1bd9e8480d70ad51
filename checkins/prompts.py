"""Today's prompt: one question per calendar date, the same for both partners of a couple
(or, before pairing, for the person alone), chosen once and never changed.

How deep: pacing
----------------
The depth follows how the couple has been answering lately, so nobody is handed a heavy
question out of the blue, and it eases off by itself when answers thin out. It looks at
the 7 dates before the date being assigned and counts the *answered* ones:

- in a couple, a date counts when **both** partners answered that date's prompt and kept
  the answer shared. The pace is the pace of whoever answers less, so one partner's
  enthusiasm never pulls the other deeper, and the count uses only what each partner
  can already see of the other (a shared answer is revealed to someone who answered too);
- alone, a date counts when the person answered.

================================  ==========================================================
answered dates among the last 7   depth of the new date's prompt
================================  ==========================================================
0, 1 or 2                         light (where everyone starts)
3 or 4                            medium
5, 6 or 7                         deep, if deep is allowed and at least one of those answered
                                  dates had a medium prompt; otherwise medium
================================  ==========================================================

Deep is allowed only when both partners opted in (`CheckinSettings.deeper_prompts`; no
settings row means no); alone, when the person opted in. The "one medium" condition means
a run of deep dates always has a medium one within each week: a breather. Because the window
moves one date at a time, the count changes by at most one per date, so a couple whose
answers thin out steps down a level at a time (deep, medium, light), never from deep to
light at once. Skipping or passing costs nothing except that the questions stay light.

Which prompt
------------
Only active prompts of the chosen depth (if a coach has left none active at that depth,
the next lighter one). A prompt the couple (or person) was given on a date less than
`REPEAT_GAP_DAYS` away is not given again while another one is free; among the free ones
the pick is a shuffle seeded by the couple (or person) and the date, so it varies from day
to day and couple to couple yet is reproducible (two partners racing to open the app
compute the same one). When every prompt was used within the gap, the least recently used
one comes back.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound

from accounts.models import User
from checkins.library import prompt_library
from checkins.models import CheckIn, CheckinSettings, Prompt, PromptAssignment
from checkins.models.checkins import CheckInQuerySet, prompts_from_library
from common.compiled import CompiledLookup
from common.models import row_or_default
from couples.models import Couple
from couples.selectors import couple_and_partner_of

PACING_WINDOW_DAYS = 7
MEDIUM_FROM_ANSWERED = 3
DEEP_FROM_ANSWERED = 5
REPEAT_GAP_DAYS = 60

_LIGHTER = {
    Prompt.Depth.DEEP: Prompt.Depth.MEDIUM,
    Prompt.Depth.MEDIUM: Prompt.Depth.LIGHT,
    Prompt.Depth.LIGHT: None,
}


class NoPromptAvailable(NotFound):
    """Only when the library has no active prompt light enough: an operator's matter."""

    default_detail = gettext_lazy("There is no prompt for today.")
    default_code = "no_prompt_available"


def prompt_for_day(*, user: User, local_date: dt.date) -> Prompt:
    """The prompt of `local_date` for the person's active couple (both partners get the
    same one, whatever their time zones) or for the person alone, stored: once stored, that
    date keeps it. The app's own two steps in one call, for the tests of pacing and picking
    and for scripts: `prompt_of_day` reads (what a screen shows), `prompt_assignment_store`
    stores (what a check-in that answers does under its write lock).
    The caller decides which date is "today" (the person's own time zone)."""
    pair = couple_and_partner_of(user)
    couple = pair[0] if pair is not None else None
    members = [user, pair[1]] if pair is not None else [user]
    library = prompt_library()
    recent = pacing_week(members, up_to=local_date, library=library)
    prompt, stored = prompt_of_day(
        user=user, couple=couple, local_date=local_date, recent=recent, library=library
    )
    if stored:
        return prompt
    prompt_assignment_store(user=user, couple=couple, local_date=local_date, prompt=prompt)
    # Should a partner (or a second phone) have stored one a moment earlier, theirs stands.
    return (
        PromptAssignment.objects.filter(_owner(couple, user), local_date=local_date)
        .select_related("prompt")
        .get()
        .prompt
    )


# What no reader of the pacing week's authors ever reads (the prompt's pace, the home screen,
# the bridge, the write's notifications read names, languages, time zones, settings and
# profiles): left in PostgreSQL. The same author rides on every one of the week's rows, so
# these were ~64 moments parsed per home screen (issue 17). Reading one would cost a query
# per row, which the pinned query budgets of the home screen and the write would catch.
_AUTHOR_COLUMNS_UNREAD = (
    "author__password",
    "author__last_login",
    "author__date_joined",
    "author__updated_at",
    "author__checkin_settings__updated_at",
)


def _pacing_week_query(*, pair: bool, profiles: bool) -> Callable[..., CheckInQuerySet]:
    related = ["author__checkin_settings"]
    if profiles:
        related += ["author__love_languages", "author__preferences"]

    def build(me: Any, since: dt.date, until: dt.date, partner: Any = None) -> CheckInQuerySet:
        rows: CheckInQuerySet = (
            CheckIn.objects.filter(
                author_id__in=[me, partner] if pair else [me],
                local_date__gte=since,
                local_date__lte=until,
            )
            .select_related(*related)
            .defer(*_AUTHOR_COLUMNS_UNREAD)
        )
        # The partner's rows of the week come without their private notes.
        return rows.with_acknowledgements().private_notes_of(me)

    return build


def _pacing_week_lookup(*, pair: bool, profiles: bool) -> CompiledLookup:
    people = {"me": User._meta.pk, **({"partner": User._meta.pk} if pair else {})}
    day = CheckIn._meta.get_field("local_date")
    return CompiledLookup(
        f"pacing_week_{'pair' if pair else 'alone'}{'_profiles' if profiles else ''}",
        _pacing_week_query(pair=pair, profiles=profiles),
        since=day,
        until=day,
        **people,
    )


# Composed once per database connection (common.compiled): the home screen and every
# check-in write read it.
_PACING_WEEK = {
    (pair, profiles): _pacing_week_lookup(pair=pair, profiles=profiles)
    for pair in (False, True)
    for profiles in (False, True)
}


def pacing_week(
    members: Sequence[Any],
    *,
    up_to: dt.date,
    profiles: bool = False,
    library: Mapping[uuid.UUID, Prompt] | None = None,
) -> list[CheckIn]:
    """The members' check-ins (one person, or both partners) of the pacing week before
    `up_to` and of `up_to` itself, with what `prompt_of_day` reads of them (the prompt, the
    authors' opt-ins) and each one's reactions (`with_acknowledgements`): the `recent` it
    takes. The home screen and the check-in write read the same rows for their own use;
    with `profiles`, the authors' love languages and preferences too (the bridge's). Pass
    the `library` the request already holds (`prompt_library()`) to read it once."""
    since = up_to - dt.timedelta(days=PACING_WINDOW_DAYS)
    return _members_checkins(members, since=since, until=up_to, profiles=profiles, library=library)


def checkins_of_day(
    members: Sequence[Any],
    *,
    day: dt.date,
    profiles: bool = False,
    library: Mapping[uuid.UUID, Prompt] | None = None,
) -> list[CheckIn]:
    """The members' check-ins of `day` alone, read as `pacing_week` reads them (the same
    statement, one day wide): what a check-in write or the home screen needs unless the day's
    prompt is still to be chosen, which takes the whole week (`prompt_of_day`)."""
    return _members_checkins(members, since=day, until=day, profiles=profiles, library=library)


def _members_checkins(
    members: Sequence[Any],
    *,
    since: dt.date,
    until: dt.date,
    profiles: bool,
    library: Mapping[uuid.UUID, Prompt] | None,
) -> list[CheckIn]:
    ids = [getattr(member, "pk", member) for member in members]
    values = {"me": ids[0], "since": since, "until": until}
    if len(ids) == 2:
        values["partner"] = ids[1]
    rows = cast(list[CheckIn], _PACING_WEEK[(len(ids) == 2, profiles)].all(**values))
    prompts_from_library(rows, library=library)
    return rows


def _recent_assignments_query(*, couple: bool) -> Callable[..., QuerySet]:
    def build(owner: Any, after: dt.date) -> QuerySet:
        owned = Q(couple_id=owner) if couple else Q(user_id=owner)
        return PromptAssignment.objects.filter(owned, local_date__gt=after).values_list(
            "prompt_id", "local_date"
        )

    return build


# Composed once per database connection (common.compiled): the home screen and every
# check-in write read a couple's (or a person's) prompt dates.
_RECENT_ASSIGNMENTS = {
    couple: CompiledLookup(
        f"recent_prompt_assignments_{'couple' if couple else 'person'}",
        _recent_assignments_query(couple=couple),
        owner=(Couple if couple else User)._meta.pk,
        after=PromptAssignment._meta.get_field("local_date"),
    )
    for couple in (False, True)
}


@dataclass(frozen=True)
class RecentPrompts:
    """The owner's (couple's, or person's alone) prompt dates from `REPEAT_GAP_DAYS` before a
    date on: the prompt stored for the date itself, if any, and each prompt's last use."""

    stored: uuid.UUID | None
    last_used: dict[uuid.UUID, dt.date]


def recent_prompts(*, user: User, couple: Couple | None, local_date: dt.date) -> RecentPrompts:
    """One query: the owner's dates of the last `REPEAT_GAP_DAYS` (and any later), which
    hold the date's stored prompt and every recent use (`prompt_of_day`). Read first, it
    tells a caller whether the day's prompt is still to be chosen, and so whether the
    pacing week is needed at all."""
    # A prompt given on none of these dates was last used REPEAT_GAP_DAYS ago or more (or
    # never): free, whichever it was. For the others, the latest of these is the last use.
    last_used: dict[uuid.UUID, dt.date] = {}
    stored = None
    lookup = _RECENT_ASSIGNMENTS[couple is not None]
    owner_id = couple.pk if couple is not None else user.pk
    after = local_date - dt.timedelta(days=REPEAT_GAP_DAYS)
    for prompt_id, day in lookup.all(owner=owner_id, after=after):
        if day == local_date:
            stored = prompt_id
        if day > last_used.get(prompt_id, dt.date.min):
            last_used[prompt_id] = day
    return RecentPrompts(stored=stored, last_used=last_used)


def prompt_of_day(
    *,
    user: User,
    couple: Couple | None,
    local_date: dt.date,
    recent: Iterable[CheckIn],
    library: Mapping[uuid.UUID, Prompt] | None = None,
    prompts: RecentPrompts | None = None,
) -> tuple[Prompt, bool]:
    """The prompt of `local_date` for this couple (or for the person alone, without one),
    read and never written: the stored one, or else the one `prompt_for_day` would store
    now, from the same data. Returns (prompt, stored). `prompts` is what `recent_prompts`
    read for this owner and date (read here when not given: one query). `recent` holds the
    members' check-ins of at least the pacing window before the date (other dates are
    ignored), as `pacing_week` reads them (prompts and the authors' settings loaded), so
    pacing costs no query of its own; a caller that knows the date's prompt is stored may
    pass fewer, as they are then not read. The prompts come from the library this process
    holds (`checkins.library`), or the `library` the request already read."""
    if prompts is None:
        prompts = recent_prompts(user=user, couple=couple, local_date=local_date)
    library = library if library is not None else prompt_library()
    if prompts.stored is not None:
        # Added a moment ago in another process and not yet in this one's library: read it.
        return library.get(prompts.stored) or Prompt.objects.get(pk=prompts.stored), True
    depth: str | None = _paced_depth(
        list(recent), local_date=local_date, members=2 if couple is not None else 1
    )
    key = _owner_key(couple, user)
    while depth is not None:  # lighter, if coaches left no active prompt at this depth
        candidates = [p for p in library.values() if p.is_active and p.depth == depth]
        if candidates:
            chosen = _choose(candidates, last_used=prompts.last_used, owner_key=key, on=local_date)
            return chosen, False
        depth = _LIGHTER[Prompt.Depth(depth)]
    raise NoPromptAvailable()


def prompt_assignment_store(
    *, user: User, couple: Couple | None, local_date: dt.date, prompt: Prompt
) -> None:
    """Store the date's prompt as `prompt_of_day` read it. The caller holds the lock that
    serialises the owner's check-in writes (the couple row, or the person's own row alone),
    so no other check-in can store one meanwhile; should anything else have stored one
    first, that one stands (ON CONFLICT DO NOTHING)."""
    PromptAssignment.objects.bulk_create(
        [
            PromptAssignment(
                couple=couple,
                user=None if couple is not None else user,
                local_date=local_date,
                prompt=prompt,
            )
        ],
        ignore_conflicts=True,
    )


def prompt_depth_for(*, members: list[User], local_date: dt.date) -> str:
    """The pacing table of this module's docstring, for one person or both partners, read
    from the rows the home screen and the check-in write read (`pacing_week`)."""
    return _paced_depth(
        pacing_week(members, up_to=local_date), local_date=local_date, members=len(members)
    )


def _paced_depth(recent: Iterable[CheckIn], *, local_date: dt.date, members: int) -> str:
    return _depth_of(
        _answers_in(recent, local_date=local_date, couple=members > 1),
        members=members,
        deeper_allowed=lambda: _all_opted_in(recent, members=members),
    )


def _answers_in(
    recent: Iterable[CheckIn], *, local_date: dt.date, couple: bool
) -> list[tuple[dt.date, uuid.UUID, str | None]]:
    """The answered prompts of the pacing window: shared ones only in a couple (what a
    partner keeps to themselves does not move the couple's pace)."""
    since = local_date - dt.timedelta(days=PACING_WINDOW_DAYS)
    return [
        (c.local_date, c.author_id, c.prompt.depth if c.prompt is not None else None)
        for c in recent
        if since <= c.local_date < local_date
        and not c.passed
        and c.prompt_answer != ""
        and (c.is_shared or not couple)
    ]


def _all_opted_in(recent: Iterable[CheckIn], *, members: int) -> bool:
    """Every member opted in to deeper prompts (a person who never saved settings has not),
    over the authors loaded with the check-ins. Asked only when
    every member answered on five dates of the week, so every member is among them."""
    authors = {c.author_id: c.author for c in recent}
    opted_in = sum(
        row_or_default(author, "checkin_settings", CheckinSettings, user=author).deeper_prompts
        for author in authors.values()
    )
    return len(authors) == members and opted_in == members


def _depth_of(
    answers: Iterable[tuple[dt.date, uuid.UUID, str | None]],
    *,
    members: int,
    deeper_allowed: Callable[[], bool],
) -> str:
    authors_by_date: dict[dt.date, set[uuid.UUID]] = defaultdict(set)
    depth_by_date: dict[dt.date, str | None] = {}
    for day, author_id, depth in answers:
        authors_by_date[day].add(author_id)
        depth_by_date[day] = depth
    answered = [day for day, authors in authors_by_date.items() if len(authors) == members]

    if len(answered) < MEDIUM_FROM_ANSWERED:
        return Prompt.Depth.LIGHT
    if len(answered) < DEEP_FROM_ANSWERED:
        return Prompt.Depth.MEDIUM
    had_medium = any(depth_by_date[day] == Prompt.Depth.MEDIUM for day in answered)
    if had_medium and deeper_allowed():
        return Prompt.Depth.DEEP
    return Prompt.Depth.MEDIUM


def _owner(couple: Couple | None, user: User) -> Q:
    return Q(couple=couple) if couple is not None else Q(user=user)


def _owner_key(couple: Couple | None, user: User) -> str:
    return f"couple:{couple.pk}" if couple is not None else f"person:{user.pk}"


def _shuffle_ranks(owner_key: str, on: dt.date) -> Callable[[Prompt], bytes]:
    """The seeded shuffle's rank of each prompt for one owner and date: the SHA-256 of
    `owner|date|prompt id`. The prefix `owner|date|` is hashed once and each prompt's id
    added to a copy (SHA-256 is a stream: the digest is the same as hashing it whole), as
    the home screen ranks ~60 prompts per request (issue 17)."""
    prefix = hashlib.sha256(f"{owner_key}|{on.isoformat()}|".encode()).copy

    def rank(prompt: Prompt) -> bytes:
        digest = prefix()
        digest.update(_id_text(prompt.pk))
        return digest.digest()

    return rank


@functools.lru_cache(maxsize=4096)
def _id_text(pk: uuid.UUID) -> bytes:
    """A prompt id as the shuffle hashes it (its text, UTF-8), written once per process: the
    library's ids are few and the home screen ranks ~60 of them on every call."""
    return str(pk).encode()


def _choose(
    candidates: Sequence[Prompt],
    *,
    last_used: Mapping[uuid.UUID, dt.date],
    owner_key: str,
    on: dt.date,
) -> Prompt:
    """Among candidates, with the last date each was used (`prompt_of_day`): a free one by
    the seeded shuffle, else the least recently used (the shuffle breaking ties)."""
    order = _shuffled(owner_key, on, _TheseObjects(tuple(candidates)))
    for prompt in order:
        used = last_used.get(prompt.pk)
        if used is None or abs((on - used).days) >= REPEAT_GAP_DAYS:
            return prompt
    place = {id(prompt): index for index, prompt in enumerate(order)}
    return min(candidates, key=lambda p: (last_used[p.pk], place[id(p)]))


# How many (owner, date) shuffles a process keeps: a home screen ranked ~60 prompts by
# SHA-256 on every call, 13% of its instructions (issue 17). ~1 KB each.
SHUFFLES_KEPT = 2048


@functools.lru_cache(maxsize=SHUFFLES_KEPT)
def _shuffled(owner_key: str, on: dt.date, candidates: _TheseObjects) -> tuple[Prompt, ...]:
    """The candidates in the seeded shuffle's order for one owner and date. What is kept is
    prompt ids in an order that depends on the owner's id, the date and the ids alone
    (reference data; nothing anyone wrote or did), for the very prompt instances of the
    library this process holds: a library read again is new instances, ranked afresh."""
    return tuple(sorted(candidates.items, key=_shuffle_ranks(owner_key, on)))


class _TheseObjects:
    """A tuple of objects as a key that is equal only to the very same objects in the same
    order (compared and hashed by identity, so no prompt's id is hashed as a UUID again).
    The key holds its objects, so an identity it was made with is never reused while it
    lives."""

    __slots__ = ("_hash", "items")

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items
        self._hash = hash(tuple(map(id, items)))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _TheseObjects)
            and len(other.items) == len(self.items)
            and all(mine is theirs for mine, theirs in zip(self.items, other.items, strict=True))
        )
