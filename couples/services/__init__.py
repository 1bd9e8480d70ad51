"""Writes for couples, split by concept: invites, the couple and its space signal,
appreciations and pings, boundaries."""
