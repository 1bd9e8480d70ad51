"""The log line's JSON writer (common.logs): the same object as Python's `json` wrote, never
a lost line, and the stdlib told not to look up what no formatter prints."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import uuid

import structlog
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st
from structlog.processors import _json_fallback_handler

from common.logs import json_line

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_a_line_is_the_object_python_json_wrote(event):
    written = json_line(event, default=_json_fallback_handler)
    assert "\n" not in written
    assert json.loads(written) == json.loads(json.dumps(event, default=_json_fallback_handler))


def test_what_orjson_cannot_write_is_written_by_python_json():
    huge = {"event": "big", "count": 2**80, "deep": [[[[]]]], 1: "number key"}
    assert json.loads(json_line(huge, default=_json_fallback_handler)) == {
        "event": "big",
        "count": 2**80,
        "deep": [[[[]]]],
        "1": "number key",
    }
    nested: list = []
    for _ in range(300):  # deeper than orjson goes
        nested = [nested]
    assert json_line({"nested": nested}) == json.dumps({"nested": nested})


def test_unknown_values_are_written_as_structlog_writes_them():
    class Tagged:
        def __structlog__(self):
            return "tagged"

    event = {"tag": Tagged(), "thing": object(), "id": uuid.UUID(int=7)}
    event["day"] = dt.date(2026, 1, 2)
    line = json.loads(json_line(event, default=_json_fallback_handler))
    assert line["tag"] == "tagged"
    assert line["thing"].startswith("<object object at ")
    assert line["id"] == "00000000-0000-0000-0000-000000000007"
    assert line["day"] == "2026-01-02"


def test_the_json_formatter_writes_a_structlog_line_with_orjson(capsys):
    formatter = logging.config.dictConfigClass(settings.LOGGING).configure_formatter(
        settings.LOGGING["formatters"]["json"]
    )
    handler = logging.StreamHandler()
    handler.setFormatter(formatter)
    logger = logging.getLogger("haven.test_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        structlog.get_logger("haven.test_logs").warning("written", count=3, who=None)
    finally:
        logger.removeHandler(handler)
    line = capsys.readouterr().err.strip()
    assert ", " not in line  # compact: orjson's, not Python's default separators
    parsed = json.loads(line)
    assert (parsed["event"], parsed["count"], parsed["who"], parsed["level"]) == (
        "written",
        3,
        None,
        "warning",
    )
    assert parsed["logger"] == "haven.test_logs"


def test_no_formatter_needs_what_the_stdlib_is_told_not_to_look_up():
    assert logging._srcfile is None
    assert not logging.logThreads and not logging.logMultiprocessing
    assert logging.logProcesses  # gunicorn's own lines print the process id
    used = {"pathname", "filename", "lineno", "funcName", "module", "thread", "threadName"}
    used |= {"processName", "stack_info"}
    for name, formatter in settings.LOGGING["formatters"].items():
        text = str(formatter.get("format", "")) + str(formatter.get("fmt", ""))
        assert not any(f"%({attribute})" in text for attribute in used), name
