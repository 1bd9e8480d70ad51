"""What the lessons app adds to a person's export and removes when they leave (the registry
is `accounts.data_rights`). Everything here refers to one person and is theirs: what they
did with lessons, their private reflections (decrypted for them alone), the offers made to
them, and the shares they sent. The lessons themselves are Haven's words and stay."""

from __future__ import annotations

from typing import Any

from accounts.data_rights import register_deletion, register_export
from accounts.models import User
from learn.models import LessonOffer, LessonProgress, LessonShare


@register_export("lessons", models=(LessonProgress, LessonOffer, LessonShare))
def export_lessons(person: User) -> dict[str, Any]:
    progress = LessonProgress.objects.filter(user=person).select_related("lesson")
    return {
        "progress": [
            {
                "lesson": row.lesson.slug,
                "completed_at": row.completed_at.isoformat() if row.completed_at else None,
                "dismissed_at": row.dismissed_at.isoformat() if row.dismissed_at else None,
                "reflection": row.reflection,
                "reflection_updated_at": (
                    row.reflection_updated_at.isoformat() if row.reflection_updated_at else None
                ),
            }
            for row in progress.order_by("lesson__position")
        ],
        "offered": [
            {"date": day.isoformat(), "lesson": slug, "reason": reason}
            for day, slug, reason in LessonOffer.objects.filter(user=person)
            .order_by("local_date")
            .values_list("local_date", "lesson__slug", "reason")
        ],
        # Only the shares the person sent: one received names the partner's choice.
        "shared": [
            {"lesson": slug, "shared_at": at.isoformat()}
            for slug, at in LessonShare.objects.filter(author=person)
            .order_by("created_at")
            .values_list("lesson__slug", "created_at")
        ],
    }


@register_deletion(
    "lessons",
    models=(LessonProgress, LessonOffer, LessonShare),
    keeps="",
)
def delete_lessons(person: User) -> None:
    LessonProgress.objects.filter(user=person).delete()
    LessonOffer.objects.filter(user=person).delete()
    # Sent and received alike: a share names two people and is about one of them.
    LessonShare.objects.filter(author=person).delete()
    LessonShare.objects.filter(recipient=person).delete()
