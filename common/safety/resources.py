"""Crisis resources for a country, shaped for the API: from the database, or, when the
database cannot answer, from the copy baked at deploy time (`manage.py
bake_crisis_resources`), or, when there is not even that, from the one directory built in
here. Only verified lines are ever served; the international directories always answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import structlog
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from common.safety.models import INTERNATIONAL, CrisisLine

logger = structlog.get_logger(__name__)

DATABASE = "database"
BAKED = "baked"
BUILT_IN = "built_in"
SERVED_FROM = (DATABASE, BAKED, BUILT_IN)

# Answer groups, in the order the app shows them.
GROUPS: dict[str, str] = {
    CrisisLine.Kind.EMERGENCY: "emergency",
    CrisisLine.Kind.CRISIS: "crisis",
    CrisisLine.Kind.DOMESTIC_VIOLENCE: "domestic_violence",
    CrisisLine.Kind.DIRECTORY: "directories",
}

# The last resort, when neither the database nor a baked copy can answer: a directory of
# helplines in every country, so the answer is never empty.
BUILT_IN_DIRECTORY: dict[str, Any] = {
    "country": INTERNATIONAL,
    "kind": CrisisLine.Kind.DIRECTORY.value,
    "name": "Find A Helpline",
    "phone": "",
    "text_number": "",
    "web_url": "https://findahelpline.com",
    "hours": "24/7",
    "languages": [],
    "source": "https://findahelpline.com",
    "verified": True,
    "verified_on": "2026-11-29",
}


def line_data(line: CrisisLine) -> dict[str, Any]:
    return {
        "country": line.country,
        "kind": line.kind,
        "name": line.name,
        "phone": line.phone,
        "text_number": line.text_number,
        "web_url": line.web_url,
        "hours": line.hours,
        "languages": line.language_list,
        "source": line.source,
        "verified": line.verified,
        "verified_on": line.verified_on.isoformat() if line.verified_on else None,
    }


def verified_lines(countries: list[str] | None = None) -> list[dict[str, Any]]:
    """Every verified line (of `countries` only, when given), in the table's order."""
    rows = CrisisLine.objects.filter(verified_on__isnull=False)
    if countries is not None:
        rows = rows.filter(country__in=countries)
    return [line_data(line) for line in rows.order_by("country", "kind", "position", "name")]


def baked_file() -> Path:
    return Path(settings.CRISIS_RESOURCES_BAKED_FILE)


def crisis_resources_bake(path: Path | None = None) -> int:
    """Write every verified line to the baked copy; returns how many. Run at deploy time,
    after migrations, so the web process can answer while the database is down."""
    path = path or baked_file()
    lines = verified_lines()
    document = {"baked_at": timezone.now().isoformat(), "lines": lines}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(path)  # never a half-written copy
    return len(lines)


def _baked_lines(countries: list[str]) -> list[dict[str, Any]] | None:
    try:
        document = json.loads(baked_file().read_text(encoding="utf-8"))
        return [
            line
            for line in document["lines"]
            if line.get("country") in countries and line.get("verified")
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _lines_for(country: str | None) -> tuple[list[dict[str, Any]], str]:
    countries = [INTERNATIONAL] if country is None else [country, INTERNATIONAL]
    try:
        return verified_lines(countries), DATABASE
    except DatabaseError:
        # Not the country asked for, nor anyone's id: nothing here says who was asking.
        logger.warning("crisis_resources_database_unavailable")
    baked = _baked_lines(countries)
    if baked is not None:
        return baked, BAKED
    return [BUILT_IN_DIRECTORY], BUILT_IN


def crisis_resources(country: str | None, selected_by: str) -> dict[str, Any]:
    """The answer for `country` (None: the international directories only)."""
    lines, served_from = _lines_for(country)
    answer: dict[str, Any] = {
        "country": country,
        "selected_by": selected_by,
        **{group: [] for group in GROUPS.values()},
        "served_from": served_from,
    }
    for line in lines:
        group = GROUPS.get(line["kind"])
        if group is not None:
            answer[group].append(line)
    if not answer["directories"]:
        answer["directories"] = [BUILT_IN_DIRECTORY]
    return answer
