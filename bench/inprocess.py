"""`make bench-inprocess`: each hot endpoint's time in-process, beside the three floors, and
beside another commit's, in one run.

    make bench-inprocess                               # this checkout alone
    make bench-inprocess BASE=d53967b                  # and that commit, side by side
    .venv/bin/python bench/inprocess.py --base HEAD~3 --requests 300 --rounds 2

No HTTP, no load generator: every request goes through Django's WSGI handler (what gunicorn
calls) in one process, one at a time, with production settings on `make bench`'s seeded
database (seeded here if it is not), as the demo person with a real token. What it measures
is the wall time of one request on this side of PostgreSQL and Redis (their answers'
waits included), best of 3 rounds of --requests; the floors are the same three views `make bench`
loads. Each checkout runs in a process of its own, its own code against the same rows; the
rounds alternate the checkouts, and each row keeps its best round, so a busy moment of the
machine does not fall on one side only. A base commit is checked out under var/bench/ with
`git worktree` and removed at the end.

Why beside `make bench`: on a shared 2-core machine a load test's rates move by ±10% from
run to run, which hides a change of a few percent; one request in-process, the two commits
alternating, shows it (docs/performance.md). The load test stays the measure of capacity.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.api import BARE_FLOOR, FLOORS, SIGNED_IN_FLOOR, STACK_FLOOR, edit_body  # noqa: E402

# The rows of the floors (`bench.api.FLOORS`, each run in-process under its own settings).
BARE, STACK, SIGNED_IN = (FLOORS[name].label for name in (BARE_FLOOR, STACK_FLOOR, SIGNED_IN_FLOOR))
SIGNED_IN_FLOOR_VIEWS = Path("bench") / "haven_floor_views.py"
HAVEN_SETTINGS = "config.settings.production"


# --- one process: one checkout's requests -----------------------------------------------------


def _environ(method: str, path: str, body: bytes, token: str | None) -> dict[str, Any]:
    """A request as gunicorn hands it to Django behind a TLS proxy on loopback."""
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "*/*",
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return environ


def request_caller(
    token: str | None, handler: Callable[..., Any] | None = None
) -> Callable[[dict[str, Any]], str]:
    """`call(target)`: one request of a target (name, method, path, body) through Django's WSGI
    handler (or `handler`), as the token's person unless the target is `anonymous`, its answer
    read to the end; returns its status line. A body's `EDIT_MARK` is a number of its own
    each call, so that each PUT edits the check-in (the same body again would write nothing)."""
    if handler is None:
        from django.core.handlers.wsgi import WSGIHandler

        handler = WSGIHandler()
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    def call(target: dict[str, Any]) -> str:
        body = b""
        if target.get("body"):  # each PUT its own edit (`bench.api.edit_body`)
            body = json.dumps(edit_body(body=target["body"])).encode()
        bearer = None if target.get("anonymous") else token
        answer = handler(_environ(target["method"], target["path"], body, bearer), start_response)
        b"".join(answer)
        answer.close()
        return statuses.pop()

    return call


def first_answer(call: Callable[[dict[str, Any]], str], target: dict[str, Any]) -> None:
    """A target's first request, which must answer 2xx, or the run stops saying so."""
    status = call(target)
    if not status.startswith("2"):
        raise SystemExit(f"{target['name']}: {status}")


def time_requests(targets: list[dict[str, Any]], *, requests: int, token: str | None) -> dict:
    """{row: seconds} for each target (name, method, path, body): one request first (it must
    answer 2xx), 20 to warm up, then the best of 3 rounds of `requests` requests, one at a time."""
    call = request_caller(token)
    timed = {}
    for target in targets:
        first_answer(call, target)
        for _warm in range(20):
            call(target)
        best = float("inf")
        for _round in range(3):
            started = time.perf_counter()
            for _ in range(requests):
                call(target)
            best = min(best, (time.perf_counter() - started) / requests)
        timed[target["name"]] = best
    return timed


def child_order(root: Path, settings: str) -> dict[str, Any]:
    """In a child process: `root`'s code set up under `settings`, and the order its parent
    sent on stdin (JSON: the targets, the token, the requests to make)."""
    sys.path.insert(0, str(root))
    os.chdir(root)
    order = json.loads(sys.stdin.read())
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()
    return order


def child(root: Path, settings: str) -> None:
    """Run in `root`'s code under `settings`: the targets and the token come on stdin (JSON),
    the times go to stdout (JSON). Everything else the process prints goes to stderr."""
    order = child_order(root, settings)
    timed = time_requests(order["targets"], requests=order["requests"], token=order["token"])
    sys.stdout.write(json.dumps(timed))


# --- the run: floors and endpoints, for each checkout, alternating --------------------------


def best_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Each row's best (least) time over the rounds."""
    best: dict[str, float] = {}
    for times in rounds:
        for name, seconds in times.items():
            best[name] = min(seconds, best.get(name, seconds))
    return best


def render(columns: dict[str, dict[str, float]], rows: list[str]) -> str:
    """One line a row: each checkout's ms and its share of that checkout's bare floor (the
    floor's time over the row's: the in-process counterpart of `make bench`'s req/s share)."""
    header = f"{'endpoint':30s}" + "".join(f"{label:>24s}" for label in columns)
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = []
        for times in columns.values():
            if row not in times:
                cells.append(f"{'—':>24s}")
                continue
            share = times[BARE] / times[row] * 100
            cells.append(f"{times[row] * 1000:13.3f} ms {share:6.1f}%")
        lines.append(f"{row:30s}" + "".join(cells))
    return "\n".join(lines)


def run_child(
    script: str,
    root: Path,
    settings: str,
    order: dict[str, Any],
    env: dict[str, str],
    *,
    wrapper: tuple[str, ...] = (),
) -> str:
    """`bench/<script> --child root settings` in a process of its own (under `wrapper`, a
    command it is given to, when there is one), `order` on its stdin; returns its stdout. Its
    log goes to var/bench/<script's name>.log; a failure stops the run with the log's end."""
    log = ROOT / "var" / "bench" / f"{Path(script).stem}.log"
    with log.open("w") as stderr:
        argv = [*wrapper, sys.executable, str(ROOT / "bench" / script), "--child", str(root)]
        done = subprocess.run(  # noqa: S603 - our own argv
            [*argv, settings],
            input=json.dumps(order),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=root,
            env={**os.environ, **env},
            check=False,
        )
    if done.returncode != 0:
        raise SystemExit(f"{root} ({settings}) failed:\n{log.read_text()[-3000:]}")
    return done.stdout


def _run_child(root: Path, settings: str, order: dict[str, Any], env: dict[str, str]) -> dict:
    """One checkout's times under `settings`, in a process of its own. Its log (a line a
    request: writing it is part of each request's cost, as in production) goes to
    var/bench/inprocess.log."""
    return json.loads(run_child("inprocess.py", root, settings, order, env))


def _worktree(rev: str) -> Path:
    commit = subprocess.run(  # noqa: S603 - git, on a commit named by the operator
        ["git", "rev-parse", "--short", rev],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    path = ROOT / "var" / "bench" / f"base-{commit}"
    if not path.exists():
        subprocess.run(  # noqa: S603 - git, on the commit rev-parse resolved
            ["git", "worktree", "add", "--detach", "--quiet", str(path), commit],  # noqa: S607
            cwd=ROOT,
            check=True,
        )
    # The rows were seeded with this checkout's field-encryption key: the base reads them too.
    key = ROOT / "var" / "bench" / "field-encryption-key"
    (path / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (path / "var" / "bench" / "field-encryption-key").write_bytes(key.read_bytes())
    return path


def arguments(
    description: str, *, requests: int, requests_help: str, rounds: bool
) -> argparse.Namespace:
    """The options `make bench-inprocess` and `make bench-instructions` share (`--rounds`
    only where timings alternate: a count needs one)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--base", help="a commit to measure beside this checkout")
    parser.add_argument("--requests", type=int, default=requests, help=requests_help)
    if rounds:
        parser.add_argument("--rounds", type=int, default=2, help="alternations of the checkouts")
    parser.add_argument(
        "--couples", type=int, default=int(os.environ.get("BENCH_COUPLES", "10000"))
    )
    parser.add_argument("--only", action="append", metavar="NAME", help="as make bench's")
    parser.add_argument("--child", nargs=2, metavar=("ROOT", "SETTINGS"), help=argparse.SUPPRESS)
    return parser.parse_args()


def prepared_targets(couples: int, only: list[str] | None) -> tuple[list[dict[str, Any]], str]:
    """`make bench`'s database ready (`bench.api.prepare`), and (its one-person endpoints as
    requests to make, the demo person's access token)."""
    from bench import api

    _summary, today, token = api.prepare(couples)
    targets = [
        {
            "name": e.name,
            "method": e.method,
            "path": e.url_path(today),
            "body": api.PUT_BODY if e.method == "PUT" else None,
        }
        for e in api.select_endpoints(only)
        if e.people == 1
    ]
    return targets, token


@contextlib.contextmanager
def checkouts(base: str | None) -> Iterator[dict[str, Path]]:
    """{label: code root}: this checkout, after `base` checked out beside it when given
    (removed again at the end, whatever happens)."""
    if not base:
        yield {"this checkout": ROOT}
        return
    worktree = _worktree(base)
    try:
        yield {base: worktree, "this checkout": ROOT}
    finally:
        subprocess.run(  # noqa: S603 - git, on the worktree made above
            ["git", "worktree", "remove", "--force", str(worktree)],  # noqa: S607
            cwd=ROOT,
            check=False,
        )


def each_settings(
    run: Callable[[Path, str, dict[str, Any], dict[str, str]], dict[str, float]],
    root: Path,
    targets: list[dict[str, Any]],
    token: str,
    requests: int,
    env: dict[str, str],
) -> dict[str, float]:
    """{row: figure} for one checkout: the floors in a process for each of their settings
    (the signed-in one with the token, the others without), then the endpoints under Haven's,
    each process started by `run(root, settings, order, env)`."""
    figures: dict[str, float] = {}
    floors_of: dict[str, list[dict[str, Any]]] = {}
    for floor in FLOORS.values():
        if floor.signed_in and not (root / SIGNED_IN_FLOOR_VIEWS).exists():
            continue  # a base commit from before the signed-in floor: its row stays empty
        target = {
            "name": floor.label,
            "method": "GET",
            "path": floor.path,
            "anonymous": not floor.signed_in,
        }
        floors_of.setdefault(floor.settings, []).append(target)
    for settings, floors in floors_of.items():
        figures.update(
            run(root, settings, {"targets": floors, "requests": requests, "token": token}, env)
        )
    order = {"targets": targets, "requests": requests, "token": token}
    figures.update(run(root, HAVEN_SETTINGS, order, env))
    return figures


def main() -> None:
    args = arguments(
        __doc__.split("\n\n")[0], requests=300, requests_help="per round of a row", rounds=True
    )
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return

    from bench import api

    targets, token = prepared_targets(args.couples, args.only)
    env = api.bench_environment()
    with checkouts(args.base) as roots:
        rounds: dict[str, list[dict[str, float]]] = {label: [] for label in roots}
        for round_number in range(args.rounds):
            for label, root in roots.items():
                rounds[label].append(
                    each_settings(_run_child, root, targets, token, args.requests, env)
                )
                print(f"round {round_number + 1}, {label}: done", file=sys.stderr)
    columns = {label: best_of(times) for label, times in rounds.items()}
    rows = [*(floor.label for floor in FLOORS.values()), *(str(t["name"]) for t in targets)]
    print(
        f"in-process, one request at a time, best of {args.rounds} rounds x 3 x "
        f"{args.requests}, {args.couples:,} couples; share = bare floor's time / the row's"
    )
    print(render(columns, rows))


if __name__ == "__main__":
    main()
