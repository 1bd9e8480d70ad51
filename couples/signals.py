from django.dispatch import Signal

# Sent inside the transaction that ends a couple, with `couple`, `ended_by` and `partner`.
# Each app that keeps couple data connects a receiver: it closes what was open (negotiations),
# and records sync tombstones for what a person may no longer see.
couple_ended = Signal()
