"""Two couples and a stranger: one couple never reaches another's objects (404), someone
with no couple reaches none (404), and nobody gets anything without signing in (401).
And nothing private of one partner ever appears in what the other receives."""

import datetime as dt
import json

import pytest

from couples.services.messages import appreciation_create, ping_send
from tests.factories import BoundaryFactory, UserFactory
from tests.utils import client_for


@pytest.fixture
def objects(couple):
    """One of each object of couple A, made by partner a (a ping has no page of its own)."""
    appreciation = appreciation_create(author=couple.a, text="thanks")
    boundary = BoundaryFactory(owner=couple.a, text="Sunday mornings", shared=True)
    ping = ping_send(sender=couple.a)
    return {
        "appreciation": str(appreciation.pk),
        "boundary": str(boundary.pk),
        "ping": str(ping.pk),
    }


def _object_calls(ids):
    b, a = ids["boundary"], ids["appreciation"]
    return [
        ("get", f"/api/v1/appreciations/{a}"),
        ("get", f"/api/v1/boundaries/{b}"),
        ("patch", f"/api/v1/boundaries/{b}"),
        ("delete", f"/api/v1/boundaries/{b}"),
        ("post", f"/api/v1/boundaries/{b}/acknowledge"),
        ("get", f"/api/v1/boundaries/{b}/history"),
    ]


def test_another_couples_member_gets_404_on_every_object(objects, other_couple):
    for client in (other_couple.client_a, other_couple.client_b):
        for method, path in _object_calls(objects):
            response = getattr(client, method)(path, {"text": "x"}, format="json")
            assert response.status_code == 404, (method, path, response.content)


def test_someone_with_no_couple_gets_404_on_every_object(objects, stranger_client):
    for method, path in _object_calls(objects):
        response = getattr(stranger_client, method)(path, {"text": "x"}, format="json")
        assert response.status_code == 404, (method, path, response.content)


def test_an_invite_is_for_strangers_but_revoking_is_the_inviters_alone(couple, stranger_client):
    inviter = UserFactory()
    code = client_for(inviter).post("/api/v1/invites").json()["code"]
    assert stranger_client.get(f"/api/v1/invites/{code}").status_code == 200
    assert couple.client_a.delete(f"/api/v1/invites/{code}").status_code == 404
    assert stranger_client.delete(f"/api/v1/invites/{code}").status_code == 404


LISTS = {
    "appreciation": "/api/v1/appreciations",
    "boundary": "/api/v1/boundaries",
    "ping": "/api/v1/pings",
}


def test_lists_never_include_another_couples_objects(
    objects, couple, other_couple, stranger_client
):
    for kind, path in LISTS.items():
        # The partner sees it, so an empty list below means "not yours", not "nothing there".
        assert [o["id"] for o in couple.client_b.get(path).json()["results"]] == [objects[kind]]
        for outsider in (other_couple.client_a, other_couple.client_b, stranger_client):
            listed = outsider.get(path)
            assert listed.status_code == 200, (path, listed.content)
            assert listed.json()["results"] == [], path


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/couple"),
        ("get", "/api/v1/couple/partner"),
        ("post", "/api/v1/couple/end"),
        ("post", "/api/v1/couple/space"),
        ("delete", "/api/v1/couple/space"),
        ("get", "/api/v1/invites"),
        ("post", "/api/v1/invites"),
        ("get", "/api/v1/invites/ABCDE-FGHJK"),
        ("post", "/api/v1/invites/ABCDE-FGHJK/accept"),
        ("post", "/api/v1/invites/ABCDE-FGHJK/decline"),
        ("delete", "/api/v1/invites/ABCDE-FGHJK"),
        ("get", "/api/v1/appreciations"),
        ("post", "/api/v1/appreciations"),
        ("get", "/api/v1/appreciations/00000000-0000-0000-0000-000000000000"),
        ("get", "/api/v1/pings"),
        ("post", "/api/v1/pings"),
        ("get", "/api/v1/boundaries"),
        ("post", "/api/v1/boundaries"),
        ("get", "/api/v1/boundaries/00000000-0000-0000-0000-000000000000"),
        ("get", "/api/v1/me/love-languages"),
        ("get", "/api/v1/me/preferences"),
        ("post", "/api/v1/tone/check"),
    ],
)
def test_nothing_without_signing_in(api_client, db, method, path):
    assert getattr(api_client, method)(path).status_code == 401


PRIVATE = "PRIVATE-WORDS-7F3A"


def test_private_text_never_reaches_the_partner(couple):
    a = couple.client_a
    a.post("/api/v1/boundaries", {"kind": "limit", "text": PRIVATE, "visibility": "private"})
    shared = a.post(
        "/api/v1/boundaries",
        {"kind": "need", "text": f"first wording {PRIVATE}", "visibility": "private"},
    ).json()
    # Made shared later with new words: its earlier private wording must not leak either.
    a.patch(
        f"/api/v1/boundaries/{shared['id']}",
        {"text": "Time alone after work", "visibility": "shared"},
        format="json",
    )
    a.put(
        "/api/v1/me/preferences",
        {"attachment_style": "fearful_avoidant", "reassurance": "Say we're fine"},
        format="json",
    )
    check_back = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)).isoformat()
    assert a.post("/api/v1/couple/space", {"check_back_at": check_back}).status_code == 201

    b = couple.client_b
    seen = [
        b.get("/api/v1/couple"),
        b.get("/api/v1/couple/partner"),
        b.get("/api/v1/boundaries"),
        b.get(f"/api/v1/boundaries/{shared['id']}"),
        b.get(f"/api/v1/boundaries/{shared['id']}/history"),
        b.get("/api/v1/appreciations"),
        b.get("/api/v1/pings"),
    ]
    assert all(response.status_code == 200 for response in seen), [r.content for r in seen]
    everything = json.dumps([response.json() for response in seen])
    assert PRIVATE not in everything
    assert "fearful_avoidant" not in everything
    assert "Time alone after work" in everything  # the shared wording does arrive
