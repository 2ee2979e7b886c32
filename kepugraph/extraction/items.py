"""Items: the numbered paragraphs of a plan (一、 （一） 1. （1） ① ——), and the tree they form
by the order in which a document first uses each marker style."""

from __future__ import annotations

from dataclasses import dataclass, field

from kepugraph.extraction.annotations import ROLE_WORDS_RE, Annotation
from kepugraph.extraction.doc import Doc
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
    for i, ch in enumerate(norm):
        if ch in "。;；" or (ch == "(" and i > it.content - it.start and ROLE_WORDS_RE.search(norm[i:])):
            cut = i
            break
    return text[:cut].strip()


def is_short_heading(doc: Doc, it: Item, start: int) -> bool:
    head = doc.norm[it.content:start]
    return "\n" not in head and len(head) <= 40 and not any(c in head for c in "。;；")
