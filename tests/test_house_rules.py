"""The house rules a newcomer can rely on, checked on the source itself: which way the
imports run between apps, and that each everyday chore is done one way (docs/architecture.md).
A failure names the file and line that took another road."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nudges.kinds import all_kinds

ROOT = Path(__file__).resolve().parent.parent
APPS = ["common", "accounts", "nudges", "couples", "checkins", "learn"]
# What each app may import (besides itself); nothing imports `config` but Django.
MAY_IMPORT = {
    "common": set(),
    "accounts": {"common"},
    "nudges": {"common", "accounts"},
    "couples": {"common", "accounts", "nudges"},
    "checkins": {"common", "accounts", "nudges", "couples"},
    "learn": {"common", "accounts", "nudges", "couples", "checkins"},
}
KNOWN_APPS = {*APPS, "config"}


def _sources(*apps: str) -> list[Path]:
    return sorted(
        path
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def _imported_apps(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in KNOWN_APPS:
                found.add((top, node.lineno))
    return found


@pytest.mark.parametrize("app", APPS)
def test_imports_run_one_way(app):
    """common <- accounts <- nudges <- couples <- checkins <- learn: no arrow runs back."""
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {other}"
        for path in _sources(app)
        for other, line in _imported_apps(ast.parse(path.read_text()))
        if other != app and other not in MAY_IMPORT[app]
    ]
    assert wrong == []


def _lines_matching(pattern: str, *, apps=APPS, allowed: tuple[str, ...] = ()) -> list[str]:
    regex = re.compile(pattern)
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources(*apps)
        if str(path.relative_to(ROOT)) not in allowed
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if regex.search(line)
    ]


def test_the_person_asking_is_named_one_way():
    """Views name "me" with `accounts.viewer.person_of`, never a cast or a local helper."""
    assert _lines_matching(r"cast\(User|def _me\(|def _coach\(") == []


def test_not_found_is_answered_one_way():
    """DRF's NotFound (or get_object_or_404), never an ApplicationError with a 404."""
    assert _lines_matching(r"status_code\s*=\s*404|def _not_found") == []


def test_a_persons_today_is_computed_one_way():
    """Only accounts.localtime turns a person's time zone into their calendar."""
    assert _lines_matching(r"ZoneInfo\([^)]*time_zone", allowed=("accounts/localtime.py",)) == []


def test_sync_kinds_live_on_their_models():
    """A Tombstone kind is its model's `SYNC_KIND` (a typed class attribute), read by views,
    services and receivers alike: no second constant or literal that a rename would miss."""
    assert _lines_matching(r"sync_kind\s*=|SYNC_KIND\s*=") == []


def test_the_viewer_reaches_serializers_through_the_context_method():
    assert _lines_matching(r"context=\{\s*\"viewer\"") == []


def _function_level_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text())
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines += [
                inner.lineno
                for inner in ast.walk(node)
                if isinstance(inner, ast.Import | ast.ImportFrom)
            ]
    return lines


def test_nudges_import_eagerly_except_in_tasks():
    """Celery tasks import what they run lazily (HackSoft's emails/tasks.py); everything
    else imports at the top, so a cycle shows at start-up, not mid-request. AppConfig.ready
    is Django's own place for late imports."""
    lazy = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources("nudges")
        if path.name not in ("tasks.py", "apps.py")
        for line in _function_level_imports(path)
    ]
    assert lazy == []


def test_nudges_never_name_another_apps_kinds():
    """Back-off, space holds and copy come from what each app registers; the nudges code
    itself never spells out a kind that `couples` or `checkins` owns."""
    others = {kind.name for kind in all_kinds()}
    assert {"checkin_reminder", "coach_note", "conversation_reminder"} <= others
    named = [
        f"{path.relative_to(ROOT)}:{number}: {kind}"
        for path in _sources("nudges")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for kind in others
        if f'"{kind}"' in line or f"'{kind}'" in line
    ]
    assert named == []


def test_selectors_never_write():
    """Reads live in selectors and never write: a person's missing settings row is read as
    unsaved defaults (`common.models.row_or_default`) and written by the first change."""
    writes = re.compile(r"get_or_create|update_or_create|\.save\(|\.create\(|\.update\(|\.delete\(")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources(*APPS)
        if path.name == "selectors.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if writes.search(line)
    ]
    assert found == []


def _api_exceptions_of_the_project() -> list[type]:
    from rest_framework.exceptions import APIException

    found, stack = [], [APIException]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.append(sub)
    return found


def test_error_details_are_translated_when_answered_not_when_imported():
    """A `default_detail` made with plain gettext is translated once, at import, in the
    server's language; a lazy one follows each person's locale (design: every word a person
    reads is translatable)."""
    from django.utils.functional import Promise

    import checkins.prompts  # noqa: F401 - load every module that defines such errors
    import couples.selectors
    import couples.services.coaching
    import couples.services.invites  # noqa: F401

    exceptions = _api_exceptions_of_the_project()
    assert len(exceptions) >= 5
    eager = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in exceptions
        if "default_detail" in vars(cls) and not isinstance(cls.default_detail, Promise)
    ]
    assert eager == []
