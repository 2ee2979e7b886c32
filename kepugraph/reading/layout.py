"""What the layout of a plan looks like: list markers, and table cells as the readers write them.

Shared by the readers (.pdf line joining, .docx tables) and the parser, so that neither
imports the other.
"""

from __future__ import annotations

import re

from kepugraph.lexicon import DEADLINE_WORDS, ROLE_WORDS, alternation

_CN = "一二三四五六七八九十百零〇"

#: Item markers by style, matched on normalised text; nesting follows the order in
#: which a document first uses each style.
MARKERS = [
    ("chapter", re.compile(rf"第[{_CN}\d]+[章部篇]\s*|第[{_CN}\d]+部分\s*")),
    ("cn", re.compile(rf"[{_CN}]{{1,3}}\s*[、.]\s*")),
    ("pcn", re.compile(rf"\(\s*[{_CN}]{{1,3}}\s*\)\s*")),
    ("num", re.compile(r"\d{1,3}\s*(?:、|\.(?!\d))\s*")),
    ("pnum", re.compile(r"\(\s*\d{1,3}\s*\)\s*|\d{1,3}\)\s*")),
    ("circ", re.compile(r"[①-⑳⑴-⒇]\s*")),
    ("dash", re.compile(r"(?:——|—|--)\s*")),
    # 第一条 … of 若干措施 and 办法: an item, last so that the slices above keep their meaning
    ("article", re.compile(rf"第[{_CN}\d]{{1,4}}条\s*")),
    # 第一节 under 第二章: a level of its own
    ("section", re.compile(rf"第[{_CN}\d]+节\s*")),
    # 1.1 / 1.1.1 of decimal numbering, a space after it (2.5亿元 at a line's start is a figure)
    ("dec3", re.compile(r"\d{1,2}\.\d{1,2}\.\d{1,2}\.?[ \t]+(?=\S)")),
    ("dec2", re.compile(r"\d{1,2}\.\d{1,2}\.?[ \t]+(?=\S)")),
]

#: A (normalised) line that opens a responsibility field: 牵头单位：…, 责任部门: …, 完成时限：…
#: (a label and its colon; 责任单位 alone may be the end of a heading the page width broke)
FIELD_LINE = re.compile("^" + alternation(tuple(ROLE_WORDS) + DEADLINE_WORDS + ("完成时间", "时间", "联系人"))
                        + r"[^:：\n]{0,6}[:：]")


_ARABIC = re.compile(r"\(?\s*(\d{1,3})")


class Numbering:
    """The arabic numbering met so far down a text, to tell an item from a number that a
    page width left at the start of a line (…科技 / 110、科普之冬…): 1. and (1) always
    open an item, any other number only where it continues the last of its style (or,
    first of its style, where it is small).

    >>> n = Numbering()
    >>> [n.opens(line) for line in ["1.开展", "2.建设", "110、科普之冬", "3.做好", "5、跳过", "(1)甲", "一、总则"]]
    [True, True, False, True, False, True, True]
    """

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def opens(self, norm_line: str) -> bool:
        """Does the (normalised) line open an item? Counts it when it does."""
        style = next((name for name, rx in MARKERS if rx.match(norm_line)), None)
        if style not in ("num", "pnum"):
            return style is not None
        n = int(_ARABIC.match(norm_line).group(1))
        last = self.last.get(style)
        # a first number of its style may be any small one (an excerpt may start at 4.)
        if n != 1 and (n - 1 != last if last is not None else n > 20):
            return False
        self.last[style] = n
        return True

    def starts_anew(self, norm_line: str) -> bool:
        """Does the line begin something of its own, never the rest of the line above: an
        item that continues the count, or a field (牵头单位：…)? Counts it when it does."""
        return self.opens(norm_line) or bool(FIELD_LINE.match(norm_line))


#: A (normalised) line that ends its paragraph: a sentence, a clause, a closing bracket or quote.
ENDS_PARAGRAPH = re.compile(r"[。；;：:！!？?）)〕】”]\s*$")


def opens_item(norm_line: str) -> bool:
    """Does a (normalised) line start with a list marker?"""
    return any(rx.match(norm_line) for _, rx in MARKERS)


def table_cell(text: str) -> str:
    """A table cell's text for a ``|``-separated row: its lines joined by a space (a lost
    line break between two unit names stays a gap the parser splits at), ``|`` replaced."""
    return re.sub(r"\s*\n\s*", " ", text.strip()).replace("|", "¦")


def table_row(cells: list[str]) -> str:
    """A table row as every reader writes one for the parser: cells parted by ``|``.

    >>> table_row(["1", "开展科普活动", "区科协"])
    '1 | 开展科普活动 | 区科协 |'
    """
    return " | ".join(cells) + " |"
