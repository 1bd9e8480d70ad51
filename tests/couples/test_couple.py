"""The couple: what each partner sees, taking space, and ending it."""

import datetime as dt
import json

import pytest

from couples.models import Couple, SpacePeriod
from couples.services.messages import appreciation_create
from nudges.models import Nudge
from tests.factories import BoundaryFactory, UserFactory
from tests.utils import client_for


def _soon(hours: float = 2) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


def test_couple_shows_the_partner_and_nobody_is_taking_space(couple):
    body = couple.client_a.get("/api/v1/couple").json()
    assert body["id"] == str(couple.couple.pk)
    assert body["partner"] == {
        "id": str(couple.b.pk),
        "display_name": couple.b.display_name,
        "time_zone": couple.b.time_zone,
    }
    assert body["my_space"] is None and body["partner_space"] is None


def test_taking_space_is_plainly_visible_to_the_partner(couple):
    started = couple.client_a.post(
        "/api/v1/couple/space", {"ends_at": _soon(3), "reassurance": "not_about_you"}
    )
    assert started.status_code == 201, started.content
    seen = couple.client_b.get("/api/v1/couple").json()["partner_space"]
    assert seen["id"] == started.json()["id"]
    assert seen["reassurance_message"] == "This is about my energy, not about you."
    assert couple.client_a.get("/api/v1/couple").json()["my_space"]["id"] == seen["id"]


def test_when_both_take_space_each_sees_their_own_as_mine_and_the_others_as_partners(couple):
    mine = couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(3)})
    theirs = couple.client_b.post("/api/v1/couple/space", {"ends_at": _soon(5)})
    assert mine.status_code == theirs.status_code == 201, (mine.content, theirs.content)
    seen_by_a = couple.client_a.get("/api/v1/couple").json()
    seen_by_b = couple.client_b.get("/api/v1/couple").json()
    assert seen_by_a["my_space"]["id"] == seen_by_b["partner_space"]["id"] == mine.json()["id"]
    assert seen_by_a["partner_space"]["id"] == seen_by_b["my_space"]["id"] == theirs.json()["id"]


def test_own_words_of_reassurance_come_back_with_tone_hints_for_the_author_only(couple):
    started = couple.client_a.post(
        "/api/v1/couple/space",
        {"ends_at": _soon(), "reassurance_text": "You always crowd me, I need a night."},
    )
    assert [h["code"] for h in started.json()["tone_hints"]] == ["absolute_always"]
    assert "tone_hints" not in couple.client_b.get("/api/v1/couple").json()["partner_space"]


def test_space_is_bounded_and_open_ended_space_asks_for_a_check_back_time(couple):
    too_long = couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(24 * 4)})
    assert too_long.status_code == 400
    assert too_long.json()["errors"][0]["attr"] == "ends_at"
    past = couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(-1)})
    assert past.json()["errors"][0]["attr"] == "ends_at"
    open_ended = couple.client_a.post("/api/v1/couple/space", {})
    assert open_ended.status_code == 400
    assert open_ended.json()["errors"][0]["attr"] == "check_back_at"
    with_check_back = couple.client_a.post("/api/v1/couple/space", {"check_back_at": _soon(20)})
    assert with_check_back.status_code == 201
    assert with_check_back.json()["ends_at"] is None


def test_space_ends_by_itself_at_its_end_time(couple, time_machine):
    couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(1)})
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    # A fresh sign-in: access tokens live five minutes.
    assert client_for(couple.b).get("/api/v1/couple").json()["partner_space"] is None


def test_only_the_person_taking_space_ends_it_and_the_partner_hears_gently(couple):
    couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon()})
    assert couple.client_b.delete("/api/v1/couple/space").status_code == 409
    assert couple.client_b.get("/api/v1/couple").json()["partner_space"] is not None
    assert couple.client_a.delete("/api/v1/couple/space").status_code == 204
    assert couple.client_b.get("/api/v1/couple").json()["partner_space"] is None
    assert Nudge.objects.filter(recipient=couple.b, kind="partner_back_from_space").exists()


def test_ending_space_quietly_tells_no_one(couple):
    couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon()})
    assert couple.client_a.delete("/api/v1/couple/space?tell_partner=false").status_code == 204
    assert not Nudge.objects.filter(kind="partner_back_from_space").exists()


def test_starting_space_again_replaces_the_current_one(couple):
    couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(1)})
    couple.client_a.post("/api/v1/couple/space", {"ends_at": _soon(5)})
    assert SpacePeriod.objects.filter(user=couple.a, ended_at__isnull=True).count() == 1


def test_partner_view_shows_only_what_the_partner_shares(couple):
    couple.client_b.put(
        "/api/v1/me/preferences",
        {"reassurance": "Tell me we're okay", "attachment_style": "avoidant"},
        format="json",
    )
    BoundaryFactory(owner=couple.b, kind="need", text="Quiet mornings", shared=True)
    BoundaryFactory(owner=couple.b, kind="limit", text="SECRET-BOUNDARY-TEXT")
    response = couple.client_a.get("/api/v1/couple/partner")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["preferences"]["reassurance"] == "Tell me we're okay"
    assert body["attachment_style"] is None
    assert [b["text"] for b in body["boundaries"]] == ["Quiet mornings"]
    raw = json.dumps(body)
    assert "SECRET-BOUNDARY-TEXT" not in raw and "avoidant" not in raw

    couple.client_b.patch(
        "/api/v1/me/preferences", {"attachment_style_shared": True}, format="json"
    )
    assert couple.client_a.get("/api/v1/couple/partner").json()["attachment_style"] == "avoidant"


def test_partner_view_query_count_does_not_grow_with_boundaries(
    couple, django_assert_max_num_queries
):
    BoundaryFactory.create_batch(6, owner=couple.b, shared=True)
    with django_assert_max_num_queries(8):
        response = couple.client_a.get("/api/v1/couple/partner")
    assert len(response.json()["boundaries"]) == 6


def test_ending_is_immediate_one_sided_and_told_gently(couple):
    appreciation_create(author=couple.a, text="Thank you for dinner")
    appreciation_create(author=couple.b, text="Thanks for the walk")
    couple.client_b.post("/api/v1/couple/space", {"ends_at": _soon()})
    ended = couple.client_a.post("/api/v1/couple/end")
    assert ended.status_code == 200
    assert ended.json()["ended_at"]
    assert Nudge.objects.filter(recipient=couple.b, kind="couple_ended").exists()
    # No reason field anywhere: the partner learns only that it ended.
    assert set(ended.json()) == {"id", "created_at", "ended_at", "partner_sees_it_at"}
    assert ended.json()["partner_sees_it_at"] == ended.json()["ended_at"]

    for client in (couple.client_a, couple.client_b):
        assert client.get("/api/v1/couple").status_code == 404
        assert client.get("/api/v1/couple/partner").status_code == 404
    # Each keeps what they wrote, and only that.
    assert [a["text"] for a in couple.client_a.get("/api/v1/appreciations").json()["results"]] == [
        "Thank you for dinner"
    ]
    assert [a["text"] for a in couple.client_b.get("/api/v1/appreciations").json()["results"]] == [
        "Thanks for the walk"
    ]
    assert not SpacePeriod.objects.filter(ended_at__isnull=True).exists()


def test_after_ending_both_can_pair_again_with_someone_new(couple):
    couple.client_b.post("/api/v1/couple/end")
    newcomer = UserFactory()
    code = client_for(newcomer).post("/api/v1/invites").json()["code"]
    assert couple.client_a.post(f"/api/v1/invites/{code}/accept").status_code == 201
    assert couple.client_a.get("/api/v1/couple").json()["partner"]["id"] == str(newcomer.pk)
    assert Couple.objects.filter(ended_at__isnull=True).count() == 1


def test_ex_partner_phone_drops_what_it_may_no_longer_see(couple):
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)).isoformat()
    theirs = couple.client_a.post(
        "/api/v1/appreciations", {"text": "You make tea perfectly"}, format="json"
    ).json()
    couple.client_a.post("/api/v1/couple/end")
    synced = couple.client_b.get("/api/v1/appreciations", {"updated_since": since}).json()
    assert synced["results"] == []
    assert synced["removed"] == [theirs["id"]]


@pytest.mark.parametrize("path", ["/api/v1/couple/end", "/api/v1/couple/space"])
def test_unpaired_people_cannot_end_or_take_space(stranger_client, path):
    response = stranger_client.post(path, {"ends_at": _soon()})
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_paired"


def test_a_new_partners_phone_receives_boundaries_shared_before_pairing(db):
    """Sync by updated_since must not miss what was shared before the two paired."""
    robin, jules = UserFactory(), UserFactory()
    robin_client = client_for(robin)
    boundary = BoundaryFactory(owner=robin, text="Quiet Sundays", shared=True)
    last_sync = (dt.datetime.now(dt.UTC) + dt.timedelta(milliseconds=1)).isoformat()
    code = robin_client.post("/api/v1/invites").json()["code"]
    jules_client = client_for(jules)
    assert jules_client.post(f"/api/v1/invites/{code}/accept").status_code == 201

    synced = jules_client.get("/api/v1/boundaries", {"updated_since": last_sync}).json()
    assert [b["id"] for b in synced["results"]] == [str(boundary.pk)]
    assert synced["removed"] == []
