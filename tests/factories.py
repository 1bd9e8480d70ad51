"""Objects for tests, consistent the way the product makes them (a boundary has its first
revision, an agreement its first revision, a couple its two members), so a test prepares
what it needs without calling endpoints it is not about."""

import datetime as dt
import uuid

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from checkins.models import CheckIn
from couples.models import Agreement, AgreementRevision, Boundary, Couple, Membership
from couples.services.agreements import REVIEW_DEFAULT_DAYS
from couples.services.boundaries import boundary_create
from nudges.models import Nudge
from tests.utils import today_for

PASSWORD = "a calm harbour at dusk"  # every factory-made person's


TIME_ZONE = "Europe/Berlin"  # where the factories' people live


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("first_name")
    time_zone = TIME_ZONE
    locale = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        if extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class CoachFactory(UserFactory):
    """A staff member in the Coaches group: pass the group (the `coaches_group` fixture,
    which puts it back when a transactional test elsewhere has flushed it)."""

    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)


def active_couple_of(person: User) -> Couple | None:
    return Couple.objects.filter(
        memberships__user=person, memberships__left_at__isnull=True
    ).first()


class CoupleFactory(factory.django.DjangoModelFactory):
    """An active couple of two people, as pairing by invite leaves them:
    `CoupleFactory(members=[first, second])`, or two new people."""

    class Meta:
        model = Couple
        skip_postgeneration_save = True

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if not create:
            return
        for person in extracted or (UserFactory(), UserFactory()):
            Membership.objects.create(couple=self, user=person)


def pair(first: User | None = None, second: User | None = None) -> tuple[Couple, User, User]:
    """Two people in an active couple: (couple, first, second)."""
    first = first or UserFactory()
    second = second or UserFactory()
    return CoupleFactory(members=[first, second]), first, second


class BoundaryFactory(factory.django.DjangoModelFactory):
    """A boundary with its first revision, through the service that writes both (and checks
    a revisit date is ahead in the owner's calendar). Private unless `shared=True`."""

    class Meta:
        model = Boundary

    class Params:
        shared = factory.Trait(visibility=Boundary.Visibility.SHARED)

    owner = factory.SubFactory(UserFactory)
    kind = Boundary.Kind.NEED
    text = factory.Sequence(lambda n: f"I need a quiet half hour after work ({n})")
    visibility = Boundary.Visibility.PRIVATE
    revisit_on = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return boundary_create(**kwargs)


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement proposed by `author` in their couple, with that first revision: it waits
    for the partner's answer; `accepted=True`: the partner accepted it (active, reviewed in
    30 days, as accepting leaves it). Rows only: nobody is nudged about it."""

    class Meta:
        model = Agreement

    class Params:
        accepted = factory.Trait(
            state=Agreement.State.ACTIVE,
            review_on=factory.LazyAttribute(
                lambda o: today_for(o.author) + dt.timedelta(days=REVIEW_DEFAULT_DAYS)
            ),
        )

    author = factory.LazyFunction(lambda: pair()[1])
    couple = factory.LazyAttribute(lambda o: active_couple_of(o.author))
    title = factory.Sequence(lambda n: f"Sunday mornings ({n})")
    state = Agreement.State.NEGOTIATING
    terms = "We keep Sunday mornings free of chores until eleven."
    my_need = "Rest after a long week."
    your_need_as_i_understand = "Knowing the chores still get done."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        author = kwargs.pop("author")
        texts = {
            field: kwargs.pop(field) for field in ("terms", "my_need", "your_need_as_i_understand")
        }
        agreement = super()._create(model_class, *args, **kwargs)
        revision = AgreementRevision.objects.create(
            agreement=agreement, number=1, author=author, **texts
        )
        agreement.latest_revision = revision
        if agreement.state == Agreement.State.ACTIVE:
            agreement.active_revision = revision
        agreement.save()
        return agreement


class CheckInFactory(factory.django.DjangoModelFactory):
    """A check-in on the author's today (in their own calendar), shared with the couple they
    are in. Rows only: no partner is told and no reminder count changes. A pass carries no
    answers: `CheckInFactory(passed=True, mood=None)`."""

    class Meta:
        model = CheckIn

    author = factory.SubFactory(UserFactory)
    local_date = factory.LazyAttribute(lambda o: today_for(o.author))
    couple = factory.LazyAttribute(lambda o: active_couple_of(o.author))
    mood = 3


class NudgeFactory(factory.django.DjangoModelFactory):
    """A relayed nudge (a ping) due now for `recipient`, not yet delivered."""

    class Meta:
        model = Nudge

    recipient = factory.SubFactory(UserFactory)
    kind = "ping"
    nudge_class = Nudge.Class.RELAYED
    subject_id = factory.LazyFunction(uuid.uuid4)
    due_at = factory.LazyFunction(timezone.now)
    local_date = factory.LazyAttribute(lambda o: today_for(o.recipient, at=o.due_at))
