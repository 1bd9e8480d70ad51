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
    """Case-insensitive; spaces and dashes ignored (people copy codes in many ways). A code
    with any other character outside the alphabet (a NUL, a letter from another script, far
    too long) can never match: it becomes "", which no invite has, so it gets the one answer
    every unknown code gets, and nothing PostgreSQL cannot store reaches it."""
    code = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def invite_code_display(code: str) -> str:
    return f"{code[:GROUP]}-{code[GROUP:]}"
