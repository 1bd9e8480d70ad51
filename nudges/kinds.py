"""The kinds of nudge, registered at start-up by the app that owns each one.

`nudges` never imports `couples` or `checkins`, and never names their kinds: they call
`register_kind` (and `register_hold`) from their AppConfig.ready, handing over the words, the
bulk checks and the properties the policy reads (`backs_off`, `allowed_while_space`,
`passes_space_hold`), so the decision of whether and when to contact someone stays here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    # For the type checker only: nudges.models imports this module (the registered default
    # of NudgeSettings.space_allowed_kinds), so importing it back at run time would be a cycle.
    from django.db.models import Q

    from nudges.models import Nudge

RELAYED = "relayed"
ENGAGEMENT = "engagement"

# Who is due today, for a planned kind: [(user_id, local_date)] → [(user_id, subject_id,
# actor_id or None)]. One bulk call per planner minute, never a query per person.
Planner = Callable[[Sequence[tuple[uuid.UUID, dt.date]]], list[tuple[uuid.UUID, uuid.UUID, Any]]]
# Which of these pending nudges still matter ("has not checked in that day yet").
StillRelevant = Callable[[Sequence["Nudge"]], set[uuid.UUID]]
# Extra words for the copy, per nudge id ({"language": "words of affirmation"}).
CopyContext = Callable[[Sequence["Nudge"]], dict[uuid.UUID, dict[str, Any]]]
# Who is holding their nudges (taking space), until when: user ids → {user_id: until}.
Hold = Callable[[Sequence[uuid.UUID], dt.datetime], dict[uuid.UUID, dt.datetime]]
# Which of these pending nudges must never reach their recipient, whatever their kind (the
# recipient is leaving a couple and the nudge comes from it): they are dropped at delivery.
Withhold = Callable[[Sequence["Nudge"]], set[uuid.UUID]]


@dataclass(frozen=True)
class NudgeKind:
    """One kind of nudge. Titles and bodies are lazy translations formatted with
    %(actor)s (the partner's display name) and whatever `context` adds; they never carry
    anything a person wrote."""

    name: str
    nudge_class: str
    title: str | Promise
    body: str | Promise
    # Engagement kinds the planner creates at the person's preferred check-in time.
    planner: Planner | None = None
    still_relevant: StillRelevant | None = None
    context: CopyContext | None = None
    # An engagement nudge for one day only: dropped rather than carried into the next.
    same_day_only: bool = False
    # Lower goes first when two engagement nudges compete for one day's cap.
    priority: int = 50
    # Planned on one weekday per person (spread by id) rather than every day.
    weekly: bool = False
    # The person's own signal (a space check-back): never held while they take space, whatever
    # their list of kinds allowed then says.
    passes_space_hold: bool = False
    # On everyone's list of kinds allowed while taking space until they change it (the default
    # of NudgeSettings.space_allowed_kinds): what they asked for themselves, like a
    # conversation at a time they chose.
    allowed_while_space: bool = False
    # Backs off while it goes unanswered (policy.BACK_OFF_STEPS): each one sent counts on the
    # person's settings row, and the owning app resets the count when they answer
    # (services.nudges_back_off_reset).
    backs_off: bool = False
    # Reaches the in-app inbox only, never push or email, whatever the person's channels.
    inbox_only: bool = False
    # The words for what waited out a hold (the recipient took space): one or several of this
    # kind from one person arrive then as ONE notification in these words, formatted like
    # `title` and `body` and never with a count ("Alex thought of you while you had space").
    # Without them, each held nudge arrives on its own in the usual words.
    held_title: str | Promise | None = None
    held_body: str | Promise | None = None

    @property
    def is_engagement(self) -> bool:
        return self.nudge_class == ENGAGEMENT

    @property
    def arrives_as_one_after_a_hold(self) -> bool:
        return self.held_title is not None and self.held_body is not None


# Who the people an inbox names are to its reader now, in words rendered at read time
# (registered by `couples`): reader → {user id: words}, e.g. every former partner →
# "your former partner". An inbox never keeps a stored name (nudges.inbox).
RelationNames = Callable[[Any], dict[Any, str]]
# The same rule as a condition in SQL: for the reader's id and an expression naming a
# person's id (an `OuterRef`), true exactly when the relation's words name that person.
RelationCondition = Callable[[Any, Any], "Q"]


@dataclass(frozen=True)
class Relation:
    """What an app calls some people to a reader, rendered when read: `names(reader)` gives
    {user id: words} (an export, a channel naming someone now), and `holds(reader id,
    person)` is the same rule as a condition in SQL, so an inbox page reads it beside each
    row's actor in its one statement (`nudges.selectors`; issue 17). `words` is what the
    relation calls a person it holds for, a lazy text rendered in the reader's language."""

    names: RelationNames
    holds: RelationCondition
    words: Promise


_kinds: dict[str, NudgeKind] = {}
_holds: list[Hold] = []
_relations: list[Relation] = []
_withholds: list[Withhold] = []
# Every registered kind's name, sorted: the OpenAPI enum of kinds (filled at start-up).
KIND_NAMES: list[str] = []


def register_kind(kind: NudgeKind) -> None:
    """Called once per kind from the owning app's ready(). Registering a name again
    replaces it (an app reloaded), unless it would change the kind's class."""
    existing = _kinds.get(kind.name)
    if existing is not None and existing.nudge_class != kind.nudge_class:
        raise ValueError(f"nudge kind {kind.name!r} is registered twice")
    _kinds[kind.name] = kind
    KIND_NAMES[:] = sorted(_kinds)


def register_hold(hold: Hold) -> None:
    if hold not in _holds:
        _holds.append(hold)


def register_withhold(withhold: Withhold) -> None:
    if withhold not in _withholds:
        _withholds.append(withhold)


def withholds() -> list[Withhold]:
    return list(_withholds)


def kind_named(name: str) -> NudgeKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"unknown nudge kind {name!r}: register it first") from None


def is_inbox_only(name: str) -> bool:
    kind = _kinds.get(name)
    return kind is not None and kind.inbox_only


def all_kinds() -> list[NudgeKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.priority, kind.name))


def planned_kinds() -> list[NudgeKind]:
    return [kind for kind in all_kinds() if kind.planner is not None]


def space_allowed_by_default() -> list[str]:
    """The kinds registered as allowed while taking space, sorted: a new person's list."""
    return sorted(kind.name for kind in _kinds.values() if kind.allowed_while_space)


def holds() -> list[Hold]:
    return list(_holds)


def register_relation(relation: Relation) -> None:
    if relation not in _relations:
        _relations.append(relation)


def relations() -> list[Relation]:
    return list(_relations)


def relation_names(viewer: Any) -> dict[Any, str]:
    """What each registered app calls people, for `viewer`: {user id: words}."""
    merged: dict[Any, str] = {}
    for relation in _relations:
        merged.update(relation.names(viewer))
    return merged
