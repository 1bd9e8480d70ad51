"""`make bench-instructions`: the machine instructions one request of each hot endpoint costs
the web process, counted by valgrind, beside the two floors and another commit's, in one run.

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

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.inprocess import BARE, FLOORS, HAVEN_SETTINGS, _environ, _worktree  # noqa: E402

WARM_UP = 10
VALGRIND = os.environ.get("HAVEN_VALGRIND", "/usr/bin/valgrind")


def count_requests(targets: list[dict[str, Any]], *, requests: int, token: str | None) -> None:
    """In the child, under callgrind: each target warmed up, then `requests` of it between two
    `sched_yield` calls (each one a dump of the counters)."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    def call(target: dict[str, Any]) -> str:
        body = json.dumps(target["body"]).encode() if target.get("body") else b""
        answer = handler(_environ(target["method"], target["path"], body, token), start_response)
        b"".join(answer)
        answer.close()
        return statuses.pop()

    for target in targets:
        status = call(target)
        if not status.startswith("2"):
            raise SystemExit(f"{target['name']}: {status}")
        for _warm in range(WARM_UP - 1):
            call(target)
        os.sched_yield()  # callgrind dumps (and zeroes) what came before: set-up, warm-up
        for _ in range(requests):
            call(target)
        os.sched_yield()  # and here the counted requests alone


def child(root: Path, settings: str) -> None:
    sys.path.insert(0, str(root))
    os.chdir(root)
    order = json.loads(sys.stdin.read())
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()
    count_requests(order["targets"], requests=order["requests"], token=order["token"])


def _counted(root: Path, settings: str, order: dict[str, Any], env: dict[str, str]) -> dict:
    """{target: instructions per request} for one checkout under `settings`."""
    log = ROOT / "var" / "bench" / "instructions.log"
    with tempfile.TemporaryDirectory(prefix="haven-callgrind-") as out, log.open("w") as stderr:
        done = subprocess.run(  # noqa: S603 - valgrind on our own script
            [
                VALGRIND,
                "--tool=callgrind",
                "--dump-before=sched_yield",
                "--dump-instr=no",
                "--collect-jumps=no",
                f"--callgrind-out-file={out}/callgrind.out",
                sys.executable,
                str(ROOT / "bench" / "instructions.py"),
                "--child",
                str(root),
                settings,
            ],
            input=json.dumps(order),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
            cwd=root,
            env={**os.environ, **env},
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{root} ({settings}) failed:\n{log.read_text()[-3000:]}")
        totals = _dump_totals(Path(out))
    targets = order["targets"]
    if len(totals) != 2 * len(targets):  # something else called sched_yield: counts unusable
        raise SystemExit(f"expected {2 * len(targets)} callgrind dumps, found {len(totals)}")
    return {
        target["name"]: totals[2 * index + 1] / order["requests"]
        for index, target in enumerate(targets)
    }


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
            share = counts[BARE] / counts[row] * 100
            cells.append(f"{counts[row] / 1e6:13.3f} M instr {share:6.1f}%")
        line = f"{row:30s}" + "".join(cells)
        if len(labels) == 2:
            before, after = (columns[label][row] for label in labels)
            line += f"{(after - before) / before * 100:+9.1f}%"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="a commit to count beside this checkout")
    parser.add_argument("--requests", type=int, default=50, help="counted per endpoint")
    parser.add_argument(
        "--couples", type=int, default=int(os.environ.get("BENCH_COUPLES", "10000"))
    )
    parser.add_argument("--only", action="append", metavar="NAME", help="as make bench's")
    parser.add_argument("--child", nargs=2, metavar=("ROOT", "SETTINGS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return

    from bench import api

    _summary, today, token = api.prepare(args.couples)
    endpoints = [e for e in api.select_endpoints(args.only) if e.people == 1]
    targets = [
        {
            "name": e.name,
            "method": e.method,
            "path": e.url_path(today),
            "body": api.PUT_BODY if e.method == "PUT" else None,
        }
        for e in endpoints
    ]
    env = api.bench_environment()
    checkouts = {"this checkout": ROOT}
    if args.base:
        checkouts = {args.base: _worktree(args.base), **checkouts}
    columns: dict[str, dict[str, float]] = {}
    try:
        for label, root in checkouts.items():
            counts: dict[str, float] = {}
            for name, settings, path in FLOORS:
                floor = {"name": name, "method": "GET", "path": path}
                order = {"targets": [floor], "requests": args.requests, "token": None}
                counts.update(_counted(root, settings, order, env))
            order = {"targets": targets, "requests": args.requests, "token": token}
            counts.update(_counted(root, HAVEN_SETTINGS, order, env))
            columns[label] = counts
            print(f"{label}: counted", file=sys.stderr)
    finally:
        if args.base:
            subprocess.run(  # noqa: S603 - git, on the worktree made above
                ["git", "worktree", "remove", "--force", str(checkouts[args.base])],  # noqa: S607
                cwd=ROOT,
                check=False,
            )
    rows = [*(f[0] for f in FLOORS), *(str(t["name"]) for t in targets)]
    print(
        f"instructions of the web process per request (callgrind), {args.requests} requests "
        f"each after {WARM_UP} to warm up, {args.couples:,} couples; share = bare floor's "
        "count / the row's; PostgreSQL's and Redis's own work not included"
    )
    print(render(columns, rows))


if __name__ == "__main__":
    main()
