"""`make bench-sections`: where one request's instructions go, section by section, counted
by valgrind.

    make bench-sections BENCH_ARGS='--only "GET me"'
    .venv/bin/python bench/sections.py --only "GET checkins/today" \\
        --mark checkins.selectors:pacing_week --mark checkins.selectors:prompt_of_day

`make bench-instructions` says how many instructions a request costs the web process; this
says where they go. The request runs under callgrind as there (Django's WSGI handler,
production settings, `make bench`'s database, the demo person's token), with marks put in its
path: entering and leaving each middleware layer, Django's request signals, DRF's phases
(the request, content negotiation, authentication, permissions, throttles, the view, the
response and its rendering), the request's log line, and any function named with --mark
(`module:name` or `module:Class.method`). Each mark calls `sched_yield`, which callgrind
is told to dump its counters before, so the instructions between two marks are one dump's
total: each section's instructions per request, exactly, over --requests requests (a mark
itself costs ~2,500). The tenth round found a third of `GET me`'s instructions this way in
an hour (docs/performance.md).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.inprocess import (  # noqa: E402
    HAVEN_SETTINGS,
    arguments,
    child_order,
    first_answer,
    prepared_targets,
    request_caller,
    run_child,
)
from bench.instructions import WARM_UP, _dump_totals, callgrind  # noqa: E402

BEGIN = "begin "  # a label opening an endpoint's counted requests
START, END = "request", "answered"
# DRF's phases, marked where they are entered and left.
DRF_PHASES = (
    "rest_framework.views:APIView.initialize_request",
    "rest_framework.views:APIView.perform_content_negotiation",
    "rest_framework.views:APIView.perform_authentication",
    "rest_framework.views:APIView.check_permissions",
    "rest_framework.views:APIView.check_throttles",
    "rest_framework.views:APIView.finalize_response",
    "django.template.response:SimpleTemplateResponse.render",
)


class Marks:
    """The labels of one run, in order; each mark dumps callgrind's counters
    (`sched_yield`), only while `on`."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.on = False

    def __call__(self, label: str) -> None:
        if self.on:
            self.labels.append(label)
            os.sched_yield()

    def around(self, function: Callable[..., Any], name: str) -> Callable[..., Any]:
        def marked(*args: Any, **kwargs: Any) -> Any:
            self(f"enter {name}")
            try:
                return function(*args, **kwargs)
            finally:
                self(f"leave {name}")

        marked.__wrapped__ = function  # type: ignore[attr-defined]
        return marked


Patch = Callable[[Any, str, Any], None]  # setattr, or a test's monkeypatch.setattr


def mark_function(marks: Marks, spec: str, patch: Patch = setattr) -> None:
    """Mark `module:name` or `module:Class.method` (a function, a method or a property)."""
    module_name, _, path = spec.partition(":")
    owner: Any = importlib.import_module(module_name)
    *parents, name = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    found = (owner.__dict__ if isinstance(owner, type) else vars(owner))[name]
    label = path
    if isinstance(found, property):
        marked: Any = property(marks.around(found.fget, label))  # type: ignore[arg-type]
    elif isinstance(found, staticmethod | classmethod):
        marked = type(found)(marks.around(found.__func__, label))
    else:
        marked = marks.around(found, label)
    patch(owner, name, marked)


def mark_signals(marks: Marks, patch: Patch = setattr) -> None:
    """Django's request_started and request_finished, each sent as one section."""
    from django.core import signals

    for signal, name in (
        (signals.request_started, "request_started"),
        (signals.request_finished, "request_finished"),
    ):
        patch(signal, "send", marks.around(signal.send, name))


def mark_log_line(marks: Marks, patch: Patch = setattr) -> None:
    """The request's one log line (`common.middleware.request_logger`)."""
    from common import middleware

    logger = middleware.request_logger

    class Marked:
        def log(self, *args: Any, **kwargs: Any) -> Any:
            return marks.around(logger.log, "request log line")(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(logger, name)

    patch(middleware, "request_logger", Marked())


def mark_middleware(marks: Marks, handler: Any) -> None:
    """Entering and leaving each middleware layer of `handler`'s chain (the outermost
    first): a layer's own work is then the sections between its neighbours' marks."""
    inner = handler._middleware_chain
    outermost = "middleware " + _name(getattr(inner, "__wrapped__", inner))
    handler._middleware_chain = marks.around(inner, outermost)
    while True:
        layer = getattr(inner, "__wrapped__", None)
        if layer is None or not callable(getattr(layer, "get_response", None)):
            return
        following = layer.get_response
        name = _name(getattr(following, "__wrapped__", following))
        layer.get_response = marks.around(following, f"middleware {name}")
        inner = following


def _name(step: Any) -> str:
    """A middleware layer's class name; the handler's own view step is "view"."""
    if hasattr(step, "__func__"):
        return "view"
    if isinstance(step, type) or not callable(step) or hasattr(step, "get_response"):
        return type(step).__name__
    return getattr(step, "__qualname__", type(step).__name__)


def count_sections(
    targets: list[dict[str, Any]],
    *,
    requests: int,
    token: str | None,
    extra: list[str],
    patch: Patch = setattr,
) -> list[str]:
    """In the child, under callgrind: marks put in, each target warmed up, then `requests`
    of it with the marks on. Returns the labels, in the order the dumps were taken."""
    marks = Marks()
    for spec in (*DRF_PHASES, *extra):
        mark_function(marks, spec, patch)
    mark_signals(marks, patch)
    mark_log_line(marks, patch)
    from django.core.handlers.wsgi import WSGIHandler

    load = WSGIHandler.load_middleware

    def load_marked(handler: Any, *args: Any, **kwargs: Any) -> None:
        load(handler, *args, **kwargs)
        mark_middleware(marks, handler)

    patch(WSGIHandler, "load_middleware", load_marked)
    call = request_caller(token)
    for target in targets:
        first_answer(call, target)
        for _warm in range(WARM_UP - 1):
            call(target)
        marks.on = True
        marks(BEGIN + target["name"])
        for _ in range(requests):
            marks(START)
            call(target)
            marks(END)
        marks.on = False
    return marks.labels


def sections(labels: list[str], totals: list[int], requests: int) -> dict[str, dict[str, float]]:
    """{endpoint: {"from → to": instructions per request}}, in the order first met. The dump
    taken at label i holds what ran since label i - 1; what ran before an endpoint's first
    label (set-up, warm-up) and between two requests is nobody's."""
    if len(labels) != len(totals):
        raise SystemExit(f"{len(labels)} marks but {len(totals)} callgrind dumps")
    table: dict[str, dict[str, float]] = {}
    endpoint: dict[str, float] | None = None
    for index, label in enumerate(labels):
        if label.startswith(BEGIN):
            endpoint = table.setdefault(label[len(BEGIN) :], {})
            continue
        previous = labels[index - 1] if index else BEGIN
        if endpoint is None or previous.startswith(BEGIN) or (previous, label) == (END, START):
            continue
        key = f"{previous} → {label}"
        endpoint[key] = endpoint.get(key, 0.0) + totals[index] / requests
    return table


def render(table: dict[str, dict[str, float]]) -> str:
    lines = []
    for endpoint, rows in table.items():
        total = sum(rows.values())
        lines.append(f"{endpoint}: {total / 1e6:.3f} M instructions a request (marks included)")
        for key, count in rows.items():
            lines.append(f"  {count / 1e3:10.1f} k {count / total * 100:5.1f}%  {key}")
    return "\n".join(lines)


def child(root: Path, settings: str) -> None:
    order = child_order(root, settings)
    labels = count_sections(
        order["targets"], requests=order["requests"], token=order["token"], extra=order["marks"]
    )
    sys.stdout.write(json.dumps(labels))


def main() -> None:
    sys.argv, marks = _marks_apart(sys.argv)
    args = arguments(
        __doc__.split("\n\n")[0], requests=20, requests_help="counted per endpoint", rounds=False
    )
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    from bench import api

    targets, token = prepared_targets(args.couples, args.only)
    order = {"targets": targets, "requests": args.requests, "token": token, "marks": marks}
    with tempfile.TemporaryDirectory(prefix="haven-sections-") as out:
        environment = api.bench_environment()
        answer = run_child(
            "sections.py", ROOT, HAVEN_SETTINGS, order, environment, wrapper=callgrind(out)
        )
        labels = json.loads(answer)
        totals = _dump_totals(Path(out))
    print(render(sections(labels, totals, args.requests)))


def _marks_apart(argv: list[str]) -> tuple[list[str], list[str]]:
    """(argv without its --mark options, the functions they name)."""
    kept, marks = [], []
    items = iter(argv)
    for item in items:
        if item == "--mark":
            marks.append(next(items, ""))
        elif item.startswith("--mark="):
            marks.append(item.split("=", 1)[1])
        else:
            kept.append(item)
    return kept, [mark for mark in marks if mark]


if __name__ == "__main__":
    main()
