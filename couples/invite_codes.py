"""Pairing codes people can read aloud and type: ten characters from an alphabet without
look-alikes (no 0/O, 1/I/L), shown as two groups of five. 31^10 ≈ 2^49.5 possibilities, drawn
from `secrets`; guessing is throttled on top of that."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10
GROUP = 5


def invite_code_generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def invite_code_normalize(raw: str) -> str:
    """Case-insensitive; spaces and dashes ignored (people copy codes in many ways)."""
    return "".join(ch for ch in raw.upper() if ch not in " -\t")


def invite_code_display(code: str) -> str:
    return f"{code[:GROUP]}-{code[GROUP:]}"
