"""Reactions can be taken back by whoever gave them (issue 13, smaller items): the author's
check-in simply no longer carries it, and nothing else tells them."""

import datetime as dt

from checkins.models import Acknowledgement
from nudges.models import Nudge
from tests.utils import assert_error_shape


def _day(client) -> str:
    return client.get("/api/v1/checkins/today").json()["date"]


def _both_checked_in(couple) -> tuple[str, str]:
    """(the author's check-in id, the reactor's check-in id): b reacts to a's."""
    today = _day(couple.client_a)
    theirs = couple.client_a.put(f"/api/v1/checkins/{today}", {"mood": 2}, format="json").json()
    mine = couple.client_b.put(f"/api/v1/checkins/{today}", {"mood": 4}, format="json").json()
    return theirs["id"], mine["id"]


def test_the_giver_takes_a_reaction_back_and_the_author_just_no_longer_sees_it(couple):
    theirs, _mine = _both_checked_in(couple)
    today = _day(couple.client_a)
    couple.client_b.post(f"/api/v1/checkins/{theirs}/acknowledge", {"reaction": "hug"})
    own = couple.client_a.get(f"/api/v1/checkins/{today}").json()
    assert [ack["reaction"] for ack in own["acknowledgements"]] == ["hug"]
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    nudges_before = Nudge.objects.count()

    removed = couple.client_b.delete(f"/api/v1/checkins/{theirs}/acknowledge")
    assert removed.status_code == 204
    assert not Acknowledgement.objects.exists()
    # The author's phone syncs the check-in again, now without it: nothing more.
    synced = couple.client_a.get("/api/v1/checkins", {"updated_since": since}).json()
    assert [c["acknowledgements"] for c in synced["results"] if c["id"] == theirs] == [[]]
    assert synced["removed"] == []
    assert Nudge.objects.count() == nudges_before
    assert couple.client_a.get("/api/v1/notifications").json()["results"] == []
    # Taking back what is not there answers the same.
    assert couple.client_b.delete(f"/api/v1/checkins/{theirs}/acknowledge").status_code == 204
    # It can be given again.
    again = couple.client_b.post(f"/api/v1/checkins/{theirs}/acknowledge", {"reaction": "tea"})
    assert again.status_code == 200


def test_the_author_cannot_remove_their_partners_reaction(couple):
    theirs, _mine = _both_checked_in(couple)
    couple.client_b.post(f"/api/v1/checkins/{theirs}/acknowledge", {"reaction": "sun"})
    # The author has no reaction of their own on it: nothing of the partner's is touched.
    assert couple.client_a.delete(f"/api/v1/checkins/{theirs}/acknowledge").status_code == 204
    assert Acknowledgement.objects.filter(by=couple.b).count() == 1


def test_another_couple_and_strangers_get_404(couple, other_couple, stranger_client):
    theirs, _mine = _both_checked_in(couple)
    couple.client_b.post(f"/api/v1/checkins/{theirs}/acknowledge", {"reaction": "hug"})
    for client in (other_couple.client_a, stranger_client):
        response = client.delete(f"/api/v1/checkins/{theirs}/acknowledge")
        assert_error_shape(response, 404, "not_found")
    assert Acknowledgement.objects.count() == 1


def test_removing_needs_sign_in(api_client, db):
    response = api_client.delete(
        "/api/v1/checkins/00000000-0000-0000-0000-000000000000/acknowledge"
    )
    assert response.status_code == 401
