"""Items: the numbered paragraphs of a plan (一、 （一） 1. （1） ① ——), and the tree they form
by the order in which a document first uses each marker style."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kepugraph import lexicon
from kepugraph.extraction.annotations import LABEL_RE, ROLE_WORDS_RE, Annotation
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.meta import cn_number
from kepugraph.extraction.quickre import prefiltered
from kepugraph.extraction.units import looks_like_unit
from kepugraph.model import Section
from kepugraph.reading.layout import MARKERS


@dataclass
class Item:
    style: str
    level: int
    line: int  # index into lines
    start: int  # offset of the marker
    content: int  # offset just after the marker
    parent: "Item | None" = None
    children: list["Item"] = field(default_factory=list)
    end: int = 0  # end of the block (before the next item)
    ordinal: int = 0  # among its siblings
    hits: list["Hit"] = field(default_factory=list)
    fields: list[tuple[int, int, Annotation]] = field(default_factory=list)
    deadline: str | None = None
    section: Section | None = None
    consumed: bool = False
    head_end: int | None = None  # where the heading ends, when not at its line's end (a table cell)

    @property
    def path_ordinals(self) -> list[int]:
        node, out = self, []
        while node is not None:
            out.append(node.ordinal)
            node = node.parent
        return out[::-1]


@dataclass
class Hit:
    start: int  # the opening bracket
    end: int  # after the closing bracket
    ann: Annotation
    own_line: bool


#: Markers as they stand inside a run-on line: right after a sentence, a colon or a bracket.
_MARK = (r"(?:(?P<cn>[一二三四五六七八九十]{1,3})、|\((?P<pcn>[一二三四五六七八九十]{1,3})\)"
         r"|(?P<num>\d{1,2})(?:、|\.(?!\d))|\((?P<pnum>\d{1,2})\)|第(?P<art>[一二三四五六七八九十]{1,3})条)"
         r"(?=[ \u3000]?[\u4e00-\u9fff“《*＊×])")
_INLINE = re.compile(r"(?<=[。；;！？!?:：)])\s*" + _MARK)
_HEAD = re.compile(r"\s*" + _MARK)
#: In a line that long, a marker right after a character counts too (a heading with no full
#: stop ran into its first item: …沃土（一）深入… / …现代化1.推动…), in sequence as ever.
_LOOSE = prefiltered(re.compile(r"(?<=[\u4e00-\u9fff”》])[ \u3000]*" + _MARK))  # the same matches (see quickre)
#: Lines at least this long are searched for numbering inside them; shorter ones down to
#: SHORT_RUN_ON only for a marker that carries on the numbering of the lines around it.
RUN_ON = 300
SHORT_RUN_ON = 16


def _numeral(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text) or 0


def split_run_ons(doc: Doc) -> None:
    """Break lines that lost their line breaks before the numbering inside them.

    A marker inside a long line counts where it continues a sequence of its style (一、
    then 二、, or 1. then 2.; a 1. only where a 2. follows, in the line or opening a line
    after it), so 第1、2条 or a 2.5% never open an item. A line is broken at two such
    markers or more, or at one whose sequence the next lines carry on (…意见：一、… / 二、…
    on the next line). The breaks are virtual: offsets stay those of the text.
    """
    heads = [(i, m.lastgroup, _numeral(m.group(m.lastgroup)))
             for i, (a, b) in enumerate(doc.lines) if (m := _HEAD.match(doc.norm, a, b))]
    seen: dict[str, int] = {}  # the last number of each style in the lines before
    lines: list[tuple[int, int]] = []
    for li, (a, b) in enumerate(doc.lines):
        head = _HEAD.match(doc.norm, a, b)
        if head:
            seen[head.lastgroup] = _numeral(head.group(head.lastgroup))
        if b - a < SHORT_RUN_ON:
            lines.append((a, b))
            continue
        matches = list(_INLINE.finditer(doc.norm, a, b))
        if b - a >= RUN_ON:
            matches = sorted(matches + list(_LOOSE.finditer(doc.norm, a, b)), key=lambda m: m.start(m.lastgroup))
        found = [(m.start(m.lastgroup) - (m.lastgroup in ("pcn", "pnum", "art")), m.lastgroup, _numeral(m.group(m.lastgroup)))
                 for m in matches]
        found = [f for k, f in enumerate(found) if not k or f[0] != found[k - 1][0]]
        after_stop = {m.start(m.lastgroup) for m in _INLINE.finditer(doc.norm, a, b)}
        last = dict(seen)
        cuts, carried, labelled = [], False, False
        for k, (pos, style, n) in enumerate(found):
            follows = n == last.get(style, 0) + 1
            later_ns = [m for _, st, m in found[k + 1:] if st == style]
            opens = n == 1 and 2 in later_ns
            # an excerpt that starts inside a list (…活动二、宗旨…三、…四、…): a first number of
            # its style opens where the next two numbers follow it in the line
            opens = opens or style not in last and n + 1 in later_ns and n + 2 in later_ns[later_ns.index(n + 1):]
            # a sequence carried across lines: from the lines before (…四、 / …五、) or on to
            # the next line to open with a marker (…意见：一、… / 二、…)
            after = next((m for i, st, m in heads if i > li and st == style), None)
            later = not any(st == style for _, st, _ in found[k + 1:]) and after == n + 1 and (follows or n == 1)
            # a list of one item after a sentence, closed by its fields (…依据。1.加快甲事。牵头单位:…)
            alone = n == 1 and style not in last and pos + (style in ("pcn", "pnum", "art")) in after_stop \
                and not any(st == style for _, st, _ in found[k + 1:]) and after is None \
                and LABEL_RE.search(doc.norm, pos, b) is not None
            if follows or opens or later or alone:
                carried = carried or later or follows and n > 1 and seen.get(style) == n - 1
                labelled = labelled or alone
                last[style] = n
                cuts.append(pos)
        seen.update(last)
        # a line of middling length is broken only where the document's sequence says so
        if not carried and not labelled and (len(cuts) < 2 or b - a < RUN_ON):
            lines.append((a, b))
            continue
        for start, end in zip([a] + cuts, cuts + [b]):
            lines += _heading_cut(doc, start, end)
    doc.lines = lines


#: A short heading closed by its units, with the body run on after it: 一、强化科技创新(区科技局牵头)以…
_ANNOTATED_HEADING = re.compile(r"\s*" + _MARK + r"[^。；;!?！？()\n]{2,30}(\([^()]{2,60}\))(?=\S)")


def _heading_cut(doc: Doc, a: int, b: int) -> list[tuple[int, int]]:
    """A piece of a run-on line that opens with a short heading closed by an annotation
    with a role word, then goes on: the body went up onto the heading's line, and is cut
    off it (the annotation stays the heading's, for the items under it)."""
    m = _ANNOTATED_HEADING.match(doc.norm, a, b)
    if m and ROLE_WORDS_RE.search(m.group(m.lastindex)) and m.end() < b:
        return [(a, m.end()), (m.end(), b)]
    return [(a, b)]


#: A line that is nothing but unit names (市科协 / 市发展改革委、市住建局), one of a list set out
#: one a line under a label with no value of its own.
_UNIT_LINE_MAX = 40
_UNIT_PARTS = re.compile(r"[、,，;；\s]+")


def join_listed_units(doc: Doc) -> None:
    """A label of units with nothing after its colon (责任单位：) whose value is set out on the
    lines below it, a unit or a list of units a line: those lines join the label's, their
    line breaks read as the spaces that part units in a value (offsets keep their meaning)."""
    norm = list(doc.norm)
    joined = False
    i = 0
    while i < len(doc.lines):
        a, b = doc.lines[i]
        line = doc.norm[a:b].strip()
        m = LABEL_RE.match(line)
        if m is None or line[m.end():].strip() or not any(noun in m.group(1) for noun in lexicon.LABEL_NOUNS):
            i += 1
            continue
        k = i + 1
        while k < len(doc.lines):
            c, d = doc.lines[k]
            value = doc.norm[c:d].strip()
            parts = [w for w in _UNIT_PARTS.split(value) if w]
            if not value or len(value) > _UNIT_LINE_MAX or not all(looks_like_unit(w) for w in parts):
                break
            norm[c - 1] = " "
            doc.joined.append(c - 1)
            k += 1
        joined = joined or k > i + 1
        i = k
    if joined:
        doc.norm = "".join(norm)
        doc.lines, pos = [], 0
        for line in doc.norm.split("\n"):
            doc.lines.append((pos, pos + len(line)))
            pos += len(line) + 1


def find_items(doc: Doc) -> list[Item]:
    out = []
    for i, (a, b) in enumerate(doc.lines):
        line = doc.norm[a:b]
        stripped = line.lstrip(" \t")
        off = a + len(line) - len(stripped)
        for style, rx in MARKERS:
            m = rx.match(stripped)
            if m and m.end() < len(stripped.rstrip()):
                if style == "dash" and not stripped.startswith(("——", "--")):
                    break
                out.append(Item(style=style, level=0, line=i, start=off, content=off + m.end()))
                break
    return out


#: A paragraph closed by an annotation: （市甲局牵头） at the end of the line
_CLOSING_ANNOTATION = re.compile(r"[。;；]?\s*\(([^()]{2,120})\)[。;；.]?\s*$")


def unnumbered_items(doc: Doc, items: list[Item]) -> list[Item]:
    """Paragraphs with no number before the first numbered item (or in a plan with none)
    that close with an annotation naming a role (……年底前完成。（市甲局牵头）) or that own-line
    fields naming units follow (……讲座20场。 / 责任领导：… / 责任单位：市甲局) — each an item."""
    first = items[0].start if items else len(doc.text)
    out = []
    for i, (a, b) in enumerate(doc.lines):
        if a >= first:
            break
        m = _CLOSING_ANNOTATION.search(doc.norm, a, b)
        if m and m.start() - a >= 6 and ROLE_WORDS_RE.search(m.group(1)) or _fields_follow(doc, i):
            stripped = len(doc.norm[a:b]) - len(doc.norm[a:b].lstrip())
            out.append(Item(style="para", level=0, line=i, start=a + stripped, content=a + stripped))
    return out


def _fields_follow(doc: Doc, i: int) -> bool:
    """Line ``i`` is a paragraph (no label of its own) and the lines right after it are
    labelled fields, one of them a label of units (责任单位：, 牵头部门：)."""
    a, b = doc.lines[i]
    line = doc.norm[a:b].strip()
    if len("".join(line.split())) < 6 or LABEL_RE.match(line) or i + 1 >= len(doc.lines):
        return False
    units = False
    for c, d in doc.lines[i + 1:i + 6]:
        field = doc.norm[c:d].strip()
        m = LABEL_RE.match(field)
        if m is None:
            break
        # a label of units whose value opens with a unit name (not 各直属机构：2012年以来…)
        first = re.split(r"[、,，;；\s]", field[m.end():].strip(), maxsplit=1)[0]
        units = units or any(noun in m.group(1) for noun in lexicon.LABEL_NOUNS) and looks_like_unit(first)
    return units


def find_body_start(doc: Doc, items: list[Item]) -> int:
    """Where the plan's body begins: the first item, unless it sits in the notice."""
    for it in items:
        return doc.lines[it.line][0]
    return len(doc.text)


def build_tree(doc: Doc, items: list[Item]) -> list[Item]:
    stack: list[Item] = []
    roots: list[Item] = []
    for idx, it in enumerate(items):
        styles = [s.style for s in stack]
        if it.style in styles:
            del stack[styles.index(it.style):]
        it.level = len(stack)
        it.parent = stack[-1] if stack else None
        siblings = it.parent.children if it.parent else roots
        siblings.append(it)
        it.ordinal = len(siblings)
        stack.append(it)
        nxt = items[idx + 1].start if idx + 1 < len(items) else len(doc.text)
        it.end = doc.trim_end(it.start, nxt)
    return roots


def heading_of(doc: Doc, it: Item) -> str:
    """The heading an item opens: its marker and text up to the first sentence end."""
    b = it.head_end if it.head_end is not None else doc.lines[it.line][1]
    text = doc.text[it.start:b]
    norm = doc.norm[it.start:b]
    cut = len(norm)
    for m in _HEADING_STOP.finditer(norm):
        i = m.start()
        if m.group() != "(" or (i > it.content - it.start and ROLE_WORDS_RE.search(norm[i:])):
            cut = i
            break
    return text[:cut].strip()


_HEADING_STOP = re.compile("[。;；(]")


def is_short_heading(doc: Doc, it: Item, start: int) -> bool:
    head = doc.norm[it.content:start]
    return "\n" not in head and len(head) <= 40 and not any(c in head for c in "。;；")
