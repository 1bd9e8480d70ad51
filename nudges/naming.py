"""Names in stored words, rendered when read. An inbox row keeps "%(actor)s" where the person
who caused it is named (nudges.inbox.nudge_copy with `name_at_read`); whoever reads it gets
the name as it is now: the partner's display name while together, "your former partner"
after any end (couples registers that with nudges.kinds.register_relation), so no
table keeps anyone's name and a deletion reads like any end. Imports no channel, so the
inbox, the channels and the serializers can all use it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nudges.models import Notification, Nudge

ACTOR_PLACEHOLDER = "%(actor)s"


def notification_text(
    notification: Notification,
    text: str,
    names: dict[Any, str] | Callable[[], dict[Any, str]],
    *,
    nudge: Nudge | None = None,
) -> str:
    """A stored title or body as its reader sees it now: the person who caused it is named
    by what they are to the reader today (`names`, from nudges.kinds.relation_names), else by
    their display name. `names` may be a function giving them, called only when the text
    names someone: a page of Haven's own reminders names no one and reads nothing more
    (issue 17). `nudge` saves a query when the caller has it loaded already."""
    if not notification.names_at_read:
        return text
    nudge = nudge or notification.nudge
    actor = nudge.actor if nudge is not None else None
    if actor is None:
        name = ""
    else:
        known = names() if callable(names) else names
        name = known.get(actor.pk, actor.display_name)
    try:
        return text % {"actor": name}
    except (KeyError, ValueError, TypeError):
        return text
