"""The couple page's sections that `couples` owns: agreements and their state, both
partners' shared boundaries, open conversation requests (topic and state only) and the
coach notes. Each reads only what both partners already see of each other."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from couples.admin.panels import couple_page_panel
from couples.models import Agreement, Boundary, CoachNote, ConversationRequest, Couple, Membership
from couples.selectors import boundary_shared_active_q

OPEN_CONVERSATION_STATES = [
    ConversationRequest.Status.PENDING,
    ConversationRequest.Status.PROPOSED_OTHER,
    ConversationRequest.Status.SCHEDULED,
    ConversationRequest.Status.TIME_ASKED,
]


def _render(template: str, **context) -> SafeString:
    return SafeString(render_to_string(f"admin/couples/panels/{template}", context))


@couple_page_panel(order=20, name="couples.agreements")
def agreements_panel(request: HttpRequest, couple: Couple) -> SafeString:
    # A proposal its author took back is theirs alone: the partner never sees it, nor does a coach.
    agreements = Agreement.objects.filter(couple=couple).exclude(state=Agreement.State.WITHDRAWN)
    agreements = agreements.only("title", "state", "review_on", "created_at")
    return _render("agreements.html", agreements=agreements.order_by("-created_at"))


@couple_page_panel(order=30, name="couples.boundaries")
def boundaries_panel(request: HttpRequest, couple: Couple) -> SafeString:
    members = Membership.objects.filter(couple=couple, left_at__isnull=True).values("user_id")
    boundaries = (
        Boundary.objects.filter(boundary_shared_active_q(), owner_id__in=members)
        .select_related("owner")
        .only("kind", "text", "revisit_on", "created_at", "owner__display_name", "owner__email")
        .order_by("owner_id", "created_at")
    )
    return _render("boundaries.html", boundaries=boundaries)


@couple_page_panel(order=40, name="couples.conversations")
def conversations_panel(request: HttpRequest, couple: Couple) -> SafeString:
    # Held requests are the requester's alone until sent; the calm score is never loaded.
    conversations = (
        ConversationRequest.objects.filter(couple=couple, status__in=OPEN_CONVERSATION_STATES)
        .only("topic", "status", "created_at")
        .order_by("-created_at")
    )
    return _render("conversations.html", conversations=conversations)


@couple_page_panel(order=50, name="couples.coach_notes")
def coach_notes_panel(request: HttpRequest, couple: Couple) -> SafeString:
    notes = CoachNote.objects.filter(couple=couple).select_related("coach").order_by("-created_at")
    return _render("coach_notes.html", notes=notes)
