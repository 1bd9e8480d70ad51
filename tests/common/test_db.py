"""Moments read by psycopg's C loader (common.db): the same moments Django's own loader reads,
on every connection that speaks UTC, and Django's loader wherever that does not hold."""

from __future__ import annotations

import datetime as dt

from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.postgres import types
from psycopg.pq import Format

from checkins.models import CheckIn
from common.db import _LOADER
from tests.factories import CheckInFactory

TIMESTAMPTZ = types["timestamptz"].oid

MOMENTS = [
    "2026-11-30 07:41:22.123456+00",
    "2026-03-29 01:00:00+00",  # the hour clocks in Europe jump
    "1970-01-01 00:00:00+00",
    "2000-02-29 23:59:59.999999+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def _read(cursor) -> list[dt.datetime]:
    cursor.execute(
        "SELECT value::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS m(value, n) "
        "ORDER BY n",
        [MOMENTS],
    )
    return [row[0] for row in cursor.fetchall()]


def test_every_connection_in_utc_reads_moments_with_the_c_loader(db):
    assert _LOADER is not None  # psycopg[binary] is what requirements.txt installs
    connection.ensure_connection()
    assert connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is _LOADER
    with connection.cursor() as cursor:
        # Django's cursors keep it (they register their own only when the time zones differ).
        assert cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is _LOADER


def test_the_c_loader_reads_the_moments_djangos_loader_reads(db):
    with connection.cursor() as cursor:
        ours = _read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor)  # Django's own, on this cursor alone
        assert cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is not _LOADER
        djangos = _read(cursor)
    assert ours == djangos
    assert [moment.isoformat() for moment in ours] == [m.isoformat() for m in djangos]
    assert all(moment.tzinfo is dt.UTC for moment in ours)
    assert all(moment.tzinfo is dt.UTC for moment in djangos)


def test_a_model_reads_back_the_moment_it_wrote(db):
    written = dt.datetime(2026, 11, 30, 7, 41, 22, 123456, tzinfo=dt.UTC)
    checkin = CheckInFactory()
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=written)
    read = CheckIn.objects.get(pk=checkin.pk).created_at
    assert read == written and read.tzinfo is dt.UTC


def test_a_connection_in_another_time_zone_keeps_djangos_loader(db):
    settings_dict = {**connections["default"].settings_dict, "TIME_ZONE": "Europe/Berlin"}
    berlin = connections["default"].__class__(settings_dict, alias="berlin")
    try:
        berlin.ensure_connection()
        assert berlin.timezone_name == "Europe/Berlin"
        loader = berlin.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
        assert loader is not _LOADER
        with berlin.cursor() as cursor:
            cursor.execute("SELECT '2026-07-01 12:00:00+00'::timestamptz")
            (moment,) = cursor.fetchone()
        assert moment == dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
        assert moment.utcoffset() == dt.timedelta(hours=2)  # Berlin's summer time
    finally:
        berlin.close()
