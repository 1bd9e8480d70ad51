"""`make bench-instructions`: the machine instructions one request of each hot endpoint costs
the web process, counted by valgrind, beside the three floors and another commit's, in one run.

    make bench-instructions                          # this checkout alone
    make bench-instructions BASE=7c87bd0             # and that commit, side by side
    .venv/bin/python bench/instructions.py --base HEAD~2 --requests 50 --only "GET me"

Why beside `make bench` and `make bench-inprocess`: on a shared machine, times move by 10 to 25%
from run to run, even in-process and in CPU time (the neighbours share the caches and the
cores), which hides a change of a few percent. An instruction count does not move: the same
code on the same rows executes the same instructions, run after run, busy machine or not
(within ~0.1%). What it leaves out is what it cannot see: PostgreSQL's and Redis's work (their
own processes) and how long each instruction takes (cache misses, a busy core). So it says
whether a change made the web process do less, exactly; `make bench` still says what the
machine can serve.

How: each checkout's requests run in one process under valgrind's callgrind (Debian's
`valgrind`, installed by the target when missing), through Django's WSGI handler as in
`make bench-inprocess`, as the demo person with a real token, on `make bench`'s seeded
database. For each endpoint: 10 requests to warm up (the first must answer 2xx), then
--requests counted between two calls to `sched_yield`, which callgrind is told to dump its
counters before (`--dump-before`); each count is the dump's total over the requests counted.
Under valgrind a request runs ~50 times slower: a checkout takes a few minutes.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.inprocess import (  # noqa: E402
    BARE,
    FLOORS,
    arguments,
    checkouts,
    child_order,
    each_settings,
    first_answer,
    prepared_targets,
    request_caller,
    run_child,
)

WARM_UP = 10
VALGRIND = os.environ.get("HAVEN_VALGRIND", "/usr/bin/valgrind")


def count_requests(targets: list[dict[str, Any]], *, requests: int, token: str | None) -> None:
    """In the child, under callgrind: each target warmed up, then `requests` of it between two
    `sched_yield` calls (each one a dump of the counters)."""
    call = request_caller(token)
    for target in targets:
        first_answer(call, target)
        for _warm in range(WARM_UP - 1):
            call(target)
        os.sched_yield()  # callgrind dumps (and zeroes) what came before: set-up, warm-up
        for _ in range(requests):
            call(target)
        os.sched_yield()  # and here the counted requests alone


def child(root: Path, settings: str) -> None:
    order = child_order(root, settings)
    count_requests(order["targets"], requests=order["requests"], token=order["token"])


def _counted(root: Path, settings: str, order: dict[str, Any], env: dict[str, str]) -> dict:
    """{target: instructions per request} for one checkout under `settings`."""
    with tempfile.TemporaryDirectory(prefix="haven-callgrind-") as out:
        run_child("instructions.py", root, settings, order, env, wrapper=callgrind(out))
        totals = _dump_totals(Path(out))
    targets = order["targets"]
    if len(totals) != 2 * len(targets):  # something else called sched_yield: counts unusable
        raise SystemExit(f"expected {2 * len(targets)} callgrind dumps, found {len(totals)}")
    return {
        target["name"]: totals[2 * index + 1] / order["requests"]
        for index, target in enumerate(targets)
    }


def callgrind(out: str) -> tuple[str, ...]:
    """valgrind's callgrind, dumping its counters into `out` each time the process calls
    `sched_yield` (and zeroing them), nothing else collected."""
    return (
        VALGRIND,
        "--tool=callgrind",
        "--dump-before=sched_yield",
        "--dump-instr=no",
        "--collect-jumps=no",
        f"--callgrind-out-file={out}/callgrind.out",
    )


def _dump_totals(out: Path) -> list[int]:
    """Each numbered dump's total instructions, in the order they were dumped."""
    dumps = []
    for path in out.glob("callgrind.out.*"):
        found = re.search(r"^totals:\s*(\d+)", path.read_text(errors="replace"), re.MULTILINE)
        if found:
            dumps.append((int(path.name.rsplit(".", 1)[1]), int(found.group(1))))
    return [total for _number, total in sorted(dumps)]


def render(columns: dict[str, dict[str, float]], rows: list[str]) -> str:
    """One line a row: each checkout's instructions per request, its share of the bare floor's
    (the floor's count over the row's), and beside a base, the change from the first column."""
    labels = list(columns)
    header = f"{'endpoint':30s}" + "".join(f"{label:>28s}" for label in labels)
    if len(labels) == 2:
        header += f"{'change':>10s}"
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = []
        for counts in columns.values():
            if row not in counts:  # a floor a base commit does not have
                cells.append(f"{'—':>28s}")
                continue
            share = counts[BARE] / counts[row] * 100
            cells.append(f"{counts[row] / 1e6:13.3f} M instr {share:6.1f}%")
        line = f"{row:30s}" + "".join(cells)
        if len(labels) == 2 and all(row in columns[label] for label in labels):
            before, after = (columns[label][row] for label in labels)
            line += f"{(after - before) / before * 100:+9.1f}%"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    args = arguments(
        __doc__.split("\n\n")[0], requests=50, requests_help="counted per endpoint", rounds=False
    )
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return

    from bench import api

    targets, token = prepared_targets(args.couples, args.only)
    env = api.bench_environment()
    columns: dict[str, dict[str, float]] = {}
    with checkouts(args.base) as roots:
        for label, root in roots.items():
            columns[label] = each_settings(_counted, root, targets, token, args.requests, env)
            print(f"{label}: counted", file=sys.stderr)
    rows = [*(floor.label for floor in FLOORS.values()), *(str(t["name"]) for t in targets)]
    print(
        f"instructions of the web process per request (callgrind), {args.requests} requests "
        f"each after {WARM_UP} to warm up, {args.couples:,} couples; share = bare floor's "
        "count / the row's; PostgreSQL's and Redis's own work not included"
    )
    print(render(columns, rows))


if __name__ == "__main__":
    main()
