"""No hot request looks up a setting that no settings file defines.

Django's settings object remembers each setting once it is read, but a name it does not hold
is looked up afresh every time, and the miss is an exception raised and caught: a library that
reads an optional setting with a default on every request (django-redis, at each request's
end, whether to close its connections) pays for it on every request (issue 17). Haven's
settings name such a setting, so that it is remembered like any other."""

import pytest
from django.conf import LazySettings, settings

from tests.utils import today_for

pytestmark = pytest.mark.django_db

HOT_REQUESTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/couple"),
    ("get", "/api/v1/couple/partner"),
    ("get", "/api/v1/notifications?page_size=20"),
    ("get", "/api/v1/boundaries?page_size=20"),
    ("get", "/api/v1/agreements?page_size=20"),
    ("get", "/api/v1/checkins/today"),
    ("get", "/api/v1/checkins?page_size=20"),
    ("put", "/api/v1/checkins/{today}"),
]


def test_a_hot_request_never_looks_up_a_setting_no_file_defines(couple, monkeypatch):
    client, today = couple.client_a, today_for(couple.a).isoformat()

    def ask(method: str, path: str) -> int:
        body = {"mood": 4, "energy": 3, "shared_note": "A steady day."}
        if method == "put":
            return client.put(path.format(today=today), body, format="json").status_code
        return client.get(path).status_code

    assert [ask(*request) for request in HOT_REQUESTS] == [200] * len(HOT_REQUESTS)

    missed: list[str] = []
    looked_up = LazySettings.__getattr__

    def recording(self, name):
        try:
            return looked_up(self, name)
        except AttributeError:
            missed.append(name)
            raise

    monkeypatch.setattr(LazySettings, "__getattr__", recording)
    for request in HOT_REQUESTS:
        assert ask(*request) == 200
    monkeypatch.undo()

    assert missed == []
    # The recorder sees a miss when there is one (so the empty list above means something).
    monkeypatch.setattr(LazySettings, "__getattr__", recording)
    assert getattr(settings, "HAVEN_NO_SUCH_SETTING", "fallback") == "fallback"
    assert missed == ["HAVEN_NO_SUCH_SETTING"]
