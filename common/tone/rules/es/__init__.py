"""Spanish tables of the tone helper."""
