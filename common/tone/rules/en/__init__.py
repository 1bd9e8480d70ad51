"""English rule tables."""
