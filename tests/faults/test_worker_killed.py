"""A Celery worker SIGKILLed while it delivers nudges: no nudge lost, none doubled.

Two kills: the pool process running a delivery batch (Celery sees the worker lost and, tasks
being acknowledged late and rejected on a lost worker, hands the batch out again), then the
whole worker (its batch stays unacknowledged in Redis; the planner's lease lapses and the next
tick hands the undelivered nudges over again). The inbox is exactly once per nudge; push is
at most once per nudge and phone (docs/delivery-semantics.md)."""

import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

NUDGES = 2000
RECIPIENTS = 20
PHONES = 2  # the first recipients have a phone: a push copy for each of their nudges
BATCH = 25

SEED = f"""
import datetime as dt
from nudges.services import device_register
from couples.models import Appreciation
from nudges.models import Nudge
from tests.factories import NudgeFactory, pair
offset = 12 - dt.datetime.now(dt.UTC).hour
offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
zone = f"Etc/GMT{{-offset:+d}}" if offset else "UTC"
pairs = []
for i in range({RECIPIENTS}):
    couple, a, b = pair()
    for person in (a, b):
        person.time_zone = zone
        person.save(update_fields=["time_zone"])
    if i < {PHONES}:
        device_register(user=b, token=f"fault-phone-{{i}}", platform="android")
    pairs.append((couple, a, b))
# Appreciations written, their nudges due and not yet handed over: the planner's tick does.
notes, nudges = [], []
for n in range({NUDGES}):
    couple, a, b = pairs[n % {RECIPIENTS}]
    notes.append(Appreciation(couple=couple, author=a, recipient=b, text=f"thanks {{n}}"))
    nudges.append(NudgeFactory.build(recipient=b, actor=a, kind="appreciation",
                                     subject_id=notes[-1].pk))
Appreciation.objects.bulk_create(notes)
Nudge.objects.bulk_create(nudges)
print(json.dumps({{"ok": True}}))
"""

PLANNER_TICK = """
from nudges.tasks import plan_and_dispatch
plan_and_dispatch.delay()
print(json.dumps({"sent": True}))
"""


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                found.append(int(status.parent.name))
    return found


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.faults
def test_worker_killed_during_delivery(fault_stack, fault_report):
    stack = fault_stack
    stack.env_extra = {"NUDGE_BATCH_SIZE": str(BATCH)}
    stack.django(SEED)

    watcher = stack.postgres.connect()

    def delivered() -> int:
        return watcher.execute("SELECT count(*) FROM nudges_notification").fetchone()[0]

    first = stack.start_worker("worker-1")
    stack.django(PLANNER_TICK)
    injected = []

    started = _wait_for(lambda: delivered() >= 1, 60)
    assert started, ("delivery never started", stack.tail("worker-1"))
    pool = _children(first.pid)
    assert pool, "no pool process to kill"
    os.kill(pool[0], signal.SIGKILL)
    at_first_kill = delivered()
    injected.append(f"SIGKILL pool process at {at_first_kill} delivered")

    resumed = _wait_for(lambda: delivered() > at_first_kill, 60)
    assert resumed, ("delivery stalled after the first kill", stack.tail("worker-1"))
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    at_second_kill = delivered()
    injected.append(f"SIGKILL whole worker at {at_second_kill} delivered")
    # Both kills landed while nudges were still being delivered.
    assert at_first_kill < at_second_kill < NUDGES, injected

    stack.start_worker("worker-2")
    time.sleep(2.5)  # the planner's lease (NUDGE_CLAIM_LEASE_SECONDS=2) lapses
    stack.django(PLANNER_TICK)  # what beat sends every minute

    complete = _wait_for(lambda: delivered() >= NUDGES, 60)
    stack.django(PLANNER_TICK)  # one more tick: nothing is handed over twice
    time.sleep(3)

    nudges = stack.postgres.query(
        "SELECT n.state, count(x.id) FROM nudges_nudge n "
        "LEFT JOIN nudges_notification x ON x.nudge_id = n.id GROUP BY n.id, n.state"
    )
    notifications = sum(count for _, count in nudges)
    lost = sum(1 for _, count in nudges if count == 0)
    doubled = sum(count - 1 for _, count in nudges if count > 1)
    push_rows = dict(
        stack.postgres.query(
            "SELECT state, count(*) FROM nudges_delivery WHERE channel = 'push' GROUP BY state"
        )
    )
    push_per_copy = stack.postgres.query(
        "SELECT count(*) FROM nudges_delivery WHERE channel = 'push' "
        "GROUP BY nudge_id, device_id HAVING count(*) > 1"
    )
    transmitted = Counter(
        (record.get("nudge_id"), record.get("token_hash"))
        for name in ("worker-1", "worker-2")
        for record in stack.log_lines(name)
        if record.get("event") == "push_recorded"
    )
    push_doubled = sum(count - 1 for count in transmitted.values() if count > 1)
    stored = delivered()
    fault_report(
        "Celery worker SIGKILLed during nudge delivery",
        "; ".join(injected) + f"; a second worker started and a planner tick sent"
        f" ({NUDGES} nudges to {RECIPIENTS} people, batches of {BATCH}, {PHONES} phones)",
        {
            "sent (nudges due)": NUDGES,
            "delivered (inbox)": notifications,
            "stored (notifications)": stored,
            "duplicated (inbox)": doubled,
            "lost (inbox)": lost,
            # A copy whose task died with a worker waits (pending) for the re-dispatch sweep
            # (nudges.tasks.redispatch_deliveries, every minute); `sending` is the one copy in
            # flight at a kill: never sent again (at most once).
            "push copies by state": push_rows,
            "push transmitted (recorded by the workers)": sum(transmitted.values()),
            "push transmitted twice to one phone": push_doubled,
            "inbox complete within 60 s of the second worker": complete,
        },
    )
    watcher.close()
    assert lost == 0 and doubled == 0
    assert notifications == NUDGES == stored
    assert not push_per_copy
    assert push_doubled == 0
    assert set(push_rows) <= {"sent", "pending", "sending"}, push_rows
    assert sum(push_rows.values()) == NUDGES * PHONES // RECIPIENTS
