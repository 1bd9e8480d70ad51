"""`make run`'s demo coach: a coach like any other, made once, who sees no couple until
it consents."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from couples.models import CoachProfile
from couples.selectors import couples_visible_to_coach


def test_the_demo_coach_is_a_coach_and_is_made_once(coaches_group, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo_coach")
    call_command("seed_demo_coach")
    coach = User.objects.get(email="coach@demo.haven.invalid")
    assert coach.is_staff and not coach.is_superuser
    assert list(coach.groups.all()) == [coaches_group]
    code = CoachProfile.objects.get(user=coach).code
    assert f"coach code {code[:5]}-{code[5:]}" in capsys.readouterr().out
    assert list(couples_visible_to_coach(coach)) == []


def test_the_demo_coach_needs_debug(coaches_group, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo_coach")
    assert not User.objects.filter(email="coach@demo.haven.invalid").exists()
