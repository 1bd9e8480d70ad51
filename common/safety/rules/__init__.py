"""One module per language, each with a `TABLE` (see `common.safety.registry`)."""
