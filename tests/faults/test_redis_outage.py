"""Redis (cache and broker) stopped, then started again: writes keep succeeding, /readyz
names what is down, sign-in still works (no 429 for everyone), and the nudge a write asked
for while the broker was down reaches the partner once Redis is back, exactly once."""

import time

import pytest

from tests.factories import PASSWORD
from tests.utils import APP

# Both partners live where it is midday now, so no quiet hours hold the ping back.
SEED = """
import datetime as dt
from tests.factories import pair
from tests.utils import access_token_for
offset = 12 - dt.datetime.now(dt.UTC).hour
offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
zone = f"Etc/GMT{-offset:+d}" if offset else "UTC"
couple, a, b = pair()
for person in (a, b):
    person.time_zone = zone
    person.save(update_fields=["time_zone"])
from accounts.localtime import local_today
print(json.dumps({"a": access_token_for(a), "b": access_token_for(b), "a_email": a.email,
                  "b_id": str(b.pk), "today": local_today(a).isoformat()}))
"""

PLANNER_TICK = """
from nudges.tasks import plan_and_dispatch
plan_and_dispatch.delay()
print(json.dumps({"sent": True}))
"""


@pytest.mark.faults
def test_redis_stopped_and_started_again(fault_stack, fault_report):
    stack = fault_stack
    people = stack.django(SEED)
    stack.start_app()
    stack.start_worker()
    assert stack.request("GET", "/readyz")[0] == 200

    stack.redis.stop()
    timings: dict[str, str] = {}

    def timed(name: str, *args, **kwargs):
        started = time.monotonic()
        answer = stack.request(*args, **kwargs)
        timings[name] = f"{answer[0]} in {time.monotonic() - started:.2f} s"
        return answer

    checkin = timed(
        "check-in (PUT)",
        "PUT",
        f"/api/v1/checkins/{people['today']}",
        {"mood": 3, "energy": 2, "dial": -1, "capacity": "light"},
        token=people["a"],
    )
    ping = timed("ping (POST)", "POST", "/api/v1/pings", token=people["a"])
    ready = timed("/readyz", "GET", "/readyz")
    wrong = timed(
        "sign-in, wrong password",
        "POST",
        f"{APP}/auth/login",
        {"email": people["a_email"], "password": "not the right one 1"},
    )
    sign_in = timed(
        "sign-in, right password",
        "POST",
        f"{APP}/auth/login",
        {"email": people["a_email"], "password": PASSWORD},
    )
    down_for = time.monotonic()
    stack.redis.start()
    stack.django(PLANNER_TICK)  # what beat sends every minute

    def pings_in_inbox() -> int:
        status, _, body = stack.request("GET", "/api/v1/notifications", token=people["b"])
        return sum(1 for n in body["results"] if n["kind"] == "ping") if status == 200 else -1

    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and pings_in_inbox() < 1:
        time.sleep(0.5)
    caught_up_after = time.monotonic() - down_for
    stack.django(PLANNER_TICK)  # a second tick hands nothing over twice
    time.sleep(3)

    pings_stored = stack.postgres.query("SELECT count(*) FROM couples_ping")[0][0]
    checkins_stored = stack.postgres.query("SELECT count(*) FROM checkins_checkin")[0][0]
    nudges = stack.postgres.query(
        "SELECT n.id, count(x.id) FROM nudges_nudge n "
        "LEFT JOIN nudges_notification x ON x.nudge_id = n.id "
        "WHERE n.kind = 'ping' AND n.recipient_id = %s GROUP BY n.id",
        people["b_id"],
    )
    delivered = sum(1 for _, count in nudges if count >= 1)
    in_inbox = pings_in_inbox()
    fault_report(
        "Redis (cache and broker) stopped, then started",
        "redis-server terminated; a check-in, a ping and two sign-ins while it was down; "
        "started again and one planner tick sent",
        {
            **timings,
            "/readyz failing": ready[2].get("failing") if isinstance(ready[2], dict) else ready[2],
            "sent (writes while down)": 2,
            "acknowledged": int(checkin[0] in (200, 201)) + int(ping[0] == 201),
            "stored (check-in, ping)": f"{checkins_stored}, {pings_stored}",
            "ping nudges / delivered to the partner": f"{len(nudges)} / {delivered}",
            "in the partner's inbox": in_inbox,
            "duplicated": max(0, in_inbox - 1) + sum(max(0, c - 1) for _, c in nudges),
            "lost": 1 - min(1, delivered),
            "caught up after Redis returned": f"{caught_up_after:.1f} s",
        },
    )
    assert checkin[0] in (200, 201), checkin
    assert ping[0] == 201, ping
    assert ready[0] == 503 and {"cache", "broker"} <= set(ready[2]["failing"]), ready
    assert wrong[0] == 400 and [e["code"] for e in wrong[2]["errors"]] == [
        "email_password_mismatch"
    ], wrong
    assert sign_in[0] == 200, sign_in
    assert sign_in[2]["meta"]["access_token"]
    assert (checkins_stored, pings_stored) == (1, 1)
    assert len(nudges) == 1 and delivered == 1
    assert in_inbox == 1
