"""Faster scans with the same matches: a pattern whose first character is one of a known few
is tried only where one of them stands.

Python's regex engine tries a pattern at every position of the text. A pattern that opens
with a long alternation (LABEL_RE: every label word, each after an optional level) costs
hundreds of steps at each position, though most characters of a plan open no label at all.
:func:`prefiltered` puts a lookahead for the set of characters a match can open with in
front of the pattern, so that a position is given up after one test. The set is read from
the parsed pattern; whatever the reading does not know (a negated class, ``.``, a case-blind
flag, a back-reference, a pattern that can match the empty string) leaves the pattern as it
is, so the matches, their groups and their spans are always those of the pattern itself.
"""

from __future__ import annotations

import re
from re import _constants as sre  # noqa: PLC2701 — the parser's own names for what it read
from re import _parser as sre_parse  # noqa: PLC2701

_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = tuple(op for op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) if op)


def prefiltered(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` behind a lookahead for the characters its matches open with (the same
    matches, found faster), or ``pattern`` itself when they are not known.

    >>> p = prefiltered(re.compile(r"(?:省|市)?(?:牵头|配合)单位\\s*:"))
    >>> p.pattern
    '(?=[市牵省配])(?:(?:省|市)?(?:牵头|配合)单位\\\\s*:)'
    >>> p.search("由市牵头单位：区科协".replace("：", ":")).span()
    (1, 7)
    """
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return pattern
    try:
        found = _first(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 — a parser of another Python version: no prefilter
        return pattern
    if found is None or found[1]:  # unknown, or it can match without reading a character
        return pattern
    cls = "".join(sorted(set(found[0])))
    try:
        end = "\n)" if pattern.flags & re.VERBOSE else ")"  # a closing comment would hide the bracket
        return re.compile(f"(?=[{cls}])(?:{pattern.pattern}{end}", pattern.flags)
    except re.error:  # global flags written inside the pattern must stay in front
        return pattern


def _first(seq) -> tuple[list[str], bool] | None:
    """The class items (as pattern text) a match of ``seq`` can open with, and whether
    ``seq`` can match the empty string; None when that cannot be told."""
    out: list[str] = []
    for op, av in seq:
        got = _opening(op, av)
        if got is None:
            return None
        out += got[0]
        if not got[1]:  # this item reads a character: nothing after it opens a match
            return out, False
    return out, True


def _opening(op, av) -> tuple[list[str], bool] | None:
    """:func:`_first` of one item of a parsed pattern."""
    if op is sre.LITERAL:
        return [re.escape(chr(av))], False
    if op is sre.IN:
        return _class(av)
    if op is sre.BRANCH:
        out, empty = [], False
        for alternative in av[1]:
            got = _first(alternative)
            if got is None:
                return None
            out += got[0]
            empty = empty or got[1]
        return out, empty
    if op is sre.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _first(av[3])
    if op in _REPEATS:
        got = _first(av[2])
        return None if got is None else (got[0], got[1] or av[0] == 0)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # reads no character
        return [], True
    return None  # ., a negated character, a back-reference …: not known


def _class(items) -> tuple[list[str], bool] | None:
    out = []
    for op, item in items:
        if op is sre.LITERAL:
            out.append(re.escape(chr(item)))
        elif op is sre.RANGE:
            out.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
        elif op is sre.CATEGORY and item in _CATEGORIES:
            out.append(_CATEGORIES[item])
        else:  # a negated class and the like
            return None
    return out, False
