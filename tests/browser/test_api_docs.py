"""The API's documentation in a real browser: /api/docs/ shows Haven's operations, offers the
sign-in API in its top bar the way the README says, and loads nothing from anywhere but Haven."""

import pytest

HAVEN_SPEC = "Haven API v1"
SIGN_IN_SPEC = "Sign-in (django-allauth headless)"


def _operation(page, path: str):
    return page.locator(f'.opblock-summary-path[data-path="{path}"]').first


# live_server makes every test using it transactional; serialized_rollback puts back the
# migration-seeded rows (the Coaches group, the prompts) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_api_docs_show_havens_operations_and_the_sign_in_api_picked_in_the_top_bar(
    live_server, browser, artifacts
):
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    # Swagger UI renders the whole schema (150+ operations) before the first one shows: on a
    # busy two-core machine that has taken longer than Playwright's default 30 s.
    page.set_default_timeout(90_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    _operation(page, "/api/v1/checkins/today").wait_for()
    picker = page.get_by_label("Select a definition")
    assert picker.locator("option:checked").inner_text() == HAVEN_SPEC
    assert _operation(page, "/api/v1/me").is_visible()
    assert "No API definition provided." not in page.content()
    page.screenshot(path=str(artifacts / "api-docs.png"))

    picker.select_option(label=SIGN_IN_SPEC)
    _operation(page, "/_allauth/app/v1/auth/login").wait_for()
    assert _operation(page, "/api/v1/checkins/today").count() == 0
    page.screenshot(path=str(artifacts / "api-docs-sign-in.png"))

    # The page, its scripts and styles, and both specifications all come from Haven (no CDN,
    # no validator badge).
    fetched = [url for url in requested if url.startswith(("http://", "https://"))]
    assert f"{live_server.url}/api/schema/" in fetched
    assert f"{live_server.url}/_allauth/openapi.json" in fetched
    assert [url for url in fetched if not url.startswith(live_server.url + "/")] == []
