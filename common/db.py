"""Moments read from PostgreSQL by psycopg's own C parser.

Django reads every `timestamptz` through a loader of its own (`psycopg_any.BaseTzLoader`): a
Python subclass of psycopg's, which sets the moment's time zone to the connection's. Being a
subclass defined outside psycopg, it is never swapped for psycopg's C implementation, so each
moment is parsed in Python: ~2.3 µs against ~0.1 µs, and a page of 20 check-ins or
notifications reads 50 to 60 of them (issue 17).

Haven's connections speak UTC (USE_TZ, and no TIME_ZONE of their own in DATABASES: Django sets
the session's time zone to UTC), so PostgreSQL writes every moment with the offset `+00` and
psycopg's C loader, which keeps the offset it reads, answers the very moment Django's would,
with `datetime.timezone.utc` as its time zone. Each new connection gets that loader in place
of Django's. Where that does not hold (another database, another time zone, psycopg without
its C extension) nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.backends.signals import connection_created

_TIMESTAMPTZ = "timestamptz"


def _c_timestamptz_loader() -> type | None:
    """A loader of `timestamptz` (text format) that parses with psycopg's C loader, and has the
    `timezone` Django's cursors compare against (`DatabaseWrapper.create_cursor`; the C class
    itself takes no attribute and no subclass). None without the C extension."""
    try:
        import psycopg
        from psycopg.adapt import Loader
        from psycopg.postgres import types
        from psycopg.pq import Format
        from psycopg.types.datetime import TimestamptzLoader
    except ImportError:
        return None
    found = psycopg.adapters.get_loader(types[_TIMESTAMPTZ].oid, Format.TEXT)
    if found is None or found is TimestamptzLoader:  # the pure-Python psycopg
        return None
    optimised: type[Any] = found

    class UtcTimestamptzLoader(Loader):
        timezone = dt.UTC

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # Each row's moments go straight to the C loader's own method.
            self.load = optimised(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:  # replaced per instance, above
            raise NotImplementedError

    return UtcTimestamptzLoader


_LOADER = _c_timestamptz_loader()


def reads_moments_in_c(connection: Any) -> bool:
    """Whether `connection` (a Django connection) may read moments with psycopg's C loader:
    PostgreSQL through psycopg 3 with its C extension, in UTC."""
    return (
        _LOADER is not None
        and connection.vendor == "postgresql"
        and settings.USE_TZ
        and connection.timezone_name == "UTC"
        and hasattr(connection.connection, "adapters")
    )


def use_c_moment_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created`: the new connection reads `timestamptz` with psycopg's C loader."""
    if reads_moments_in_c(connection):
        connection.connection.adapters.register_loader(_TIMESTAMPTZ, _LOADER)


def connect() -> None:
    connection_created.connect(use_c_moment_loader, dispatch_uid="haven_c_moment_loader")
