"""Text made safe to store and show: cells a spreadsheet will not run as formulas, the
byte-order mark Excel and WPS need to read a CSV as UTF-8, and the control characters no
text or file name should carry."""

from __future__ import annotations

import re

#: Excel and WPS read a UTF-8 CSV as such only with a byte-order mark.
BOM = b"\xef\xbb\xbf"
#: C0 controls but tab and line ends, DEL, and the bidi marks and overrides: the characters
#: a document's text is cleaned of when read (a character class's body, to extend).
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# A terminal's escape sequences whole (CSI …m, OSC …BEL or ST, a lone ESC and the next
# character), then any control left: C0 but tab and line ends, DEL, C1 and the bidi marks.
_ESCAPE_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[@-_]?"
                        r"|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?")
_CONTROL_RE = re.compile(f"[{CONTROLS}\x80-\x9f]")


def printable(text: str) -> str:
    r"""Text safe to print to a terminal: escape sequences removed whole (one could set the
    window title or hide text), other controls replaced by a space.

    >>> printable("区科协\x1b]0;PWNED\x07局"), printable("\x1b[31m红\x1b[0m\x00字")
    ('区科协局', '红 字')
    """
    return _CONTROL_RE.sub(" ", _ESCAPE_RE.sub("", text))


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


_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value):
    """A cell value an office file can hold: strings with the characters XML 1.0 cannot
    carry (C0 controls but tab and line ends) replaced by a space; other values as they are."""
    return _XML_ILLEGAL_RE.sub(" ", value) if isinstance(value, str) else value


def clean_label(text: str) -> str:
    """A label read from a graph cleaned as a document's text is when read: the controls and
    bidi marks of :data:`CONTROLS` replaced by a space, escape sequences and all."""
    return _CONTROL_RE.sub(" ", text)
