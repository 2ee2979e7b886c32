"""Segmentation that does not trust newlines: a separator the document itself uses in
place of its line breaks (a converter's ``Р``, ``■``, ``??``), learnt from where it stands.

A character that is neither a Chinese character, a letter, a digit, white space nor the
punctuation of running text, which recurs in a text that has next to no line breaks, and
stands right before item markers (一、 （一） 1.) or recurs often, is that document's line
break. It is read as one (in the normalised text, which keeps every offset), and the text
as written is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter

from kepugraph.reading.layout import MARKERS

#: What running Chinese text and its tables are made of: never a separator.
_ORDINARY = re.compile(r"[\u3400-\u9fffA-Za-z0-9_０-９Ａ-Ｚａ-ｚ\s，。、；：？！“”‘’《》〈〉（）【】〔〕()\[\]{},.;:!?'\"%%‰·—…\-+/|=<>~～*#@&]")
_ODD = re.compile(r"\?\?|" + _ORDINARY.pattern.replace("[", "[^", 1))
#: A separator is learnt only where it is more than twice as common as line breaks, and it stands before an item marker at least this often.
_BEFORE_MARKERS = 2
#: ... or where it recurs this often.
_ALONE = 5


def learn_separator(text: str) -> str | None:
    """The separator ``text`` uses instead of line breaks, or None.

    >>> learn_separator("一、总则■1.推进甲事。责任单位：市甲局■2.推进乙事。责任单位：市乙局■二、保障")
    '■'
    >>> learn_separator("一、总则\\n1.推进甲事。（市甲局负责）\\n") is None
    True
    """
    # one odd character, or two question marks (a converter's lost line break)
    runs = Counter(m.group(0) for m in _ODD.finditer(text))
    best = None
    for junk, n in runs.most_common(5):
        if n < 3 or n <= 2 * text.count("\n"):
            break
        before = 0
        for m in re.finditer(re.escape(junk), text):
            rest = text[m.end():m.end() + 8].lstrip()
            before += any(rx.match(rest) for _, rx in MARKERS[:5])
        # a text with no line break at all takes any odd character that recurs as its breaks
        if before >= _BEFORE_MARKERS or n >= _ALONE or "\n" not in text:
            best = junk
            break
    return best


def as_line_breaks(text: str, norm: str) -> str:
    """``norm`` with the separator ``text`` uses in place of line breaks turned into line
    breaks (one break and spaces for the rest of it, so that offsets keep their meaning)."""
    junk = learn_separator(text)
    if junk is None:
        return norm
    out = list(norm)
    for m in re.finditer(re.escape(junk), text):
        out[m.start()] = "\n"  # one break, then spaces for the rest of it (?? is one separator)
        for k in range(m.start() + 1, m.end()):
            out[k] = " "
    return "".join(out)
