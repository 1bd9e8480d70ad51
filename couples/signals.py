from django.dispatch import Signal

# Sent inside the transaction that ends a couple, with `couple`, `ended_by` and `partner`.
# Each app that keeps couple data connects a receiver: it closes what was open (negotiations),
# and records sync tombstones for what a person may no longer see.
couple_ended = Signal()

# Sent inside the transaction that pairs two people, with `couple` and `members` (both users).
# Receivers make what each already shares reach the new partner's phone.
couple_started = Signal()
