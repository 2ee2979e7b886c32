"""What the layout of a plan looks like: list markers, and table cells as the readers write them.

Shared by the readers (.pdf line joining, .docx tables) and the parser, so that neither
imports the other.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十百零〇"

#: Item markers by style, matched on normalised text; nesting follows the order in
#: which a document first uses each style.
MARKERS = [
    ("chapter", re.compile(rf"第[{_CN}\d]+[章部篇节]\s*|第[{_CN}\d]+部分\s*")),
    ("cn", re.compile(rf"[{_CN}]{{1,3}}\s*[、.]\s*")),
    ("pcn", re.compile(rf"\(\s*[{_CN}]{{1,3}}\s*\)\s*")),
    ("num", re.compile(r"\d{1,3}\s*(?:、|\.(?!\d))\s*")),
    ("pnum", re.compile(r"\(\s*\d{1,3}\s*\)\s*|\d{1,3}\)\s*")),
    ("circ", re.compile(r"[①-⑳⑴-⒇]\s*")),
    ("dash", re.compile(r"(?:——|—|--)\s*")),
]

def opens_item(norm_line: str) -> bool:
    """Does a (normalised) line start with a list marker?"""
    return any(rx.match(norm_line) for _, rx in MARKERS)


def table_cell(text: str) -> str:
    """A table cell's text for a ``|``-separated row: its lines joined by a space (a lost
    line break between two unit names stays a gap the parser splits at), ``|`` replaced."""
    return re.sub(r"\s*\n\s*", " ", text.strip()).replace("|", "¦")
