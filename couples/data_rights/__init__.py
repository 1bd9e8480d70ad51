"""What `couples` adds to a person's export and does when they are deleted. Registered from
CouplesConfig.ready.

Deletion first ends the couple exactly as `couple/end` does (the former partner learns only
that it ended). What the former partner could no longer see after an ordinary end is then
deleted; what they still see (their own words, what both accepted) stays, as after any end.
Every export section costs a fixed number of queries, whatever the amount of data.

Each concept registers in its own module; importing this package (CouplesConfig.ready)
registers them all."""

from couples.data_rights import (  # noqa: F401 - each module registers at import
    agreements,
    boundaries,
    coaching,
    conversations,
    couples,
    leaving,
    messages,
)
