"""PostgreSQL restarts during a burst of creates whose clients retry with their
Idempotency-Key: every acknowledged write is stored exactly once, and a request caught by the
restart answers 503 with Retry-After in the error shape, never a 500."""

import threading
import time
import uuid
from collections import Counter

import pytest

CLIENTS = 6
CREATES_PER_CLIENT = 10
RESTART_AFTER_ACKS = 15
DOWN_SECONDS = 1.5
# Above the stack's gunicorn timeout: a request that died with its connection leaves its key
# "in progress" this long, and the retry says so (409 with Retry-After) until then.
LOCK_TIMEOUT_SECONDS = 12


@pytest.mark.faults
def test_postgres_restart_during_a_burst_of_appreciations(fault_stack, fault_report):
    stack = fault_stack
    people = stack.django(
        "from tests.factories import pair\n"
        "from tests.utils import access_token_for\n"
        "couple, a, b = pair()\n"
        "print(json.dumps({'a': access_token_for(a)}))"
    )
    stack.env_extra = {"IDEMPOTENCY_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT_SECONDS)}
    stack.start_app(timeout=10)
    run = uuid.uuid4().hex[:8]
    lock = threading.Lock()
    statuses: Counter = Counter()
    acknowledged: dict[str, str] = {}  # text -> id
    bad: list[str] = []
    unavailable_without_retry_after = 0

    def create(text: str) -> None:
        nonlocal unavailable_without_retry_after
        key = str(uuid.uuid4())
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            try:
                status, headers, body = stack.request(
                    "POST",
                    "/api/v1/appreciations",
                    {"text": text},
                    token=people["a"],
                    headers={"Idempotency-Key": key},
                    timeout=10,
                )
            except OSError:
                with lock:
                    statuses["no answer"] += 1
                time.sleep(0.3)
                continue
            with lock:
                statuses[status] += 1
            if status == 201:
                with lock:
                    acknowledged[text] = body["id"]
                return
            retry_after = headers.get("Retry-After")
            if status in (503, 409):
                codes = [error["code"] for error in body["errors"]]
                expected = "service_unavailable" if status == 503 else "idempotency_key_in_progress"
                if codes != [expected] or not retry_after:
                    with lock:
                        unavailable_without_retry_after += 1
                time.sleep(min(float(retry_after or 1), 3))
                continue
            with lock:
                bad.append(f"{status} {body}")
            time.sleep(0.3)

    def client(number: int) -> None:
        for n in range(CREATES_PER_CLIENT):
            create(f"fault-a {run} client {number} create {n}")
            time.sleep(0.15)

    def restart() -> None:
        while len(acknowledged) < RESTART_AFTER_ACKS:
            time.sleep(0.02)
        stack.postgres.stop("fast")
        time.sleep(DOWN_SECONDS)
        stack.postgres.start()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    restarter = threading.Thread(target=restart)
    started = time.monotonic()
    restarter.start()
    for thread in threads:
        thread.start()
    for thread in [*threads, restarter]:
        thread.join(timeout=90)
    elapsed = time.monotonic() - started

    stored = Counter(
        text
        for (text,) in stack.postgres.query(
            "SELECT text FROM couples_appreciation WHERE text LIKE %s", f"fault-a {run} %"
        )
    )
    sent = CLIENTS * CREATES_PER_CLIENT
    duplicated = sum(count - 1 for count in stored.values() if count > 1)
    lost = sum(1 for text in acknowledged if stored[text] == 0)
    fault_report(
        "PostgreSQL restarted during a burst of POST appreciations (retries with Idempotency-Key)",
        f"pg_ctl stop -m fast after {RESTART_AFTER_ACKS} acknowledged creates, "
        f"{DOWN_SECONDS} s down, start; {CLIENTS} clients x {CREATES_PER_CLIENT} creates",
        {
            "sent (distinct creates)": sent,
            "acknowledged (201)": len(acknowledged),
            "stored": sum(stored.values()),
            "duplicated": duplicated,
            "lost (acknowledged, not stored)": lost,
            "answers by status": dict(sorted(statuses.items(), key=str)),
            "503/409 without Retry-After or code": unavailable_without_retry_after,
            "other answers": bad[:5],
            "elapsed": f"{elapsed:.1f} s",
        },
    )
    assert statuses[500] == 0, bad
    assert not bad
    assert statuses[503] >= 1, "no request was caught by the restart"
    assert unavailable_without_retry_after == 0
    assert len(acknowledged) == sent
    assert all(stored[text] == 1 for text in acknowledged), stored
    assert sum(stored.values()) == sent
