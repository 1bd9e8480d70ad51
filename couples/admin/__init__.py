"""The admin: operators' views of couples' data (existence, state, dates) and the coach's
view of the couples that consented (couples.admin.coaching)."""

from couples.admin import (  # noqa: F401 - registers the admin classes and panels
    coaching,
    couple_page,
    operators,
)
