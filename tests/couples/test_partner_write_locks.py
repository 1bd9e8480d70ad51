"""Partners writing at the same moment never wait on each other's locks through a row that
merely refers to the other (a ping names its recipient, a nudge its recipient, an agreement its
couple). With full FOR UPDATE locks, a ping from one partner and an agreement from the other
deadlocked: the scale-out test (tests/scaling/) saw 84 of 340 creates answer 503."""

import pytest
from django.db import transaction

from couples.services.agreements import agreement_propose
from couples.services.messages import ping_send
from tests.factories import pair
from tests.utils import row_referable_now


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_ping_in_flight_leaves_the_sender_and_couple_referable():
    couple, sender, _partner = pair()
    with transaction.atomic():
        ping_send(sender=sender)  # its locks are held until this block commits
        assert row_referable_now("accounts_user", sender.pk)
        assert row_referable_now("couples_couple", couple.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agreement_in_flight_leaves_the_couple_referable():
    couple, author, _partner = pair()
    with transaction.atomic():
        agreement_propose(
            author=author,
            title="Phones at dinner",
            terms="Phones away at dinner on weekdays.",
            my_need="Time together without screens.",
            your_need_as_i_understand="A way to hear from work if it is urgent.",
        )
        assert row_referable_now("couples_couple", couple.pk)
        assert row_referable_now("accounts_user", author.pk)
