"""Boundaries: what a person needs, their limits, their non-negotiables. Only the owner
writes them; their partner may read the shared ones and say "I've read this"."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from accounts.localtime import local_today
from accounts.models import User
from common.errors import ApplicationError, ConflictError
from common.sync import tombstones_clear, tombstones_record
from couples.models import Boundary, BoundaryAcknowledgement, BoundaryRevision
from couples.selectors import boundaries_visible_to, couple_and_partner_of
from couples.services.leaving import leaving_writes_guard


class BoundaryChanges(TypedDict, total=False):
    kind: str
    text: str
    visibility: str
    revisit_on: dt.date | None


EDITABLE_FIELDS = frozenset(BoundaryChanges.__annotations__)


def _partner_of(user: User) -> User | None:
    pair = couple_and_partner_of(user)
    return pair[1] if pair is not None else None


def _revisit_on_check(*, owner: User, revisit_on: dt.date | None) -> None:
    """A revisit date is a day still ahead in the owner's own calendar: the server decides
    what "today" is, in the owner's time zone (DESIGN, principle 5)."""
    if revisit_on is None:
        return
    today = local_today(owner)
    if revisit_on <= today:
        raise ApplicationError(
            _("Choose a revisit date after today."),
            code="revisit_on_not_in_future",
            attr="revisit_on",
        )


def _revision_write(boundary: Boundary) -> BoundaryRevision:
    return BoundaryRevision.objects.create(
        boundary=boundary,
        version=boundary.version,
        kind=boundary.kind,
        text=boundary.text,
        visibility=boundary.visibility,
        revisit_on=boundary.revisit_on,
    )


def _owner_only(boundary: Boundary, editor: User) -> None:
    """Only the owner changes a boundary. A partner who can see it is told plainly that it
    is not theirs (403); anyone else gets the answer an unknown id gets (404)."""
    if boundary.owner_id == editor.pk:
        return
    if boundaries_visible_to(editor).filter(pk=boundary.pk).exists():
        raise ApplicationError(
            _("Only the person who set this boundary can change it."),
            code="not_owner",
            status_code=403,
        )
    raise NotFound()


def boundary_create(
    *,
    owner: User,
    kind: str,
    text: str,
    visibility: str = Boundary.Visibility.PRIVATE,
    revisit_on: dt.date | None = None,
) -> Boundary:
    """A person sets a boundary for themselves, paired or not; it is private unless they
    share it. Version 1 is written to the history at once, so the history is whole."""
    _revisit_on_check(owner=owner, revisit_on=revisit_on)
    if visibility == Boundary.Visibility.SHARED:
        leaving_writes_guard(user=owner)
    with transaction.atomic():
        boundary = Boundary.objects.create(
            owner=owner, kind=kind, text=text, visibility=visibility, revisit_on=revisit_on
        )
        _revision_write(boundary)
    return boundary


def boundary_update(
    *, boundary: Boundary, editor: User, **changes: Unpack[BoundaryChanges]
) -> Boundary:
    """The owner rewords, re-kinds, re-dates or re-shares a boundary. Any real change is a
    new version with its own revision, and the partner's "I've read this" applies to the
    version they read, so it resets. A change that changes nothing writes nothing.

    Sharing changes what the partner's phone may hold: made private, its id goes to the
    partner's sync `removed`; shared again, it syncs as an ordinary update."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        # Locked: two edits (or an edit and an acknowledgement) never share a version.
        boundary = Boundary.objects.select_for_update(no_key=True).get(pk=boundary.pk)
        _owner_only(boundary, editor)
        if boundary.retired_at is not None:
            raise ConflictError(
                _("This boundary is retired. You can restore it first, or set a new one."),
                code="boundary_retired",
            )
        changed = {
            field: value for field, value in changes.items() if getattr(boundary, field) != value
        }
        if not changed:
            return boundary
        if boundary.is_shared or changed.get("visibility") == Boundary.Visibility.SHARED:
            leaving_writes_guard(user=editor)
        if "revisit_on" in changed:
            _revisit_on_check(owner=editor, revisit_on=changes.get("revisit_on"))
        was_shared = boundary.is_shared
        for field, value in changed.items():
            setattr(boundary, field, value)
        boundary.version += 1
        boundary.save()
        _revision_write(boundary)
        if was_shared != boundary.is_shared:
            partner = _partner_of(editor)
            if partner is not None:
                sync = tombstones_record if was_shared else tombstones_clear
                sync(viewer_ids=[partner.pk], kind=Boundary.SYNC_KIND, object_id=boundary.pk)
    return boundary


def boundary_retire(*, boundary: Boundary, editor: User) -> Boundary:
    """The owner retires a boundary: it stays in their own list and history; the partner
    no longer sees it. Retiring twice is harmless."""
    with transaction.atomic():
        boundary = Boundary.objects.select_for_update(no_key=True).get(pk=boundary.pk)
        _owner_only(boundary, editor)
        if boundary.retired_at is not None:
            return boundary
        if boundary.is_shared:
            leaving_writes_guard(user=editor)
        boundary.retired_at = timezone.now()
        boundary.save(update_fields=["retired_at", "updated_at"])
        # Only a shared boundary was ever on the partner's phone; a tombstone for a private
        # one would tell them that it existed.
        if boundary.is_shared:
            partner = _partner_of(editor)
            if partner is not None:
                tombstones_record(
                    viewer_ids=[partner.pk], kind=Boundary.SYNC_KIND, object_id=boundary.pk
                )
    return boundary


def boundary_restore(*, boundary: Boundary, editor: User) -> Boundary:
    """The owner brings a retired boundary back, as it read when retired (no new version:
    its words did not change). A shared one reaches the partner again, as an ordinary
    update on their phone. Restoring one that is not retired changes nothing and answers
    the same."""
    with transaction.atomic():
        boundary = Boundary.objects.select_for_update(no_key=True).get(pk=boundary.pk)
        _owner_only(boundary, editor)
        if boundary.retired_at is None:
            return boundary
        if boundary.is_shared:
            leaving_writes_guard(user=editor)
        boundary.retired_at = None
        boundary.save(update_fields=["retired_at", "updated_at"])
        if boundary.is_shared:
            partner = _partner_of(editor)
            if partner is not None:
                tombstones_clear(
                    viewer_ids=[partner.pk], kind=Boundary.SYNC_KIND, object_id=boundary.pk
                )
    return boundary


def boundary_acknowledge(*, boundary: Boundary, user: User) -> Boundary:
    """The partner says "I've read this" about the current wording of a shared, active
    boundary. It asks nothing more of them, and saying it twice is the same as once. The
    owner cannot acknowledge their own."""
    with transaction.atomic():
        boundary = Boundary.objects.select_for_update(no_key=True).get(pk=boundary.pk)
        if boundary.owner_id == user.pk:
            raise ApplicationError(
                _("This is your own boundary; your partner is the one who can acknowledge it."),
                code="own_boundary",
                status_code=403,
            )
        partner = _partner_of(user)
        if (
            partner is None
            or partner.pk != boundary.owner_id
            or not boundary.is_shared
            or not boundary.is_active
        ):
            # The answer an id that never existed gets: a partner never learns that a
            # private boundary exists.
            raise NotFound()
        _ack, created = BoundaryAcknowledgement.objects.get_or_create(
            boundary=boundary, user=user, version=boundary.version
        )
        if created:
            # Both phones sync the change: the owner's shows it was read, the partner's
            # that they read it.
            boundary.updated_at = timezone.now()
            Boundary.objects.filter(pk=boundary.pk).update(updated_at=boundary.updated_at)
    return boundary
