"""`make bench`'s reading of the machine's CPU per request from /proc (bench/api.py): whose
each tick was, and per request."""

from __future__ import annotations

import pytest

from bench.api import (
    cpu_per_request,
    cpu_sample,
    machine_busy_ticks,
    proc_stat_ticks,
    render_cpu,
)


def _stat(name: str, user: int, system: int) -> str:
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    return f"4242 ({name}) S 1 4242 4242 0 -1 4194560 100 0 0 0 {user} {system} 0 0 20 0 5 0\n"


def test_a_process_line_gives_its_name_and_its_user_and_system_ticks():
    assert proc_stat_ticks(_stat("gunicorn", 120, 30)) == ("gunicorn", 150)
    # A name may hold spaces and parentheses: the last ")" ends it.
    assert proc_stat_ticks(_stat("postgres: a (b) c", 7, 3)) == ("postgres: a (b) c", 10)


def test_the_machine_is_busy_for_every_tick_but_idle_and_io_wait():
    #            user nice system idle iowait irq softirq steal guest guest_nice
    text = "cpu  100 5 50 1000 40 3 2 1 0 0\ncpu0 50 2 25 500 20 1 1 0 0 0\n"
    assert machine_busy_ticks(text) == 100 + 5 + 50 + 3 + 2 + 1


def test_each_tick_is_counted_for_whose_it_was_and_spread_over_the_requests():
    before = (
        {1: ("gunicorn", 100), 2: ("python", 40), 3: ("postgres", 10), 4: ("redis-server", 5)},
        1000,
    )
    after = (
        {
            1: ("gunicorn", 130),  # the web master and
            2: ("python", 100),  # its worker: web
            3: ("postgres", 25),
            4: ("redis-server", 6),
            5: ("postgres", 4),  # a backend started meanwhile counts from nothing
            6: ("celery", 9),  # neither: in the machine's figure alone
        },
        1200,
    )
    spent = cpu_per_request(before, after, web={1, 2}, requests=100, tick_us=10_000)

    assert spent == {
        "machine": pytest.approx(200 * 10_000 / 100),
        "web": pytest.approx(90 * 10_000 / 100),
        "PostgreSQL": pytest.approx(19 * 10_000 / 100),
        "Redis": pytest.approx(1 * 10_000 / 100),
    }


def test_a_process_that_used_nothing_or_ended_adds_nothing():
    before = ({1: ("gunicorn", 100), 7: ("wrk", 50)}, 10)
    after = ({1: ("gunicorn", 100)}, 10)
    assert cpu_per_request(before, after, web={1}, requests=0, tick_us=10_000) == {
        "machine": 0.0,
        "web": 0.0,
        "PostgreSQL": 0.0,
        "Redis": 0.0,
    }


def test_this_machine_can_be_sampled_and_its_own_process_is_among_them():
    import os

    processes, busy = cpu_sample()
    assert os.getpid() in processes and busy > 0
    name, ticks = processes[os.getpid()]
    assert name and ticks >= 0


def test_the_table_has_a_line_a_row_with_each_part():
    table = render_cpu(
        {"GET me": {"machine": 884.4, "web": 757.0, "PostgreSQL": 69.2, "Redis": 9.4}}
    ).splitlines()
    assert table[0].split()[-4:] == ["machine", "web", "PostgreSQL", "Redis"]
    assert table[2].split() == ["GET", "me", "884", "757", "69", "9"]
