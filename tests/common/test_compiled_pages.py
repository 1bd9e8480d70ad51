"""`common.compiled.CompiledQuerySet` (issue 17): a list's pages, read through statements
composed once per page shape, give exactly the rows, annotations and related objects the
selector's own queryset gives: page after page, in both directions, when a phone syncs, for
each partner, and after the couple ends. Whatever else is asked of one is answered by the real
queryset."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from checkins.models import Acknowledgement, CheckIn
from checkins.selectors import checkins_visible_to
from common import compiled
from couples.selectors import agreements_visible_to, boundaries_visible_to
from nudges.models import Notification
from nudges.selectors import notifications_of
from tests.factories import AgreementFactory, BoundaryFactory, CheckInFactory, UserFactory

pytestmark = pytest.mark.django_db

PLANTED = "planted-private-words-7f3a"


def _planted(person) -> str:
    return f"{PLANTED} of {person.pk}"


def _row(instance) -> dict:
    """Every column and annotation of a row, and the same of each related object it carries."""
    values = {k: v for k, v in vars(instance).items() if not k.startswith("_")}
    for name, related in instance._state.fields_cache.items():
        values[f"related:{name}"] = None if related is None else _row(related)
    return values


def _rows(queryset) -> list[dict]:
    return [_row(instance) for instance in queryset]


def _couple_with_history(couple) -> None:
    """Check-ins over a week from both (a pass, an unsent one, a private note, reactions),
    boundaries private and shared, agreements proposed and accepted, inbox entries."""
    today = timezone.localdate()
    for days_ago in range(6):
        day = today - dt.timedelta(days=days_ago)
        mine = CheckInFactory(author=couple.a, local_date=day, private_note=_planted(couple.a))
        if days_ago != 2:  # a's partner checked in on every day but one
            theirs = CheckInFactory(
                author=couple.b,
                local_date=day,
                passed=days_ago == 3,
                mood=None if days_ago == 3 else 4,
                is_shared=days_ago != 4,  # unsent
                private_note=_planted(couple.b),
            )
            Acknowledgement.objects.create(checkin=theirs, by=couple.a, reaction="heart")
        Acknowledgement.objects.create(checkin=mine, by=couple.b, reaction="hug")
    for owner in (couple.a, couple.b):
        BoundaryFactory(owner=owner, text=_planted(owner))  # private
        BoundaryFactory(owner=owner, shared=True)
        BoundaryFactory(owner=owner, shared=True)
    AgreementFactory(author=couple.a)
    AgreementFactory(author=couple.b, accepted=True)
    AgreementFactory(author=couple.b)
    for n in range(3):
        for person in (couple.a, couple.b):
            Notification.objects.create(
                recipient=person,
                kind="ping",
                subject_id=person.pk,
                due_at=timezone.now(),
                title=f"Note {n}",
            )


SELECTORS = {
    "checkins": (checkins_visible_to, ("-local_date", "-id"), "local_date"),
    "boundaries": (boundaries_visible_to, ("-created_at", "-id"), "created_at"),
    "agreements": (agreements_visible_to, ("-created_at", "-id"), "created_at"),
    "notifications": (notifications_of, ("-created_at", "-id"), "created_at"),
}


def _steps(ordering, position_field, first_page):
    """What the paginators ask: a first page, a page after a cursor's position (both ways),
    and a sync page after (updated_at, id)."""
    middle = first_page[len(first_page) // 2] if first_page else None
    yield lambda q: q.order_by(*ordering)[0:3]
    yield lambda q: q.order_by(*ordering)[0:100]
    if middle is not None:
        position = str(getattr(middle, position_field))
        yield lambda q: q.order_by(*ordering).filter(**{f"{position_field}__lt": position})[0:3]
        reverse = [name[1:] for name in ordering]
        yield lambda q: q.order_by(*reverse).filter(**{f"{position_field}__gt": position})[1:4]
        since = middle.updated_at - dt.timedelta(seconds=1)
        after = Q(updated_at__gt=middle.updated_at) | Q(
            updated_at=middle.updated_at, pk__gt=middle.pk
        )
        yield (
            lambda q: q.filter(updated_at__gte=since).filter(after).order_by("updated_at", "pk")[:3]
        )


@pytest.mark.parametrize("name", sorted(SELECTORS))
def test_each_page_is_the_page_the_selector_gives_in_every_state(couple, name):
    selector, ordering, position_field = SELECTORS[name]
    _couple_with_history(couple)
    stranger = UserFactory()

    def compare(person) -> int:
        first_page = list(selector(person).order_by(*ordering)[0:100])
        for step in _steps(ordering, position_field, first_page):
            assert _rows(step(selector(person, compiled=True))) == _rows(step(selector(person)))
        return len(first_page)

    seen = [compare(person) for person in (couple.a, couple.b, stranger)]
    assert seen[0] > 0 and seen[1] > 0
    assert seen[2] == 0
    # The couple ends: each keeps their own, and what the ending leaves them.
    assert couple.client_a.post("/api/v1/couple/end", {}).status_code == 200
    for person in (couple.a, couple.b):
        compare(person)


def test_the_partner_never_gets_a_private_word_or_an_unsent_check_in_from_a_page(couple):
    _couple_with_history(couple)
    for path in ("/api/v1/checkins?page_size=100", "/api/v1/boundaries?page_size=100"):
        answer = couple.client_a.get(path)
        assert answer.status_code == 200
        assert _planted(couple.b) not in answer.content.decode()
        assert _planted(couple.a) in answer.content.decode()  # one's own, of course
    checkins = couple.client_a.get("/api/v1/checkins?page_size=100").json()["results"]
    theirs = [c for c in checkins if c["author_id"] == str(couple.b.pk)]
    assert theirs and all("private_note" not in c for c in theirs)
    unsent = CheckIn.objects.get(author=couple.b, is_shared=False)
    assert str(unsent.pk) not in {c["id"] for c in checkins}


def _walk(client, path: str, direction: str = "next") -> list[list[str]]:
    pages, url = [], path
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        body = answer.json()
        pages.append([row["id"] for row in body["results"]])
        link = body[direction]
        url = None if link is None else f"{urlparse(link).path}?{urlparse(link).query}"
    return pages


def _walks(client, path: str) -> dict[str, list[list[str]]]:
    """Forward by `next`; back from the last page by `previous`; and a phone syncing from a
    minute ago: two rows a page each time."""
    walks = {"forward": _walk(client, f"{path}?page_size=2")}
    last = client.get(f"{path}?page_size=2").json()
    while last["next"]:
        link = urlparse(last["next"])
        last = client.get(f"{link.path}?{link.query}").json()
    walks["backward"] = []
    if last["previous"]:
        link = urlparse(last["previous"])
        walks["backward"] = _walk(client, f"{link.path}?{link.query}", direction="previous")
    since = (timezone.now() - dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    walks["sync"] = _walk(client, f"{path}?page_size=2&updated_since={since}")
    return walks


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/checkins", "checkins"),
        ("/api/v1/boundaries", "boundaries"),
        ("/api/v1/agreements", "agreements"),
        ("/api/v1/notifications", "notifications"),
    ],
)
def test_walking_a_list_by_its_cursors_answers_as_the_real_queryset_does(
    couple, path, name, monkeypatch
):
    selector, ordering, _field = SELECTORS[name]
    _couple_with_history(couple)
    walks = _walks(couple.client_a, path)
    forward = [pk for page in walks["forward"] for pk in page]
    assert forward == [str(row.pk) for row in selector(couple.a).order_by(*ordering)]
    assert sorted(pk for page in walks["sync"] for pk in page) == sorted(forward)
    assert walks["backward"]
    # The same walks with no statement kept: every page from the real queryset.
    monkeypatch.setattr(compiled, "MAX_SHAPES", 0)
    assert _walks(couple.client_a, path) == walks


def test_a_page_is_one_statement_composed_once_per_shape(couple):
    _couple_with_history(couple)
    page = checkins_visible_to(couple.a, compiled=True).order_by("-local_date", "-id")[0:3]
    list(page)  # composed (and the couple looked up) once
    with CaptureQueriesContext(connection) as captured:
        rows = list(
            checkins_visible_to(couple.a, compiled=True).order_by("-local_date", "-id")[0:3]
        )
    assert len(rows) == 3
    assert len(captured.captured_queries) == 2  # the couple and partner, then the page
    assert all(row.prompt_id is None or row.prompt is not None for row in rows)


def test_anything_else_is_answered_by_the_real_queryset(couple):
    _couple_with_history(couple)
    # Names of their own: the factory's random first names can be the same for both.
    User.objects.filter(pk=couple.a.pk).update(display_name="Ada (the caller)")
    User.objects.filter(pk=couple.b.pk).update(display_name="Bea (the partner)")
    couple.b.refresh_from_db(fields=["display_name"])
    page = checkins_visible_to(couple.a, compiled=True)
    real = checkins_visible_to(couple.a)
    one = real.order_by("pk").first()
    assert page.get(pk=one.pk).pk == one.pk
    assert page.exists() and page.count() == real.count()
    across = page.filter(author__display_name=couple.b.display_name)
    assert {c.pk for c in across} == {c.pk for c in real.filter(author=couple.b)}
    assert page.order_by("-local_date", "-id")[2].pk == real.order_by("-local_date", "-id")[2].pk
    with pytest.raises(ValueError, match="Negative indexing"):
        page.order_by("pk")[-1:]
    assert page.model is CheckIn


def test_shapes_are_kept_up_to_a_bound_and_past_it_the_rows_are_still_right(couple):
    _couple_with_history(couple)
    real = list(boundaries_visible_to(couple.a).order_by("-created_at", "-id"))
    for stop in range(1, compiled.MAX_SHAPES + 8):
        page = boundaries_visible_to(couple.a, compiled=True).order_by("-created_at", "-id")
        assert [b.pk for b in page[0:stop]] == [b.pk for b in real[0:stop]]
    shapes = connections["default"].__dict__[compiled_key()]
    assert len(shapes) == compiled.MAX_SHAPES


def compiled_key() -> str:
    from couples.selectors import _BOUNDARIES_PAIRED

    return _BOUNDARIES_PAIRED._key


def test_the_partners_boundaries_are_the_ones_the_selector_gives(couple):
    """`couple/partner` reads the partner's shared boundaries through a compiled statement:
    the same rows and annotations, the private one never among them, read or not."""
    from couples.selectors import boundaries_shared_by
    from couples.services.boundaries import boundary_acknowledge

    _couple_with_history(couple)
    read = BoundaryFactory(owner=couple.a, shared=True)
    boundary_acknowledge(boundary=read, user=couple.b)
    for owner, viewer in ((couple.a, couple.b), (couple.b, couple.a)):
        page = boundaries_shared_by(owner, viewer=viewer, compiled=True).order_by("created_at")
        real = boundaries_shared_by(owner, viewer=viewer).order_by("created_at")
        assert _rows(page) == _rows(real)
        assert len(_rows(real)) >= 2
        assert _planted(owner) not in {b.text for b in page}
    answer = couple.client_b.get("/api/v1/couple/partner")
    assert answer.status_code == 200
    assert _planted(couple.a) not in answer.content.decode()
    shown = {b["id"]: b for b in answer.json()["boundaries"]}
    assert shown[str(read.pk)]["acknowledged_by_me"] is True
