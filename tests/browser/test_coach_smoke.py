"""The coach's admin in a real browser: a coach logs in, sees exactly the consented couple,
opens it, sees the chart, and leaves a note that reaches the partner."""

import datetime as dt
from types import SimpleNamespace

import pytest

from couples.models import CoachNote
from nudges.inbox import nudges_deliver
from nudges.models import Nudge, NudgeSettings
from tests.couples.coaching.content import assert_nothing_private, grant_active, plant_content
from tests.factories import PASSWORD, CheckInFactory, CoachFactory, UserFactory, pair
from tests.utils import access_token_for, today_for

SHARED = {
    "boundary": "An hour to myself after work before we talk about plans",
    "agreement": "Sunday walks, phones at home",
    "topic": "Planning the winter holidays",
}


def _couple(**names):
    couple, a, b = pair(*(UserFactory(display_name=name) for name in names.values()))
    return SimpleNamespace(couple=couple, a=a, b=b)


def _a_fortnight_before(couple_ns) -> int:
    """Two more weeks of shared check-ins before the planted ones, for a fuller chart."""
    today = today_for(couple_ns.a)
    for n in range(4, 18):
        day = today - dt.timedelta(days=n)
        CheckInFactory(author=couple_ns.a, local_date=day, mood=2 + n % 3, dial=-2 + n % 3)
        CheckInFactory(author=couple_ns.b, local_date=day, mood=3 + n % 2, dial=1 + n % 2)
    return 14


# The live server sees only committed rows, hence a transactional test; serialized_rollback
# puts back the migration-seeded rows (the Coaches group, the prompts) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_coach_sees_the_consented_couple_and_leaves_a_note(
    live_server, browser, artifacts, coaches_group
):
    coach = CoachFactory(groups=[coaches_group], display_name="Coach Morgan")
    consented, other = _couple(a="Sam", b="Alex"), _couple()
    plant_content(consented, shared=SHARED)
    per_partner = 3 + _a_fortnight_before(consented)
    grant_active(consented, coach)
    NudgeSettings.objects.filter(user=consented.b).update(
        quiet_start=dt.time(0), quiet_end=dt.time(0)
    )

    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/couples/couple/")
    page.fill("input[name=username]", coach.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/couples/couple/")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th a").inner_text() == "Sam & Alex"
    assert "Haven admin" in page.locator("#site-name").inner_text()
    assert str(other.couple.pk) not in page.content()

    rows.first.locator("th a").click()
    page.wait_for_selector("#chart-mood")
    assert page.locator("#chart-mood circle").count() == 2 * per_partner
    assert page.locator("#chart-dial circle").count() == 2 * per_partner
    assert SHARED["boundary"] in page.locator("#panel-boundaries").inner_text()
    assert_nothing_private(page.content())
    page.screenshot(path=str(artifacts / "coach-couple-page.png"), full_page=True)

    page.goto(f"{live_server.url}/admin/couples/couple/")
    page.locator("#result_list tbody tr input.action-select").check()
    page.select_option("select[name=action]", "leave_coach_note")
    page.click("button[name=index]")
    page.fill("textarea[name=text]", "Try a short walk together after dinner this week.")
    page.click("input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    assert "on its way" in page.locator("ul.messagelist").inner_text()
    page.screenshot(path=str(artifacts / "coach-note-sent.png"))

    note = CoachNote.objects.get()
    # What a worker does with the nudge the note asked for (quiet hours are off for this
    # partner, so it is delivered now rather than in the morning).
    pending = Nudge.objects.filter(state=Nudge.State.PENDING).values_list("pk", flat=True)
    nudges_deliver(list(pending))
    # The partner finds it in the inbox, over HTTP from the same server the coach used...
    token = access_token_for(consented.b)
    api = page.context.request
    inbox = api.get(
        f"{live_server.url}/api/v1/notifications",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert inbox.status == 200
    assert [(n["kind"], n["subject_id"]) for n in inbox.json()["results"]] == [
        ("coach_note", str(note.pk))
    ]
    # ...and reads the note's words.
    notes = api.get(
        f"{live_server.url}/api/v1/couple/coach-notes",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert notes.status == 200
    assert [n["text"] for n in notes.json()["results"]] == [
        "Try a short walk together after dinner this week."
    ]
