"""config/gunicorn.py: worker recycling and the access log, read from the environment, and
the worker's start (what it loaded frozen for the garbage collector)."""

import runpy
from pathlib import Path

import pytest

GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"
ENV_NAMES = (
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_REUSE_PORT",
)


def load(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_workers_recycle_rarely_by_default(monkeypatch):
    """Every 2,000 requests halved capacity at bench rates; the default is far higher."""
    config = load(monkeypatch)
    assert config["max_requests"] == 100_000
    assert config["max_requests_jitter"] == 10_000


def test_recycling_reads_the_environment(monkeypatch):
    config = load(monkeypatch, GUNICORN_MAX_REQUESTS="0", GUNICORN_MAX_REQUESTS_JITTER="7")
    assert config["max_requests"] == 0
    assert config["max_requests_jitter"] == 7


def test_access_log_off_by_default_since_the_app_logs_each_request(monkeypatch):
    assert load(monkeypatch)["accesslog"] is None


def test_access_log_can_be_turned_on(monkeypatch):
    assert load(monkeypatch, GUNICORN_ACCESS_LOG="-")["accesslog"] == "-"


def test_each_worker_listens_on_its_own_port_socket_by_default(monkeypatch):
    """Kept-alive connections spread over the workers (make bench: one worker took them all)."""
    assert load(monkeypatch)["reuse_port"] is True
    assert load(monkeypatch, GUNICORN_REUSE_PORT="0")["reuse_port"] is False


def test_a_worker_freezes_what_it_loaded_so_full_collections_skip_it(monkeypatch):
    """After the app and its URLconf load, the collector no longer walks them (gc.freeze)."""
    import gc

    config = load(monkeypatch)
    before = gc.get_freeze_count()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before
        assert gc.get_freeze_count() > 10_000  # the app's modules, models and views
    finally:
        gc.unfreeze()
