from django.dispatch import Signal

# Sent inside the transaction that ends a couple, with `couple`, `ended_by` and `partner`.
# Each app that keeps couple data connects a receiver: it closes what was open (negotiations),
# and records sync tombstones for what a person may no longer see.
couple_ended = Signal()

# Sent inside the transaction that pairs two people, with `couple` and `members` (both users).
# Receivers make what each already shares reach the new partner's phone.
couple_started = Signal()

# Sent inside the transaction where a person asks to end their couple with a delay (leaving
# safely), with `couple`, `leaver` and `partner`. Receivers act on the leaver's side only (their
# phone drops what the partner wrote or shares); nothing the partner can see may change.
couple_left_quietly = Signal()
