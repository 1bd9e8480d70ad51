"""The admin (coaches, operators) uses session login, protected by django-axes."""

from django.test import Client

from tests.factories import PASSWORD, UserFactory


def test_admin_login_locks_out_after_repeated_failures_and_says_when_to_retry(db):
    staff = UserFactory(is_staff=True)
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(5):
        client.post("/admin/login/", {"username": staff.email, "password": "wrong guess 123"})
    locked = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password(db):
    staff = UserFactory(is_staff=True)
    client = Client()
    response = client.post("/admin/login/", {"username": staff.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
