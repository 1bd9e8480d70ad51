"""Boundaries: what they add to the export and do on deletion
(see couples/data_rights/__init__.py)."""

from __future__ import annotations

from typing import Any

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from couples.models import (
    Boundary,
    BoundaryAcknowledgement,
    BoundaryRevision,
)


@register_export(
    "boundaries", models=(Boundary, BoundaryRevision, BoundaryAcknowledgement), order=20
)
def export_boundaries(person: User) -> dict[str, Any]:
    """Their own boundaries, private ones included, with every revision; and the
    acknowledgements they gave (never a partner's private boundary)."""
    own = list(Boundary.objects.filter(owner=person).order_by("created_at"))
    revisions: dict[Any, list[dict[str, Any]]] = {b.pk: [] for b in own}
    for r in BoundaryRevision.objects.filter(boundary__owner=person).order_by("version"):
        revisions[r.boundary_id].append(
            {
                "version": r.version,
                "kind": r.kind,
                "text": r.text,
                "visibility": r.visibility,
                "revisit_on": r.revisit_on,
                "created_at": r.created_at,
            }
        )
    given = BoundaryAcknowledgement.objects.filter(user=person).order_by("created_at")
    return {
        "mine": [
            {
                "id": str(b.pk),
                "kind": b.kind,
                "text": b.text,
                "visibility": b.visibility,
                "revisit_on": b.revisit_on,
                "version": b.version,
                "retired_at": b.retired_at,
                "created_at": b.created_at,
                "history": revisions[b.pk],
            }
            for b in own
        ],
        "acknowledgements_given": [
            {"boundary_id": str(a.boundary_id), "version": a.version, "at": a.created_at}
            for a in given
        ],
    }


@register_deletion(
    "boundaries",
    models=(Boundary, BoundaryRevision, BoundaryAcknowledgement),
    keeps="Acknowledgements you gave on your former partner's boundaries stay on them, as "
    "after any end (they carry no words).",
)
def delete_boundaries(person: User) -> None:
    Boundary.objects.filter(owner=person).delete()  # revisions and acknowledgements go too
