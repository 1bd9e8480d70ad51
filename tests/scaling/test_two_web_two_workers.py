"""Scale-out on one machine: two gunicorn web processes and two Celery workers share one
PostgreSQL and one Redis (docs/scaling.md), under a bounded load.

Both partners of every couple write through both web processes alternately (real HTTP, real
tokens): check-ins (PUT, then rewritten), pings and agreements (POST with an Idempotency-Key,
each replayed on the other web process, some sent to both at the same moment). Meanwhile the
planner's tick is sent as two beats would send it (each tick twice, the worst case of a
second beat), and it fans the nudges that fell due out to both workers in small batches:
relayed ones already waiting, and check-in reminders it plans itself for idle couples.

Counted: every write answered 2xx is stored exactly once (none lost, none doubled), a replay
answers the first answer on either process, nothing answers 5xx; every nudge reaches the
inbox exactly once, an engagement nudge at most once per person, kind and local day
(nudges/planner.py, its dedupe key), and a push copy at most once per nudge and phone
(docs/delivery-semantics.md)."""

import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

COUPLES = 40  # writing, both partners
IDLE_COUPLES = 20  # not writing: due for their check-in reminder when the load starts
WAITING_NUDGES = 400  # relayed nudges already due, for the planner to fan out
PINGS = 2  # per writer, each replayed on the other web process
RACED_PINGS = 1  # per writer in four: one key sent to both web processes at once
PHONES = 8  # idle and writing people with a phone: push copies too
BATCH = 25  # nudge ids per delivery task: many tasks, so both workers take some
CLIENT_THREADS = 8
BEAT_EVERY = 3.0  # seconds between ticks (beat's minute, compressed)

SEED = f"""
import datetime as dt
from couples.models import Appreciation
from nudges.models import Nudge, NudgeSettings, PlannerRun
from nudges.services import device_register
from tests.factories import NudgeFactory, pair
from tests.utils import access_token_for
now = dt.datetime.now(dt.UTC)
# A zone where it is about noon: no quiet hours, the same local day all run long.
offset = 12 - now.hour
offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
zone = f"Etc/GMT{{-offset:+d}}" if offset else "UTC"
local_now = now + dt.timedelta(hours=offset)
def settle(*people):
    for person in people:
        person.time_zone = zone
        person.save(update_fields=["time_zone"])
writers, idle, phones = [], [], []
for i in range({COUPLES}):
    couple, a, b = pair()
    settle(a, b)
    writers.append([{{"id": str(p.pk), "token": access_token_for(p)}} for p in (a, b)])
    phones.append(b)
idle_pairs = []
for i in range({IDLE_COUPLES}):
    couple, a, b = pair()
    settle(a, b)
    idle_pairs.append((couple, a, b))
    idle += [str(a.pk), str(b.pk)]
    phones.append(a)
for n, person in enumerate(phones[: {PHONES} // 2] + phones[-({PHONES} // 2):]):
    device_register(user=person, token=f"scale-phone-{{n}}", platform="android")
# The idle people's check-in minute passed five minutes ago and the beat last planned ten
# minutes ago: the first tick plans their reminders (the catch-up a late tick makes).
reminder_at = (local_now - dt.timedelta(minutes=5)).time().replace(second=0, microsecond=0)
NudgeSettings.objects.filter(user_id__in=idle).update(checkin_time=reminder_at)
PlannerRun.objects.create(minute=now.replace(second=0, microsecond=0) - dt.timedelta(minutes=10))
notes, nudges = [], []
for n in range({WAITING_NUDGES}):
    couple, a, b = idle_pairs[n % len(idle_pairs)]
    notes.append(Appreciation(couple=couple, author=a, recipient=b, text=f"thanks {{n}}"))
    nudges.append(NudgeFactory.build(recipient=b, actor=a, kind="appreciation",
                                     subject_id=notes[-1].pk))
Appreciation.objects.bulk_create(notes)
Nudge.objects.bulk_create(nudges)
print(json.dumps({{"writers": writers, "idle": idle, "today": local_now.date().isoformat()}}))
"""


class Tally:
    """What the clients sent and what the servers answered, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.per_port: Counter = Counter()
        self.bad: list[str] = []
        self.sent: Counter = Counter()  # distinct writes, by what
        self.acknowledged: dict[str, dict[str, str]] = {"ping": {}, "agreement": {}}
        self.checkins: dict[str, int] = {}  # writer -> the mood last acknowledged
        self.replays: Counter = Counter()  # ok / differs

    def answered(self, port: int, status: int, what: str, body, allowed=(200, 201)) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.per_port[port] += 1
            if status not in allowed:
                self.bad.append(f"{what}: {status} {str(body)[:300]}")


def _post(stack, tally: Tally, port: int, path: str, body, token: str, key: str):
    """One creating POST, retried with its key on 409 (the same key still in flight on the
    other web process); returns (status, headers, body) of the final answer."""
    for _attempt in range(40):
        status, headers, answer = stack.request(
            "POST", path, body, token=token, headers={"Idempotency-Key": key}, port=port
        )
        # 409: the same key is still in flight on the other web process (a raced key).
        tally.answered(port, status, f"POST {path}", answer, allowed=(201, 409))
        if status != 409:
            return status, headers, answer
        # The first request is done in milliseconds; its Retry-After counts to the lock's
        # expiry (for a request that died), so the retry comes sooner than it says.
        time.sleep(0.1)
    return status, headers, answer


def _writer(stack, tally: Tally, person: dict, number: int, today: str, ports, run: str):
    token = person["token"]
    turn = [number]  # partners (numbers n, n + 1) start on different web processes

    def port() -> int:
        turn[0] += 1
        return ports[turn[0] % 2]

    def checkin(mood: int) -> None:
        p = port()
        status, _, body = stack.request(
            "PUT",
            f"/api/v1/checkins/{today}",
            {"mood": mood, "energy": 3, "dial": 0, "shared_note": f"{run} steady"},
            token=token,
            port=p,
        )
        tally.answered(p, status, "PUT checkin", body)
        if status in (200, 201):
            with tally.lock:
                tally.checkins[person["id"]] = mood

    def create(what: str, path: str, body) -> None:
        key = str(uuid.uuid4())
        first, second = port(), port()
        with tally.lock:
            tally.sent[what] += 1
        status, _, answer = _post(stack, tally, first, path, body, token, key)
        if status != 201:
            return
        with tally.lock:
            tally.acknowledged[what][key] = answer["id"]
        # The client lost the answer and retried through the load balancer: the other process.
        status, headers, again = _post(stack, tally, second, path, body, token, key)
        same = (
            status == 201
            and headers.get("Idempotent-Replayed") == "true"
            and again["id"] == answer["id"]
        )
        with tally.lock:
            tally.replays["same answer" if same else "differs"] += 1

    def raced(what: str, path: str, body) -> None:
        """One key sent to both web processes at the same moment (a double tap that two
        connections carried to two servers)."""
        key = str(uuid.uuid4())
        with tally.lock:
            tally.sent[what] += 1
        answers: list = []
        threads = [
            threading.Thread(
                target=lambda p=p: answers.append(_post(stack, tally, p, path, body, token, key))
            )
            for p in ports
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ids = {answer["id"] for status, _, answer in answers if status == 201}
        fresh = sum(1 for status, headers, _ in answers if status == 201) - sum(
            1 for _, headers, _ in answers if headers.get("Idempotent-Replayed") == "true"
        )
        with tally.lock:
            for pk in ids:
                tally.acknowledged[what][f"{key} {pk}"] = pk
            # One of the two created it; the other answered that same creation.
            same = len(answers) == 2 and len(ids) == 1 and fresh == 1
            tally.replays["same answer" if same else "differs"] += 1

    checkin(random.randint(1, 5))
    for _ in range(PINGS):
        create("ping", "/api/v1/pings", {})
    create(
        "agreement",
        "/api/v1/agreements",
        {
            "title": f"{run} {person['id']}",
            "terms": "Phones away at dinner on weekdays.",
            "my_need": "Time together without screens.",
            "your_need_as_i_understand": "A way to hear from work if it is urgent.",
        },
    )
    if number % 4 == 0:
        for _ in range(RACED_PINGS):
            raced("ping", "/api/v1/pings", {})
    checkin(random.randint(1, 5))  # the day's check-in, rewritten through the other process


@pytest.mark.scaling
def test_two_web_processes_and_two_workers_under_load(scale_stack, scale_report):
    from celery import Celery

    stack = scale_stack
    started = time.monotonic()
    stack.env_extra = {"NUDGE_BATCH_SIZE": str(BATCH), "THROTTLE_USER": "6000/min"}
    workers = ["worker-1", "worker-2"]
    for name in workers:  # they start while the seed runs; nothing is queued before a tick
        stack.start_worker(name)
    seed = stack.django(SEED)
    ports = [
        stack.start_app(workers=1, threads=4, name="web-1"),
        stack.start_app(workers=1, threads=4, name="web-2"),
    ]
    run = uuid.uuid4().hex[:8]
    tally = Tally()
    watcher = stack.postgres.connect()

    # The beat: the planner's tick every BEAT_EVERY seconds, sent twice each time as two
    # beats would; runs until the load is over and every due nudge is delivered.
    beat = Celery("scale-beat", broker=f"{stack.redis.url}/1")
    beat.conf.task_serializer = "json"
    load_done = threading.Event()
    ticks = Counter()

    def beats() -> None:
        while not load_done.wait(BEAT_EVERY):
            for _ in range(2):
                beat.send_task("nudges.tasks.plan_and_dispatch")
                ticks["sent"] += 1

    def due_left() -> int:
        return watcher.execute(
            "SELECT count(*) FROM nudges_nudge WHERE state = 'pending' AND due_at <= now()"
        ).fetchone()[0]

    def copies_left() -> int:
        return watcher.execute(
            "SELECT count(*) FROM nudges_delivery WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]

    beater = threading.Thread(target=beats)
    beater.start()
    load_started = time.monotonic()
    try:
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            writers = [person for couple in seed["writers"] for person in couple]
            futures = [
                pool.submit(_writer, stack, tally, person, number, seed["today"], ports, run)
                for number, person in enumerate(writers)
            ]
            for future in futures:
                future.result(timeout=120)
        load_seconds = time.monotonic() - load_started
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and (due_left() or copies_left()):
            time.sleep(0.5)
        drain_seconds = time.monotonic() - load_started - load_seconds
        time.sleep(BEAT_EVERY * 1.5)  # one more tick of each beat: nothing is handed over twice
    finally:
        load_done.set()
        beater.join()
        beat.close()

    # --- the writes ----------------------------------------------------------------------
    writer_ids = [person["id"] for couple in seed["writers"] for person in couple]
    pings = Counter(
        str(pk)
        for (pk,) in stack.postgres.query(
            "SELECT id FROM couples_ping WHERE sender_id = ANY(%s::uuid[])", writer_ids
        )
    )
    agreements = Counter(
        str(pk)
        for (pk,) in stack.postgres.query(
            "SELECT id FROM couples_agreement WHERE title LIKE %s", f"{run} %"
        )
    )
    checkins = {
        str(author): (mood, count)
        for author, mood, count in stack.postgres.query(
            "SELECT author_id, max(mood), count(*) FROM checkins_checkin "
            "WHERE author_id = ANY(%s::uuid[]) AND local_date = %s GROUP BY author_id",
            writer_ids,
            seed["today"],
        )
    }

    def tally_of(what: str, stored: Counter) -> dict:
        acknowledged = set(tally.acknowledged[what].values())
        return {
            "sent": tally.sent[what],
            "acknowledged": len(acknowledged),
            "stored": sum(stored.values()),
            "duplicated": sum(count - 1 for count in stored.values() if count > 1),
            "lost": sum(1 for pk in acknowledged if stored[pk] == 0),
        }

    ping_rows = tally_of("ping", pings)
    agreement_rows = tally_of("agreement", agreements)
    checkin_rows = {
        "sent": 2 * len(writer_ids),
        "acknowledged (writers)": len(tally.checkins),
        "stored": sum(count for _, count in checkins.values()),
        "duplicated": sum(count - 1 for _, count in checkins.values() if count > 1),
        "lost or not the last acknowledged": sum(
            1 for pk, mood in tally.checkins.items() if checkins.get(pk, (None, 0))[0] != mood
        ),
    }

    # --- the nudges ----------------------------------------------------------------------
    nudges = stack.postgres.query(
        "SELECT n.kind, n.state, n.reason, n.recipient_id, n.subject_id, n.local_date, "
        "count(x.id) FROM nudges_nudge n LEFT JOIN nudges_notification x ON x.nudge_id = n.id "
        "GROUP BY n.id"
    )
    by_kind: Counter = Counter()
    delivered_by_kind: Counter = Counter()
    inbox_doubled = 0
    inbox_lost = []
    per_person_kind_day: Counter = Counter()
    for kind, state, reason, recipient, _subject, local_date, count in nudges:
        by_kind[kind] += 1
        delivered_by_kind[kind] += count
        inbox_doubled += max(0, count - 1)
        if state == "sent" and count == 0 and reason != "arrived_as_one":
            inbox_lost.append(kind)
        if kind == "checkin_reminder":
            per_person_kind_day[(recipient, kind, local_date)] += count
    pending_due = due_left()
    ping_nudges = Counter(str(subject) for kind, _, _, _, subject, _, _ in nudges if kind == "ping")
    ping_notified = Counter(
        str(subject) for kind, _, _, _, subject, _, count in nudges if kind == "ping" and count
    )
    reminders_per_idle = Counter(
        str(recipient) for (recipient, _, _), count in per_person_kind_day.items() if count
    )
    # A reminder the daily or weekly cap stopped, because another gentle nudge (an
    # appreciation idea, say) reached that person first: the cap working, not a loss. Moved
    # on to a later day it waits (pending); a reminder is for its own day only, so one the
    # cap would move past that day is dropped (nudges.policy._defer), and then the nudge that
    # took the day's place must have been sent to that person on that very local day.
    gentle_sent = {
        (str(recipient), local_date)
        for recipient, local_date in stack.postgres.query(
            "SELECT recipient_id, local_date FROM nudges_nudge WHERE nudge_class = "
            "'engagement' AND state = 'sent' AND kind <> 'checkin_reminder'"
        )
    }
    capped_reminders = {
        str(recipient)
        for kind, state, reason, recipient, _subject, day, count in nudges
        if kind == "checkin_reminder"
        and reason in ("daily_cap", "weekly_cap")
        and not count
        and (state == "pending" or (state == "dropped" and (str(recipient), day) in gentle_sent))
    }
    push_doubled_rows = stack.postgres.query(
        "SELECT count(*) FROM nudges_delivery WHERE channel = 'push' "
        "GROUP BY nudge_id, device_id HAVING count(*) > 1"
    )
    push_states = dict(
        stack.postgres.query(
            "SELECT state, count(*) FROM nudges_delivery WHERE channel = 'push' GROUP BY state"
        )
    )
    transmitted: Counter = Counter()
    batches: Counter = Counter()
    for name in workers:
        for record in stack.log_lines(name):
            if record.get("event") == "push_recorded":
                transmitted[(record.get("nudge_id"), record.get("token_hash"))] += 1
            if record.get("event") == "nudges_delivered":
                batches[name] += 1
    push_twice = sum(count - 1 for count in transmitted.values() if count > 1)
    database_errors = Counter(
        record.get("error", "")[:120]
        for name in ("web-1", "web-2")
        for record in stack.log_lines(name)
        if record.get("event") == "database_unavailable"
    )
    watcher.close()

    requests = sum(tally.statuses.values())
    scale_report(
        "two web processes and two workers, one PostgreSQL and one Redis",
        f"{COUPLES} couples, both partners writing through both web processes "
        f"(gunicorn 1 worker x 4 threads each) from {CLIENT_THREADS} client threads: "
        f"check-in PUT x2, {PINGS} pings and 1 agreement each replayed on the other process, "
        f"a ping raced to both for one writer in four; the planner's tick every {BEAT_EVERY} s "
        f"sent twice (two beats), {WAITING_NUDGES} relayed nudges waiting and "
        f"{2 * IDLE_COUPLES} reminders to plan, batches of {BATCH}, {PHONES} phones",
        {
            "pings (POST, Idempotency-Key)": ping_rows,
            "agreements (POST, Idempotency-Key)": agreement_rows,
            "check-ins (PUT, twice)": checkin_rows,
            "replays on the other process": dict(tally.replays),
            "answers by status": dict(sorted(tally.statuses.items())),
            "requests per web process": dict(tally.per_port),
            "load": f"{requests} requests in {load_seconds:.1f} s "
            f"({requests / load_seconds:.0f} req/s)",
            "setup (seed, 2 web, 2 workers)": f"{load_started - started:.1f} s",
            "drained after the load": f"{drain_seconds:.1f} s",
            "nudges by kind": dict(sorted(by_kind.items())),
            "inbox rows by kind": dict(sorted(delivered_by_kind.items())),
            "inbox duplicated": inbox_doubled,
            "inbox lost (sent, no row)": len(inbox_lost),
            "still pending and due": pending_due,
            "reminders per person and day (max)": max(per_person_kind_day.values(), default=0),
            "delivery batches per worker": dict(batches),
            "planner ticks sent": ticks["sent"],
            "push copies by state": push_states,
            "push transmitted / twice to one phone": f"{sum(transmitted.values())} / {push_twice}",
            "other answers": tally.bad[:3],
            "database errors (web logs)": dict(database_errors),
            "elapsed": f"{time.monotonic() - started:.1f} s",
        },
    )
    # Nothing answered 5xx or anything unexpected.
    assert not tally.bad, tally.bad
    assert not any(status >= 500 for status in tally.statuses)
    assert set(tally.per_port) == set(ports)
    # Every acknowledged write stored exactly once; replays answer the first answer.
    for rows in (ping_rows, agreement_rows):
        assert rows["acknowledged"] == rows["sent"] == rows["stored"], rows
        assert rows["duplicated"] == 0 and rows["lost"] == 0, rows
    assert tally.replays["differs"] == 0, tally.replays
    assert len(tally.checkins) == len(writer_ids)
    assert checkin_rows["stored"] == len(writer_ids)
    assert checkin_rows["duplicated"] == 0
    assert checkin_rows["lost or not the last acknowledged"] == 0
    # Every nudge due was delivered, to the inbox exactly once.
    assert pending_due == 0
    assert inbox_doubled == 0 and not inbox_lost, inbox_lost
    assert set(ping_nudges) == set(pings) and set(ping_nudges.values()) == {1}
    assert set(ping_notified) == set(pings)
    assert by_kind["agreement_proposed"] == delivered_by_kind["agreement_proposed"]
    assert by_kind["agreement_proposed"] == len(agreements)
    assert delivered_by_kind["appreciation"] == WAITING_NUDGES
    # Engagement: one reminder per idle person and local day, whatever the second beat did,
    # unless the cap on gentle nudges moved it on (then it is waiting, not lost or doubled).
    unreached = set(seed["idle"]) - set(reminders_per_idle) - capped_reminders
    # Each unreached person's reminders and gentle nudges as stored (kind, state, reason,
    # inbox rows), so a rare failure says why.
    assert not unreached, [
        (kind, state, reason, count)
        for kind, state, reason, recipient, _subject, _day, count in nudges
        if str(recipient) in unreached
    ]
    assert set(reminders_per_idle) | capped_reminders == set(seed["idle"])
    assert not set(reminders_per_idle) & capped_reminders
    # Exactly one inbox row for each reminder of a person's day, and none for a reminder the
    # cap stopped (its person has no other: checked just above).
    rows_per_reminder = {
        str(recipient) in capped_reminders: set() for recipient, _, _ in per_person_kind_day
    }
    for (recipient, _, _), count in per_person_kind_day.items():
        rows_per_reminder[str(recipient) in capped_reminders].add(count)
    assert rows_per_reminder.get(False) == {1}, rows_per_reminder
    assert rows_per_reminder.get(True, {0}) == {0}, rows_per_reminder
    # Push: at most once per nudge and phone.
    assert not push_doubled_rows and push_twice == 0
    assert sum(transmitted.values()) >= 1
    # Both workers took delivery batches.
    assert set(batches) == set(workers) and min(batches.values()) >= 1, batches
