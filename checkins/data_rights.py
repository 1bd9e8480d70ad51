"""What `checkins` adds to a person's export and does when they are deleted. Registered from
CheckinsConfig.ready. A person's export carries their own check-ins, private notes decrypted
(theirs alone), and the acknowledgements they gave; never the partner's check-ins."""

from __future__ import annotations

from typing import Any

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from checkins.models import Acknowledgement, CheckIn, CheckinSettings, PromptAssignment


@register_export("checkins", models=(CheckIn,), order=25)
def export_checkins(person: User) -> list[dict[str, Any]]:
    rows = CheckIn.objects.filter(author=person).select_related("prompt").order_by("local_date")
    return [
        {
            "id": str(c.pk),
            "date": c.local_date,
            "couple_id": str(c.couple_id) if c.couple_id else None,
            "passed": c.passed,
            "mood": c.mood,
            "energy": c.energy,
            "dial": c.dial,
            "capacity": c.capacity,
            "shared_note": c.shared_note,
            "private_note": c.private_note,
            "prompt": c.prompt.text if c.prompt else None,
            "prompt_answer": c.prompt_answer,
            "is_shared": c.is_shared,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        }
        for c in rows
    ]


@register_export("acknowledgements_given", models=(Acknowledgement,), order=26)
def export_acknowledgements(person: User) -> list[dict[str, Any]]:
    return [
        {"checkin_id": str(a.checkin_id), "reaction": a.reaction, "at": a.created_at}
        for a in Acknowledgement.objects.filter(by=person).order_by("created_at")
    ]


@register_export("checkin_settings", models=(CheckinSettings, PromptAssignment), order=27)
def export_checkin_settings(person: User) -> dict[str, Any] | None:
    row = CheckinSettings.objects.filter(user=person).first()
    if row is None:
        return None
    return {"announce_checked_in": row.announce_checked_in, "deeper_prompts": row.deeper_prompts}


@register_deletion(
    "checkins",
    models=(CheckIn, Acknowledgement, CheckinSettings, PromptAssignment),
    keeps="Acknowledgements you gave on your former partner's check-ins stay on them, as "
    "after any end (a reaction, no words).",
)
def delete_checkins(person: User) -> None:
    # Their check-ins (private notes included; acknowledgements on them go too).
    CheckIn.objects.filter(author=person).delete()
    PromptAssignment.objects.filter(user=person).delete()
    CheckinSettings.objects.filter(user=person).delete()
