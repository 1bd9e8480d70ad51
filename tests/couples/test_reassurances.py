"""One-tap reassurances (issue 13, item 16): a ready-made line, Haven's own or the words the
partner likes to hear (only while shared), relayed as a reassurance with its own small
budget, never quoting anything on a lock screen and never carrying the sender's own text."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from couples.models import Reassurance
from nudges.models import Notification, Nudge
from tests.nudges.delivering import deliver_due
from tests.utils import assert_error_shape, next_noon_for

URL = "/api/v1/reassurances"
THEIR_WORDS = "Tell me we are still a team, even on quiet days"
PLANTED = "PLANTED-sender-text-7f3a"


def send(client, line: str = "still_care", **extra):
    return client.post(URL, {"line": line, **extra}, format="json")


def share_words(client, words: str = THEIR_WORDS, *, shared: bool = True) -> None:
    response = client.patch(
        "/api/v1/me/preferences",
        {"reassurance": words, "shared_with_partner": shared},
        format="json",
    )
    assert response.status_code == 200, response.content


def inbox(client) -> list[dict]:
    return client.get("/api/v1/notifications").json()["results"]


def test_havens_line_reaches_the_partner_titled_as_a_reassurance(couple):
    sent = send(couple.client_a, "still_care")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    line_text = "I still care about you while I'm quiet."
    assert (body["line"], body["text"]) == ("still_care", line_text)
    assert (body["sender_id"], body["recipient_id"]) == (str(couple.a.pk), str(couple.b.pk))

    # Each partner lists it; the partner reads the line in the app.
    for client in (couple.client_a, couple.client_b):
        listed = client.get(URL).json()["results"]
        assert [(r["id"], r["text"]) for r in listed] == [(body["id"], line_text)]
    assert couple.client_b.get(f"{URL}/{body['id']}").json()["text"] == line_text

    # The partner is nudged once, with its own kind; the sender is not.
    nudge = Nudge.objects.get(recipient=couple.b)
    assert (nudge.kind, nudge.nudge_class) == ("reassurance", "relayed")
    assert str(nudge.subject_id) == body["id"]
    assert not Nudge.objects.filter(recipient=couple.a).exists()

    deliver_due(next_noon_for(couple.b))
    [notification] = inbox(couple.client_b)
    assert notification["kind"] == "reassurance"
    assert notification["title"] == "A reassurance"
    assert notification["title"] != "A little appreciation"
    assert couple.a.display_name in notification["body"]
    assert line_text not in json.dumps(notification)
    assert inbox(couple.client_a) == []


def test_the_partners_own_words_go_only_while_they_share_them(couple):
    never_set = send(couple.client_a, "their_words")
    body = assert_error_shape(never_set, 400, "no_shared_words", "validation_error")
    assert body["errors"][0]["attr"] == "line"

    # Kept private: the same answer as never written, and the words reach nobody.
    share_words(couple.client_b, shared=False)
    kept_private = send(couple.client_a, "their_words")
    assert kept_private.json() == never_set.json()
    lines = couple.client_a.get(f"{URL}/lines").json()["lines"]
    assert "their_words" not in [line["line"] for line in lines]
    assert THEIR_WORDS not in couple.client_a.get(f"{URL}/lines").content.decode()

    share_words(couple.client_b)
    lines = couple.client_a.get(f"{URL}/lines").json()["lines"]
    assert lines[0] == {"line": "their_words", "text": THEIR_WORDS}
    assert len(lines) == len(Reassurance._meta.get_field("line").choices)
    sent = send(couple.client_a, "their_words")
    assert sent.status_code == 201, sent.content
    assert sent.json()["text"] == THEIR_WORDS
    [received] = couple.client_b.get(URL).json()["results"]
    assert received["text"] == THEIR_WORDS

    # The push never quotes them, even to the one who wrote them.
    deliver_due(next_noon_for(couple.b))
    assert THEIR_WORDS not in json.dumps(inbox(couple.client_b))
    assert not Notification.objects.filter(body__contains="team").exists()

    # They stop sharing: the sender no longer reads their words; they still read their own.
    share_words(couple.client_b, shared=False)
    assert couple.client_a.get(URL).json()["results"][0]["text"] is None
    assert THEIR_WORDS not in couple.client_a.get(URL).content.decode()
    assert couple.client_b.get(URL).json()["results"][0]["text"] == THEIR_WORDS


def test_nothing_the_sender_types_is_ever_read_or_relayed(couple):
    sent = send(couple.client_a, "back_soon", text=PLANTED, message=PLANTED, body=PLANTED)
    assert sent.status_code == 201, sent.content
    deliver_due(next_noon_for(couple.b))
    reads = [
        sent,
        couple.client_b.get(URL),
        couple.client_b.get(f"{URL}/{sent.json()['id']}"),
        couple.client_b.get("/api/v1/notifications"),
        couple.client_a.get(URL),
    ]
    for response in reads:
        assert PLANTED not in response.content.decode()
    assert not Notification.objects.filter(body__contains=PLANTED).exists()
    assert not Notification.objects.filter(title__contains=PLANTED).exists()


def test_three_a_day_then_a_gentle_429_with_retry_after(couple):
    for line in ("still_care", "back_soon", "recharging"):
        assert send(couple.client_a, line).status_code == 201
    fourth = send(couple.client_a, "thinking_of_you")
    body = assert_error_shape(fourth, 429, "reassurance_budget_spent")
    assert "3" not in body["errors"][0]["detail"]  # no count that reads as pressure
    assert 0 < int(fourth["Retry-After"]) <= 24 * 3600
    assert Nudge.objects.filter(recipient=couple.b, kind="reassurance").count() == 3
    assert len(couple.client_b.get(URL).json()["results"]) == 3
    # Pings keep their own budget, and the partner has their own reassurances.
    assert couple.client_a.post("/api/v1/pings").status_code == 201
    assert send(couple.client_b).status_code == 201


def test_the_budget_follows_the_senders_own_day(couple):
    couple.a.time_zone = "Pacific/Auckland"
    couple.a.save()
    for _ in range(3):
        send(couple.client_a)
    Reassurance.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    assert send(couple.client_a).status_code == 201


def test_a_retried_reassurance_is_not_sent_twice(couple):
    for _ in range(2):
        response = couple.client_a.post(
            URL, {"line": "still_care"}, format="json", HTTP_IDEMPOTENCY_KEY="one-tap"
        )
        assert response.status_code == 201
    assert Reassurance.objects.count() == 1
    assert Nudge.objects.filter(recipient=couple.b, kind="reassurance").count() == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"line": "i_miss_you_call_me"}, {"line": ""}, {"line": None}, {"line": ["still_care"]}],
)
def test_a_line_that_is_not_offered_is_a_400_naming_the_field(couple, body):
    response = couple.client_a.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["attr"] == "line"
    assert not Reassurance.objects.exists()


def test_another_couple_a_stranger_and_the_signed_out_never_reach_it(
    couple, other_couple, stranger_client, api_client
):
    sent = send(couple.client_a).json()
    for client in (other_couple.client_a, stranger_client):
        assert client.get(f"{URL}/{sent['id']}").status_code == 404
        assert sent["id"] not in client.get(URL).content.decode()
    assert_error_shape(send(stranger_client), 404, "not_paired")
    assert_error_shape(stranger_client.get(f"{URL}/lines"), 404, "not_paired")
    assert api_client.get(URL).status_code == 401
    assert send(api_client).status_code == 401
    assert api_client.get(f"{URL}/lines").status_code == 401


def test_after_the_couple_ends_the_sender_keeps_theirs_without_the_partners_words(couple):
    share_words(couple.client_b)
    sent = send(couple.client_a, "their_words").json()
    send(couple.client_a, "still_care")
    assert couple.client_b.post("/api/v1/couple/end").status_code == 200

    assert couple.client_b.get(URL).json()["results"] == []
    assert couple.client_b.get(f"{URL}/{sent['id']}").status_code == 404
    mine = {r["line"]: r["text"] for r in couple.client_a.get(URL).json()["results"]}
    assert mine == {"their_words": None, "still_care": "I still care about you while I'm quiet."}
    assert THEIR_WORDS not in couple.client_a.get(URL).content.decode()
    # The pending nudge between them is cancelled with the couple.
    assert not Nudge.objects.filter(
        recipient=couple.b, kind="reassurance", state=Nudge.State.PENDING
    ).exists()


def test_havens_own_lines_are_offered_when_the_partner_shares_no_words(couple):
    lines = couple.client_a.get(f"{URL}/lines").json()["lines"]
    assert {line["line"] for line in lines} == {
        "not_about_you",
        "recharging",
        "still_care",
        "back_soon",
        "thinking_of_you",
    }
    assert all(line["text"] for line in lines)


def test_list_query_count_is_pinned(couple, django_assert_max_num_queries):
    share_words(couple.client_b)
    for line in ("their_words", "still_care", "back_soon"):
        send(couple.client_a, line)
    for line in ("recharging", "still_care"):
        send(couple.client_b, line)
    # Session, person, couple, the page; the words: own preferences, couple and partner,
    # the partner's shared profile.
    with django_assert_max_num_queries(8):
        response = couple.client_a.get(URL)
    assert len(response.json()["results"]) == 5
