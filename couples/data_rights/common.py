"""Shared by the couples app's data-rights modules."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from couples.models import Membership


def current_couple_ids(person: User) -> Any:
    return Membership.objects.filter(user=person, left_at__isnull=True).values("couple_id")
