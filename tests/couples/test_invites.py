"""Pairing by invite: codes people can type, one identical answer for every dead code,
guessing throttled, and exactly one couple from racing accepts."""

import datetime as dt

import pytest

from common.throttling import InviteCodeIPThrottle, InviteCodeUserThrottle
from couples.invite_codes import ALPHABET, invite_code_normalize
from couples.models import Couple, Invite, Membership
from tests.factories import UserFactory
from tests.utils import client_for, race


@pytest.fixture
def inviter(db):
    return UserFactory(display_name="Sam")


def _invite(client) -> dict:
    response = client.post("/api/v1/invites")
    assert response.status_code == 201, response.content
    return response.json()


def test_code_is_human_typable_and_strong(inviter):
    body = _invite(client_for(inviter))
    group_a, group_b = body["code"].split("-")
    assert len(group_a) == len(group_b) == 5
    assert set(group_a + group_b) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)
    assert body["link"].endswith(body["code"])
    # ≥ 40 bits: 31 symbols, 10 of them.
    assert len(ALPHABET) ** 10 > 2**40


def test_preview_shows_only_the_inviters_display_name(inviter):
    code = _invite(client_for(inviter))["code"]
    preview = client_for(UserFactory()).get(f"/api/v1/invites/{code}")
    assert preview.status_code == 200
    assert set(preview.json()) == {"inviter_display_name", "expires_at"}
    assert preview.json()["inviter_display_name"] == "Sam"
    assert inviter.email not in preview.content.decode()


def test_code_is_case_insensitive_and_ignores_dashes_and_spaces(inviter):
    code = _invite(client_for(inviter))["code"]
    sloppy = " ".join(code.replace("-", "").lower())
    assert invite_code_normalize(sloppy) == code.replace("-", "")
    partner = UserFactory()
    response = client_for(partner).post(f"/api/v1/invites/{sloppy}/accept")
    assert response.status_code == 201, response.content
    assert response.json()["partner"]["display_name"] == "Sam"


def test_unknown_expired_revoked_declined_and_used_codes_get_one_identical_answer(
    inviter, time_machine
):
    inviter_client = client_for(inviter)
    guesser = client_for(UserFactory())
    revoked = _invite(inviter_client)["code"]
    assert inviter_client.delete(f"/api/v1/invites/{revoked}").status_code == 204
    declined = _invite(inviter_client)["code"]
    # Declined by someone else: the one who declined it may tap "decline" again and hear the
    # same no (tests/test_double_taps.py); everyone else gets the one answer.
    assert client_for(UserFactory()).post(f"/api/v1/invites/{declined}/decline").status_code == 204
    expired = _invite(inviter_client)["code"]
    Invite.objects.filter(code=expired.replace("-", "")).update(
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    used = _invite(inviter_client)["code"]
    assert client_for(UserFactory()).post(f"/api/v1/invites/{used}/accept").status_code == 201

    answers = set()
    for code in (revoked, declined, expired, used, "ABCDE-FGHJK"):
        for method, path in (("get", ""), ("post", "/accept"), ("post", "/decline")):
            response = getattr(guesser, method)(f"/api/v1/invites/{code}{path}")
            answers.add((response.status_code, response.content))
    assert len(answers) == 1
    status, content = answers.pop()
    assert status == 404 and b"invite_not_found" in content


def test_accepting_your_own_invite_is_refused_clearly(inviter):
    client = client_for(inviter)
    code = _invite(client)["code"]
    response = client.post(f"/api/v1/invites/{code}/accept")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "own_invite"


def test_no_invites_or_accepts_while_already_paired(couple, inviter):
    assert couple.client_a.post("/api/v1/invites").json()["errors"][0]["code"] == "already_paired"
    code = _invite(client_for(inviter))["code"]
    response = couple.client_a.post(f"/api/v1/invites/{code}/accept")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "already_paired"


def test_a_handful_of_live_invites_at_most(inviter, settings):
    client = client_for(inviter)
    for _ in range(settings.INVITES_LIVE_MAX):
        _invite(client)
    response = client.post("/api/v1/invites")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "too_many_live_invites"


def test_only_the_inviter_can_revoke(inviter):
    code = _invite(client_for(inviter))["code"]
    assert client_for(UserFactory()).delete(f"/api/v1/invites/{code}").status_code == 404
    assert Invite.objects.get().status == Invite.Status.PENDING


def test_invites_list_is_mine_only_with_a_fixed_query_budget(
    inviter, django_assert_max_num_queries
):
    client = client_for(inviter)
    for _ in range(3):
        _invite(client)
    _invite(client_for(UserFactory()))
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/invites")
    assert len(response.json()["results"]) == 3


def test_accepting_makes_one_couple_and_spends_both_peoples_other_invites(inviter):
    partner = UserFactory()
    code = _invite(client_for(inviter))["code"]
    partners_own = _invite(client_for(partner))["code"]
    assert client_for(partner).post(f"/api/v1/invites/{code}/accept").status_code == 201
    assert Couple.objects.count() == 1
    assert Invite.objects.get(code=partners_own.replace("-", "")).status == Invite.Status.REVOKED


def test_guessing_codes_is_throttled(monkeypatch, db):
    monkeypatch.setattr(InviteCodeUserThrottle, "get_rate", lambda self: "3/hour")
    guesser = client_for(UserFactory())
    statuses = [guesser.get(f"/api/v1/invites/AAAAA-AAAA{n}").status_code for n in range(2, 6)]
    assert statuses == [404, 404, 404, 429]
    assert int(guesser.get("/api/v1/invites/AAAAA-AAAA9")["Retry-After"]) > 0


def test_guessing_is_throttled_per_address_across_accounts(monkeypatch, db):
    monkeypatch.setattr(InviteCodeIPThrottle, "get_rate", lambda self: "2/hour")
    clients = [client_for(UserFactory()) for _ in range(3)]
    statuses = [c.get("/api/v1/invites/BBBBB-BBBBB").status_code for c in clients]
    assert statuses == [404, 404, 429]


def test_invite_codes_fail_closed_when_redis_is_down(settings, inviter):
    code = _invite(client_for(inviter))["code"]
    settings.CACHES = {
        **settings.CACHES,
        "strict": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2},
        },
    }
    guesser = client_for(UserFactory())
    guesser.raise_request_exception = False  # a 5xx is reported as a request exception
    response = guesser.get(f"/api/v1/invites/{code}")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "service_unavailable"


def test_invites_need_sign_in(api_client, db):
    assert api_client.post("/api/v1/invites").status_code == 401
    assert api_client.get("/api/v1/invites/ABCDE-FGHJK").status_code == 401


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_accepting_one_code_at_once_make_exactly_one_couple():
    inviter = UserFactory()
    code = _invite(client_for(inviter))["code"]
    first, second = client_for(UserFactory()), client_for(UserFactory())
    results = race(
        lambda: first.post(f"/api/v1/invites/{code}/accept").status_code,
        lambda: second.post(f"/api/v1/invites/{code}/accept").status_code,
    )
    assert sorted(results) == [201, 404]
    assert Couple.objects.count() == 1
    assert Membership.objects.filter(left_at__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_accepting_each_others_invites_at_once_make_one_couple():
    a, b = UserFactory(), UserFactory()
    client_a, client_b = client_for(a), client_for(b)
    code_a, code_b = _invite(client_a)["code"], _invite(client_b)["code"]
    results = race(
        lambda: client_b.post(f"/api/v1/invites/{code_a}/accept").status_code,
        lambda: client_a.post(f"/api/v1/invites/{code_b}/accept").status_code,
    )
    assert 201 in results
    assert sorted(results)[0] == 201 and sorted(results)[1] in (404, 409)
    assert Couple.objects.count() == 1
    assert Membership.objects.filter(left_at__isnull=True).count() == 2


def test_accept_response_is_the_couple(inviter):
    code = _invite(client_for(inviter))["code"]
    partner_client = client_for(UserFactory())
    body = partner_client.post(f"/api/v1/invites/{code}/accept").json()
    assert body["partner"]["id"] == str(inviter.pk)
    assert partner_client.get("/api/v1/couple").json()["id"] == body["id"]


def test_unpaired_people_have_no_couple(stranger_client):
    response = stranger_client.get("/api/v1/couple")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_paired"
