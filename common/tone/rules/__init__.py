"""Rule tables, one module per language and kind: ``rules/<language>/<kind>.py``."""
