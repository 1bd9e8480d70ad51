"""Boundaries: owner-only create/edit/retire, a revision per edit, shared or private (a
partner never sees a private one, nor that it exists), the partner's "I've read this" per
version, phone sync, and what ending a couple does to them."""

import base64
import datetime as dt
import threading
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test import Client

from couples.models import Boundary, BoundaryAcknowledgement, BoundaryRevision
from couples.selectors import boundaries_shared_by, boundaries_visible_to
from couples.services.boundaries import boundary_update
from tests.factories import BoundaryFactory, UserFactory, pair
from tests.utils import client_for, today_for

URL = "/api/v1/boundaries"
PRIVATE_TEXT = "I need an hour alone after visiting my family"
SHARED_TEXT = "I need a quiet half hour when I get home from work"


def create(client, **overrides) -> dict:
    body = {"kind": "need", "text": SHARED_TEXT, "visibility": "shared", **overrides}
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def detail(boundary: dict, suffix: str = "") -> str:
    return f"{URL}/{boundary['id']}{suffix}"


def listed(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def sync_point(client) -> str:
    """The moment a phone would pass as `updated_since` on its next sync."""
    return listed(client, updated_since=_recent())["server_time"]


def _recent() -> str:
    """A moment just before now, for a first sync."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()


def errors_of(response, status: int) -> list[tuple[str | None, str]]:
    assert response.status_code == status, response.content
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


# --- The owner's own boundaries -------------------------------------------------------------


def test_owner_creates_a_boundary_that_is_private_unless_shared(couple):
    response = couple.client_a.post(URL, {"kind": "limit", "text": PRIVATE_TEXT}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["visibility"] == "private"
    assert created["version"] == 1
    assert created["is_mine"] is True
    assert created["owner_id"] == str(couple.a.pk)
    assert created["retired_at"] is None
    # Nobody has read it yet: nothing is shown as owed (null, never a standing false).
    assert created["acknowledged_by_partner"] is None
    assert created["acknowledged_by_me"] is None
    assert created["tone_hints"] == []
    revision = BoundaryRevision.objects.get(boundary_id=created["id"])
    assert (revision.version, revision.text, revision.visibility) == (1, PRIVATE_TEXT, "private")


def test_writes_return_tone_hints_for_blaming_text_but_reads_do_not(couple):
    created = create(couple.client_a, text="You never let me finish a sentence")
    assert created["tone_hints"], created
    assert {"code", "start", "end", "excerpt", "suggestion", "i_statement"} <= set(
        created["tone_hints"][0]
    )
    edited = couple.client_a.patch(
        detail(created), {"text": "You always interrupt me"}, format="json"
    ).json()
    assert edited["tone_hints"]
    # The hints are advice for the writer: the partner's view never carries them.
    assert "tone_hints" not in couple.client_b.get(detail(created)).json()
    assert "tone_hints" not in listed(couple.client_a)["results"][0]


def test_every_edit_writes_a_revision_and_bumps_the_version(couple):
    created = create(couple.client_a)
    first = couple.client_a.patch(detail(created), {"text": "Two quiet hours"}, format="json")
    second = couple.client_a.patch(
        detail(created), {"kind": "limit", "revisit_on": None}, format="json"
    )
    assert first.status_code == 200, first.content
    assert second.json()["version"] == 3
    assert second.json()["kind"] == "limit"
    assert second.json()["text"] == "Two quiet hours"

    history = couple.client_a.get(detail(created, "/history")).json()["results"]
    assert [(r["version"], r["kind"], r["text"]) for r in history] == [
        (3, "limit", "Two quiet hours"),
        (2, "need", "Two quiet hours"),
        (1, "need", SHARED_TEXT),
    ]


def test_an_edit_that_changes_nothing_writes_no_revision(couple):
    created = create(couple.client_a)
    same = couple.client_a.patch(
        detail(created), {"text": SHARED_TEXT, "kind": "need"}, format="json"
    )
    assert same.status_code == 200
    assert same.json()["version"] == 1
    assert BoundaryRevision.objects.filter(boundary_id=created["id"]).count() == 1


def test_revisions_are_read_only_once_written(couple):
    boundary = BoundaryFactory(owner=couple.a, kind="need", text=SHARED_TEXT)
    revision = boundary.revisions.get()
    revision.text = "rewritten"
    with pytest.raises(ValueError, match="read-only"):
        revision.save()


def test_owner_retires_and_still_sees_it_but_can_no_longer_edit_it(couple):
    created = create(couple.client_a)
    assert couple.client_a.delete(detail(created)).status_code == 204
    mine = listed(couple.client_a)["results"]
    assert [b["id"] for b in mine] == [created["id"]]
    assert mine[0]["retired_at"] is not None
    assert couple.client_a.get(detail(created, "/history")).status_code == 200

    edit = couple.client_a.patch(detail(created), {"text": "Changed"}, format="json")
    assert errors_of(edit, 409) == [(None, "boundary_retired")]
    # Retiring twice is harmless.
    assert couple.client_a.delete(detail(created)).status_code == 204
    # The partner no longer sees it, nor can say they read it.
    assert couple.client_b.get(detail(created)).status_code == 404
    assert couple.client_b.post(detail(created, "/acknowledge")).status_code == 404


def test_a_person_with_no_couple_keeps_boundaries_and_they_carry_into_the_couple(db):
    person = UserFactory()
    client = client_for(person)
    shared = create(client)
    private = create(client, visibility="private", text=PRIVATE_TEXT)
    assert {b["id"] for b in listed(client)["results"]} == {shared["id"], private["id"]}
    assert (
        client.patch(detail(shared), {"text": "Edited alone"}, format="json").json()["version"] == 2
    )

    _couple, _person, partner = pair(first=person)
    seen = listed(client_for(partner))["results"]
    assert [b["id"] for b in seen] == [shared["id"]]
    assert seen[0]["text"] == "Edited alone"


def test_create_with_an_idempotency_key_never_creates_twice(couple):
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    body = {"kind": "need", "text": SHARED_TEXT}
    first = couple.client_a.post(URL, body, format="json", **headers)
    again = couple.client_a.post(URL, body, format="json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Boundary.objects.filter(owner=couple.a).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_edits_each_get_their_own_version():
    owner = UserFactory()
    boundary = BoundaryFactory(owner=owner, kind="need", text=SHARED_TEXT)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def edit(text: str) -> None:
        try:
            start.wait()
            boundary_update(boundary=boundary, editor=owner, text=text)
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert Boundary.objects.get(pk=boundary.pk).version == 3
    assert sorted(boundary.revisions.values_list("version", flat=True)) == [1, 2, 3]


# --- What the partner sees ------------------------------------------------------------------


def test_partner_sees_shared_boundaries_but_never_a_private_one(couple):
    shared = create(couple.client_a)
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)

    responses = [
        couple.client_b.get(URL),
        couple.client_b.get(URL, {"updated_since": _recent()}),
        couple.client_b.get(detail(shared)),
        couple.client_b.get(detail(shared, "/history")),
    ]
    for response in responses:
        assert response.status_code == 200, response.content
        body = response.content.decode()
        assert PRIVATE_TEXT not in body
        assert private["id"] not in body

    seen = responses[0].json()["results"]
    assert [b["id"] for b in seen] == [shared["id"]]
    assert seen[0]["is_mine"] is False
    assert seen[0]["acknowledged_by_me"] is False
    assert seen[0]["acknowledged_by_partner"] is None


def test_a_private_boundary_answers_the_partner_exactly_like_an_unknown_id(couple):
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    unknown = {"id": str(uuid.uuid4())}
    for method, suffix in [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("post", "/acknowledge"),
        ("get", "/history"),
    ]:
        call = getattr(couple.client_b, method)
        hidden = call(detail(private, suffix), {"text": "x"} if method == "patch" else None)
        missing = call(detail(unknown, suffix), {"text": "x"} if method == "patch" else None)
        assert hidden.status_code == missing.status_code == 404, (method, suffix)
        assert hidden.json() == missing.json()
    assert Boundary.objects.get(pk=private["id"]).version == 1


def test_partner_history_never_shows_a_wording_that_was_private(couple):
    draft = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    couple.client_a.patch(detail(draft), {"text": "A kinder wording"}, format="json")
    couple.client_a.patch(detail(draft), {"visibility": "shared"}, format="json")

    theirs = couple.client_b.get(detail(draft, "/history"))
    # Counted by what the partner could read: no "v3" hinting at two private drafts.
    assert [r["version"] for r in theirs.json()["results"]] == [1]
    assert couple.client_b.get(detail(draft)).json()["version"] == 1
    assert PRIVATE_TEXT not in theirs.content.decode()
    assert PRIVATE_TEXT not in couple.client_b.get(URL).content.decode()
    mine = couple.client_a.get(detail(draft, "/history")).json()["results"]
    assert [r["version"] for r in mine] == [3, 2, 1]


def test_partner_cannot_edit_or_retire_a_shared_boundary(couple):
    shared = create(couple.client_a)
    edit = couple.client_b.patch(detail(shared), {"text": "Rewritten by B"}, format="json")
    assert errors_of(edit, 403) == [(None, "not_owner")]
    assert errors_of(couple.client_b.delete(detail(shared)), 403) == [(None, "not_owner")]
    boundary = Boundary.objects.get(pk=shared["id"])
    assert (boundary.text, boundary.version, boundary.retired_at) == (SHARED_TEXT, 1, None)


def test_owner_cannot_acknowledge_their_own_boundary(couple):
    shared = create(couple.client_a)
    response = couple.client_a.post(detail(shared, "/acknowledge"))
    assert errors_of(response, 403) == [(None, "own_boundary")]
    assert not BoundaryAcknowledgement.objects.exists()


def test_acknowledgement_is_per_version_and_resets_when_the_owner_changes_it(couple):
    shared = create(couple.client_a)
    first = couple.client_b.post(detail(shared, "/acknowledge"))
    again = couple.client_b.post(detail(shared, "/acknowledge"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["acknowledged_by_me"] is True
    assert BoundaryAcknowledgement.objects.filter(boundary_id=shared["id"]).count() == 1
    assert couple.client_a.get(detail(shared)).json()["acknowledged_by_partner"] is True

    edited = couple.client_a.patch(detail(shared), {"text": "Forty quiet minutes"}, format="json")
    assert edited.json()["acknowledged_by_partner"] is None
    assert couple.client_b.get(detail(shared)).json()["acknowledged_by_me"] is False
    couple.client_b.post(detail(shared, "/acknowledge"))
    assert couple.client_a.get(detail(shared)).json()["acknowledged_by_partner"] is True


def test_selector_for_the_partner_view_gives_only_shared_active_boundaries(couple):
    shared = BoundaryFactory(owner=couple.a, kind="need", text=SHARED_TEXT, shared=True)
    BoundaryFactory(owner=couple.a, kind="limit", text=PRIVATE_TEXT)
    retired = BoundaryFactory(owner=couple.a, kind="need", text="old", shared=True)
    Boundary.objects.filter(pk=retired.pk).update(retired_at=retired.created_at)

    assert list(boundaries_shared_by(couple.a)) == [shared]
    annotated = boundaries_shared_by(couple.a, viewer=couple.b).get()
    assert (annotated.is_mine, annotated.acknowledged_by_me) == (False, False)
    assert set(boundaries_visible_to(couple.b)) == {shared}
    assert len(boundaries_visible_to(couple.a)) == 3


def test_the_partner_view_annotates_each_boundary_as_the_general_rule_does(couple):
    """`boundaries_shared_by(viewer=...)` skips the branches for the viewer's own rows; for
    the partner's rows it answers exactly what `_boundaries_annotated_for` answers: a draft
    kept private and then shared, one read by the viewer, one reworded after being read."""
    from couples.selectors import _boundaries_annotated_for, boundary_shared_active_q
    from couples.services.boundaries import boundary_acknowledge, boundary_create

    a, b = couple.a, couple.b
    drafted = boundary_create(owner=a, kind="need", text="Draft first", visibility="private")
    boundary_update(boundary=drafted, editor=a, text="Now shared", visibility="shared")
    read = boundary_create(owner=a, kind="limit", text="Read it", visibility="shared")
    boundary_acknowledge(boundary=read, user=b)
    reworded = boundary_create(owner=a, kind="need", text="Once", visibility="shared")
    boundary_acknowledge(boundary=reworded, user=b)
    boundary_update(boundary=Boundary.objects.get(pk=reworded.pk), editor=a, text="Twice")
    names = ("pk", "is_mine", "seen_version", "acknowledged_by_partner", "acknowledged_by_me")

    def rows(queryset):
        return [tuple(getattr(row, name) for name in names) for row in queryset.order_by("pk")]

    general = _boundaries_annotated_for(
        Boundary.objects.filter(boundary_shared_active_q(), owner=a),
        viewer_id=b.pk,
        partner_id=a.pk,
    )
    assert rows(boundaries_shared_by(a, viewer=b)) == rows(general)
    by_id = {row[0]: row[1:] for row in rows(general)}
    assert by_id == {
        drafted.pk: (False, 1, None, False),  # the private draft is not counted
        read.pk: (False, 1, None, True),
        reworded.pk: (False, 2, None, False),  # read at version 1, not at 2
    }


# --- Other couples, strangers, the signed-out -----------------------------------------------


@pytest.mark.parametrize("outsider", ["other_couple_member", "stranger"])
def test_another_couples_member_and_a_stranger_get_404_everywhere(
    couple, other_couple, stranger_client, outsider
):
    client = other_couple.client_a if outsider == "other_couple_member" else stranger_client
    shared = create(couple.client_a)
    assert client.get(detail(shared)).status_code == 404
    assert client.patch(detail(shared), {"text": "x"}, format="json").status_code == 404
    assert client.delete(detail(shared)).status_code == 404
    assert client.post(detail(shared, "/acknowledge")).status_code == 404
    assert client.get(detail(shared, "/history")).status_code == 404
    assert shared["id"] not in client.get(URL).content.decode()
    boundary = Boundary.objects.get(pk=shared["id"])
    assert (boundary.text, boundary.retired_at) == (SHARED_TEXT, None)
    assert not BoundaryAcknowledgement.objects.exists()


def test_signed_out_requests_get_401(couple, api_client):
    shared = create(couple.client_a)
    calls = [
        api_client.get(URL),
        api_client.post(URL, {"kind": "need", "text": "x"}, format="json"),
        api_client.get(detail(shared)),
        api_client.patch(detail(shared), {"text": "x"}, format="json"),
        api_client.delete(detail(shared)),
        api_client.post(detail(shared, "/acknowledge")),
        api_client.get(detail(shared, "/history")),
    ]
    assert [c.status_code for c in calls] == [401] * len(calls)


# --- Input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"kind": "ultimatum"}, "kind"),
        ({"kind": "or_else"}, "kind"),
        ({"text": "x" * 501}, "text"),
        ({"text": "   "}, "text"),
        ({"visibility": "public"}, "visibility"),
        ({"revisit_on": "2001-01-01"}, "revisit_on"),
        ({"revisit_on": "soon"}, "revisit_on"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(couple, body, attr):
    valid = {"kind": "need", "text": SHARED_TEXT}
    created = couple.client_a.post(URL, {**valid, **body}, format="json")
    assert attr in [a for a, _code in errors_of(created, 400)]
    existing = create(couple.client_a)
    edited = couple.client_a.patch(detail(existing), body, format="json")
    assert attr in [a for a, _code in errors_of(edited, 400)]
    assert Boundary.objects.get(pk=existing["id"]).version == 1


def test_text_of_500_characters_is_accepted(couple):
    assert create(couple.client_a, text="x" * 500)["text"] == "x" * 500


def test_there_is_no_or_else_field(couple):
    created = create(couple.client_a, consequence="or else I leave")
    assert "consequence" not in created
    assert not hasattr(Boundary, "consequence")


def test_revisit_date_must_be_after_today_in_the_owners_own_time_zone(db, time_machine):
    # 23:30 UTC on 10 March: already 11 March in Berlin, still 10 March in New York.
    time_machine.move_to(dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC))
    berlin = client_for(UserFactory(time_zone="Europe/Berlin"))
    new_york = client_for(UserFactory(time_zone="America/New_York"))
    body = {"kind": "need", "text": SHARED_TEXT, "revisit_on": "2026-03-11"}

    today_in_berlin = berlin.post(URL, body, format="json")
    assert errors_of(today_in_berlin, 400) == [("revisit_on", "revisit_on_not_in_future")]
    assert new_york.post(URL, body, format="json").status_code == 201
    assert berlin.post(URL, {**body, "revisit_on": "2026-03-12"}, format="json").status_code == 201


def test_an_unchanged_revisit_date_that_has_passed_does_not_block_other_edits(couple, time_machine):
    created = create(couple.client_a, revisit_on=str(today_for(couple.a) + dt.timedelta(days=2)))
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(days=5))
    client = client_for(couple.a)
    edited = client.patch(
        detail(created), {"text": "Reworded", "revisit_on": created["revisit_on"]}, format="json"
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["version"] == 2


# --- Phone sync -----------------------------------------------------------------------------


def test_making_a_boundary_private_puts_it_in_the_partners_removed_and_sharing_brings_it_back(
    couple,
):
    shared = create(couple.client_a)
    since = sync_point(couple.client_b)
    couple.client_a.patch(detail(shared), {"visibility": "private"}, format="json")
    synced = listed(couple.client_b, updated_since=since)
    assert synced["removed"] == [shared["id"]]
    assert synced["results"] == []

    since = synced["server_time"]
    couple.client_a.patch(detail(shared), {"visibility": "shared"}, format="json")
    synced = listed(couple.client_b, updated_since=since)
    assert [b["id"] for b in synced["results"]] == [shared["id"]]
    assert synced["removed"] == []


def test_retiring_puts_a_shared_boundary_in_the_partners_removed_but_never_a_private_one(couple):
    shared = create(couple.client_a)
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    since = sync_point(couple.client_b)
    couple.client_a.delete(detail(shared))
    couple.client_a.delete(detail(private))
    synced = listed(couple.client_b, updated_since=since)
    assert synced["removed"] == [shared["id"]]
    assert private["id"] not in str(synced)
    # The owner's own phone gets the retired boundaries as updates.
    mine = listed(couple.client_a, updated_since=since)
    assert {b["id"] for b in mine["results"]} == {shared["id"], private["id"]}
    assert mine["removed"] == []


def test_an_acknowledgement_reaches_the_owners_phone(couple):
    shared = create(couple.client_a)
    since = sync_point(couple.client_a)
    couple.client_b.post(detail(shared, "/acknowledge"))
    synced = listed(couple.client_a, updated_since=since)["results"]
    assert [(b["id"], b["acknowledged_by_partner"]) for b in synced] == [(shared["id"], True)]


def test_after_the_couple_ends_the_ex_partner_loses_the_boundaries_and_the_owner_keeps_them(
    couple,
):
    shared = create(couple.client_a)
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    theirs = create(couple.client_b, text="I need to finish my thoughts before answering")
    since = sync_point(couple.client_b)

    assert couple.client_a.post("/api/v1/couple/end").status_code == 200

    assert couple.client_b.get(detail(shared)).status_code == 404
    synced_b = listed(couple.client_b, updated_since=since)
    assert synced_b["removed"] == [shared["id"]]
    assert [b["id"] for b in synced_b["results"]] == []
    assert private["id"] not in str(synced_b)
    synced_a = listed(couple.client_a, updated_since=since)
    assert synced_a["removed"] == [theirs["id"]]
    assert {b["id"] for b in listed(couple.client_a)["results"]} == {shared["id"], private["id"]}
    assert [b["id"] for b in listed(couple.client_b)["results"]] == [theirs["id"]]


# --- Query counts -------------------------------------------------------------------------


def _boundaries_for(couple, per_person: int) -> None:
    for n in range(per_person):
        for owner in (couple.a, couple.b):
            BoundaryFactory(owner=owner, text=f"Boundary {n}", shared=n % 2 == 0)


@pytest.mark.parametrize("per_person", [1, 3])
def test_list_query_count_is_pinned_and_does_not_grow_with_the_list(
    couple, per_person, django_assert_max_num_queries
):
    _boundaries_for(couple, per_person)
    BoundaryAcknowledgement.objects.bulk_create(
        BoundaryAcknowledgement(boundary=b, user=couple.b, version=1)
        for b in Boundary.objects.filter(owner=couple.a, visibility="shared")
    )
    # Session, user, couple and partner, the page (acknowledgements are in it).
    with django_assert_max_num_queries(4):
        feed = couple.client_a.get(URL)
    assert feed.status_code == 200
    with django_assert_max_num_queries(5):  # ... and the removed ids
        synced = couple.client_a.get(URL, {"updated_since": _recent()})
    assert synced.status_code == 200
    shared_by_b = (per_person + 1) // 2
    assert len(feed.json()["results"]) == per_person + shared_by_b


def test_history_query_count_is_pinned(couple, django_assert_max_num_queries):
    created = create(couple.client_a)
    for n in range(5):
        couple.client_a.patch(detail(created), {"text": f"Version {n + 2}"}, format="json")
    with django_assert_max_num_queries(5):
        history = couple.client_b.get(detail(created, "/history"))
    assert len(history.json()["results"]) == 6


# --- Admin --------------------------------------------------------------------------------


def test_operators_see_that_a_boundary_exists_but_never_its_words(couple):
    boundary = BoundaryFactory(owner=couple.a, kind="limit", text=PRIVATE_TEXT)
    operator = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    pages = [
        client.get("/admin/couples/boundary/"),
        client.get(f"/admin/couples/boundary/{boundary.pk}/change/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert PRIVATE_TEXT not in page.content.decode()
    assert str(boundary.pk) in pages[0].content.decode()


# --- Issue 13: versions counted by what the partner could see, restore, no standing "not read"


def _versions(client, boundary: dict) -> tuple[int, list[int]]:
    seen = client.get(detail(boundary))
    assert seen.status_code == 200, seen.content
    history = client.get(detail(boundary, "/history"))
    return seen.json()["version"], [r["version"] for r in history.json()["results"]]


def test_the_partner_counts_only_shared_versions_and_the_owner_every_one(couple):
    # Two private drafts, then shared: the partner sees a first version, not a third.
    draft = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    couple.client_a.patch(detail(draft), {"text": "A second private draft"}, format="json")
    shared = couple.client_a.patch(detail(draft), {"visibility": "shared"}, format="json")
    assert shared.json()["version"] == 3
    assert _versions(couple.client_a, draft) == (3, [3, 2, 1])
    assert _versions(couple.client_b, draft) == (1, [1])
    assert [b["version"] for b in listed(couple.client_b)["results"]] == [1]
    partner_view = couple.client_b.get("/api/v1/couple/partner").json()["boundaries"]
    assert [b["version"] for b in partner_view] == [1]

    # A shared edit is the partner's second version.
    couple.client_a.patch(detail(draft), {"text": SHARED_TEXT}, format="json")
    assert _versions(couple.client_a, draft) == (4, [4, 3, 2, 1])
    assert _versions(couple.client_b, draft) == (2, [2, 1])

    # Private for a while (reworded there), then shared again: still no gap.
    couple.client_a.patch(detail(draft), {"visibility": "private"}, format="json")
    couple.client_a.patch(detail(draft), {"text": "Reworded while private"}, format="json")
    couple.client_a.patch(detail(draft), {"visibility": "shared"}, format="json")
    assert _versions(couple.client_a, draft) == (7, [7, 6, 5, 4, 3, 2, 1])
    assert _versions(couple.client_b, draft) == (3, [3, 2, 1])
    history = couple.client_b.get(detail(draft, "/history")).content.decode()
    assert PRIVATE_TEXT not in history  # the one wording that was never shared

    # "I've read this" still applies to the wording the partner read.
    couple.client_b.post(detail(draft, "/acknowledge"))
    assert couple.client_a.get(detail(draft)).json()["acknowledged_by_partner"] is True


def test_the_partners_history_pages_by_the_numbers_they_see(couple):
    draft = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    couple.client_a.patch(detail(draft), {"visibility": "shared"}, format="json")
    couple.client_a.patch(detail(draft), {"text": "Second shared wording"}, format="json")
    first = couple.client_b.get(detail(draft, "/history"), {"page_size": 1}).json()
    assert [r["version"] for r in first["results"]] == [2]
    # Not even the cursor carries the real version (3).
    cursor = parse_qs(urlparse(first["next"]).query)["cursor"][0]
    position = parse_qs(base64.b64decode(cursor).decode())["p"]
    assert position == ["2"]
    second = couple.client_b.get(first["next"]).json()
    assert [r["version"] for r in second["results"]] == [1]
    assert second["next"] is None


def test_the_owner_is_never_shown_a_standing_not_acknowledged(couple):
    shared = create(couple.client_a)
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    # Not read yet (or not shareable at all): null, nothing owed, in every read.
    for boundary in listed(couple.client_a)["results"]:
        assert boundary["acknowledged_by_partner"] is None
    assert couple.client_a.get(detail(private)).json()["acknowledged_by_partner"] is None
    assert 'acknowledged_by_partner": false' not in couple.client_a.get(URL).content.decode()

    read = couple.client_b.post(detail(shared, "/acknowledge"))
    again = couple.client_b.post(detail(shared, "/acknowledge"))
    assert read.status_code == again.status_code == 200
    assert read.json() == again.json()
    assert couple.client_a.get(detail(shared)).json()["acknowledged_by_partner"] is True

    # A new wording: back to null, not to "unread".
    couple.client_a.patch(detail(shared), {"text": "A newer wording"}, format="json")
    assert couple.client_a.get(detail(shared)).json()["acknowledged_by_partner"] is None
    # A person with no partner is shown no debt either.
    alone = client_for(UserFactory())
    created = create(alone)
    assert created["acknowledged_by_partner"] is None


def test_the_owner_restores_a_retired_boundary_and_the_partner_sees_it_again(couple):
    shared = create(couple.client_a)
    couple.client_b.post(detail(shared, "/acknowledge"))
    since = sync_point(couple.client_b)
    assert couple.client_a.delete(detail(shared)).status_code == 204
    synced = listed(couple.client_b, updated_since=since)
    assert synced["removed"] == [shared["id"]]
    assert couple.client_b.get(detail(shared)).status_code == 404
    # Retired, it cannot be changed until it is restored.
    retired_edit = couple.client_a.patch(detail(shared), {"text": "x"}, format="json")
    assert errors_of(retired_edit, 409) == [(None, "boundary_retired")]

    since = synced["server_time"]
    restored = couple.client_a.post(detail(shared, "/restore"))
    assert restored.status_code == 200, restored.content
    body = restored.json()
    assert (body["retired_at"], body["version"], body["text"]) == (None, 1, SHARED_TEXT)
    assert body["acknowledged_by_partner"] is True  # the same wording they read
    # The partner's phone gets it back as an ordinary update; their reads show it.
    synced = listed(couple.client_b, updated_since=since)
    assert [b["id"] for b in synced["results"]] == [shared["id"]]
    assert synced["removed"] == []
    assert couple.client_b.get(detail(shared)).json()["acknowledged_by_me"] is True
    assert [b["id"] for b in listed(couple.client_b)["results"]] == [shared["id"]]
    # A double tap answers the same and changes nothing; editing works again.
    again = couple.client_a.post(detail(shared, "/restore"))
    assert again.status_code == 200
    assert again.json() == couple.client_a.get(detail(shared)).json()
    assert BoundaryRevision.objects.filter(boundary_id=shared["id"]).count() == 1
    edit = couple.client_a.patch(detail(shared), {"text": "Back, reworded"}, format="json")
    assert edit.status_code == 200


def test_restoring_a_private_boundary_tells_the_partner_nothing(couple):
    private = create(couple.client_a, visibility="private", text=PRIVATE_TEXT)
    since = sync_point(couple.client_b)
    couple.client_a.delete(detail(private))
    assert couple.client_a.post(detail(private, "/restore")).status_code == 200
    synced = listed(couple.client_b, updated_since=since)
    assert private["id"] not in str(synced)
    assert PRIVATE_TEXT not in couple.client_b.get(URL).content.decode()


def test_only_the_owner_restores_and_others_get_404(couple, other_couple, stranger_client):
    shared = create(couple.client_a)
    # The partner can see it (active): told plainly that it is not theirs.
    assert errors_of(couple.client_b.post(detail(shared, "/restore")), 403) == [(None, "not_owner")]
    couple.client_a.delete(detail(shared))
    # Retired, the partner cannot see it: the answer an unknown id gets.
    hidden = couple.client_b.post(detail(shared, "/restore"))
    missing = couple.client_b.post(detail({"id": str(uuid.uuid4())}, "/restore"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    for client in (other_couple.client_a, stranger_client):
        assert client.post(detail(shared, "/restore")).status_code == 404
    assert Boundary.objects.get(pk=shared["id"]).retired_at is not None
