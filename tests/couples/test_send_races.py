"""Two partners acting at the same moment, on real PostgreSQL: every answer is one the API
designs (never a 500 from a deadlock), and nothing sent is lost. Each round starts both
requests together at a barrier; the rounds repeat so that an unlucky interleaving shows."""

import threading
from collections import Counter

import pytest
from django.db import connection

from checkins.models import CheckIn
from couples.models import Ping, Reassurance, SpacePeriod
from nudges.models import Nudge
from tests.factories import pair
from tests.utils import client_for, today_for

ROUNDS = 20


def _at_once(calls) -> list[int]:
    """Run each call in its own thread (own connection), all released together; their
    status codes."""
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = []
    failures: list[BaseException] = []

    def run(call):
        try:
            barrier.wait()
            statuses.append(call().status_code)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert len(statuses) == len(calls)
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_partners_pinging_each_other_at_the_same_moment_never_deadlock(settings):
    settings.PINGS_PER_DAY = ROUNDS  # every ping of the test fits in the day's budget
    _couple, a, b = pair()
    phone_a, phone_b = client_for(a), client_for(b)
    statuses: Counter[int] = Counter()
    for _ in range(ROUNDS):
        statuses.update(
            _at_once([lambda: phone_a.post("/api/v1/pings"), lambda: phone_b.post("/api/v1/pings")])
        )
    assert statuses == {201: 2 * ROUNDS}
    assert Ping.objects.filter(sender=a, recipient=b).count() == ROUNDS
    assert Ping.objects.filter(sender=b, recipient=a).count() == ROUNDS
    assert Nudge.objects.filter(kind="ping").count() == 2 * ROUNDS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ping_and_a_reassurance_crossing_never_deadlock_and_the_budget_holds(settings):
    settings.PINGS_PER_DAY = ROUNDS // 2
    _couple, a, b = pair()
    phone_a, phone_b = client_for(a), client_for(b)
    statuses: Counter[int] = Counter()
    for _ in range(ROUNDS):
        statuses.update(
            _at_once(
                [
                    lambda: phone_a.post("/api/v1/pings"),
                    lambda: phone_a.post("/api/v1/pings"),
                    lambda: phone_b.post(
                        "/api/v1/reassurances",
                        {"line": SpacePeriod.Reassurance.values[0]},
                        format="json",
                    ),
                ]
            )
        )
    assert set(statuses) <= {201, 400, 429}, statuses
    # The budget holds under the race: exactly the day's pings, the rest told 429.
    assert Ping.objects.filter(sender=a).count() == ROUNDS // 2
    assert statuses[429] >= 2 * ROUNDS - ROUNDS // 2
    assert Reassurance.objects.filter(sender=b).count() == statuses[201] - ROUNDS // 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_partners_checking_in_at_the_same_moment_never_deadlock():
    _couple, a, b = pair()
    phone_a, phone_b = client_for(a), client_for(b)
    day_a, day_b = today_for(a), today_for(b)
    statuses: Counter[int] = Counter()
    for n in range(ROUNDS):
        statuses.update(
            _at_once(
                [
                    lambda n=n: phone_a.put(
                        f"/api/v1/checkins/{day_a}", {"mood": 1 + n % 5}, format="json"
                    ),
                    lambda n=n: phone_b.put(
                        f"/api/v1/checkins/{day_b}",
                        {"mood": 1 + (n + 1) % 5, "prompt_answer": f"Answer {n}"},
                        format="json",
                    ),
                ]
            )
        )
    assert statuses == {200: 2 * ROUNDS}
    assert CheckIn.objects.filter(author=a).count() == 1
    assert CheckIn.objects.filter(author=b).count() == 1
    assert CheckIn.objects.get(author=b).prompt_answer == f"Answer {ROUNDS - 1}"
    # The bridge opened once, and was announced once.
    assert Nudge.objects.filter(kind="checkin_bridge_ready").count() == 1
