"""Text made safe to store and show: cells a spreadsheet will not run as formulas."""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """A CSV cell a spreadsheet will not run: text opening like a formula (= + - @, tab,
    carriage return) gets a leading ' (the OWASP rule); numbers stay numbers.

    >>> inert("=1+1"), inert("-3"), inert("区科协")
    ("'=1+1", '-3', '区科协')
    """
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def opens_like_formula(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula?"""
    return text.startswith(_FORMULA_START[:4])
