"""FCM's v1 API as firebase-admin reaches it, with only the network replaced: requests'
transport adapter answers as FCM would (the `fcm` fixture in this folder's conftest plugs it
in)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import google.auth.credentials
import requests
from firebase_admin import credentials
from requests.structures import CaseInsensitiveDict

FCM_SEND_URL = "https://fcm.googleapis.com/v1/projects/haven-test/messages:send"


class _TestGoogleCredential(google.auth.credentials.Credentials):
    """An access token that is always valid, so nothing ever asks Google for one."""

    def __init__(self) -> None:
        super().__init__()
        self.token = "test-access-token"

    def refresh(self, request) -> None:
        self.token = "test-access-token"


class StaticCredential(credentials.Base):
    """What firebase-admin is initialised with in tests: never a real service account."""

    def get_credential(self):
        return _TestGoogleCredential()


def fcm_error(status: int, grpc_status: str, fcm_code: str | None = None, headers=None):
    details = (
        [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": fcm_code}]
        if fcm_code
        else []
    )
    body = {"error": {"code": status, "message": "test", "status": grpc_status, "details": details}}
    return (status, body, headers or {})


@dataclass
class FakeFCM:
    """Answers firebase-admin's HTTP requests as FCM's v1 API would. `script[token]` is a
    list of answers, used in order: (status, json body, headers), or an exception to raise
    as the transport would. Without a script every send succeeds."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    script: dict[str, list[Any]] = field(default_factory=dict)

    def messages(self) -> list[dict[str, Any]]:
        return [sent["message"] for sent in self.requests]

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        assert request.url == FCM_SEND_URL, request.url
        assert request.headers["Authorization"] == "Bearer test-access-token"
        payload = json.loads(request.body)
        self.requests.append(payload)
        answers = self.script.get(payload["message"]["token"]) or []
        answer = answers.pop(0) if answers else None
        if isinstance(answer, Exception):
            raise answer
        status, body, headers = answer or (
            200,
            {"name": f"projects/haven-test/messages/{len(self.requests)}"},
            {},
        )
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json", **headers})
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        response.reason = "test"
        return response
