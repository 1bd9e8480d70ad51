import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "a calm harbour at dusk"


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


def pair(first=None, second=None):
    """Two people in an active couple (as pairing by invite leaves them)."""
    from couples.models import Couple, Membership

    first = first or UserFactory()
    second = second or UserFactory()
    couple = Couple.objects.create()
    Membership.objects.create(couple=couple, user=first)
    Membership.objects.create(couple=couple, user=second)
    return couple, first, second
