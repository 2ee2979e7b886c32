"""Text made safe to store and show: cells a spreadsheet will not run as formulas, the
byte-order mark Excel and WPS need to read a CSV as UTF-8, and the control characters no
text or file name should carry."""

from __future__ import annotations

#: Excel and WPS read a UTF-8 CSV as such only with a byte-order mark.
BOM = b"\xef\xbb\xbf"
#: C0 controls but tab and line ends, DEL, and the bidi marks and overrides: the characters
#: a document's text is cleaned of when read (a character class's body, to extend).
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069"

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
