"""Drafts → measures and sections: roles settled (declared rules applied forward from where
they are made), titles, deadlines and targets read, and the heading tree of what was found."""

from __future__ import annotations

import re

from kepugraph.extraction.attach import Draft
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import Item, heading_of
from kepugraph.extraction.rules import Rules
from kepugraph.extraction.targets import find_targets
from kepugraph.model import Measure, Section
from kepugraph.reading.layout import opens_item
from kepugraph.reading.textnorm import normalize


def assemble_measures(doc: Doc, drafts: list[Draft], roots: list[Item]) -> list[Measure]:
    """Measures from drafts in document order, the declared rules applied as they come."""
    rules = Rules(doc)
    measures: list[Measure] = []
    for d in drafts:
        units, generic = rules.settle(d)
        if not units and not generic:
            doc.warn(d.start, "annotation names no unit that could be read", d.end)
            continue
        # units only vague (有关部门, 各责任科室): still a measure, one nobody in particular owns
        body_end = d.body_end if d.body_end is not None else d.end
        if d.title_from is not None:  # 一是…（A负责）；二是…: the part, not the item's heading
            title = _title(doc, d.title_from, d.title_end or body_end, "")
        else:
            title = _title(doc, d.start, d.title_end or body_end, d.label, clause=d.source == "prose" and not d.title_end)
        path_items = []
        node = d.path_item
        while node is not None:
            path_items.append(node)
            node = node.parent
        path_items.reverse()
        ordinal = len(measures) + 1
        measures.append(Measure(
            id=f"m{ordinal}", ordinal=ordinal, section=None,
            path=[heading_of(doc, p) for p in path_items],
            label=d.label, title=title, text=d.text if d.text is not None else doc.text[d.start:d.end], span=(d.start, d.end),
            units=units, annotation=d.raw.strip(), generic_refs=generic,
            targets=find_targets(doc.text, d.start, body_end, doc.norm)
            + [t for a, b in d.target_spans for t in find_targets(doc.text, a, b, doc.norm)],
            deadline=d.deadline or next((a.deadline for a in d.anns if a.deadline), None)
            or (d.item.deadline if d.item else None) or _deadline(doc, d.start, body_end),
            source=d.source, line=doc.line_number(d.start),
        ))
        measures[-1]._path_items = path_items  # type: ignore[attr-defined]
    return measures


#: A line that opens a field of its own: a short name and a colon (工作内容：, 时间：)
_FIELD_START = re.compile(r"[ \t]*[\u4e00-\u9fff]{2,8}[:：]")


_BREAK_RE = re.compile(r"\s*\n\s*")
_SENTENCE_STOP, _CLAUSE_STOP = re.compile("[。!?！？;；\n]"), re.compile("[。!?！？;；,，\n]")
_DEADLINE_RE = re.compile(r"((?:19|20)\d{2}年(?:\d{1,2}月)?底?前|长期坚持|持续推进|长期推进|(?:19|20)\d{2}年底)")


def _title(doc: Doc, start: int, end: int, label: str, clause: bool = False) -> str:
    text = doc.text[start:end]
    norm = doc.norm[start:end]
    skip = len(text) - len(text.lstrip())
    if label:
        skip = norm.find(normalize(label), skip) + len(label) if normalize(label) in norm else skip
    body, nbody = text[skip:], norm[skip:]
    while nbody[:1].isspace():
        body, nbody = body[1:], nbody[1:]
    cut = len(nbody)
    for m in (_CLAUSE_STOP if clause else _SENTENCE_STOP).finditer(nbody):  # a sentence's end, a line break
        i = m.start()
        # a heading line with no full stop, its sub-items (1)(2)… below: the line is the title
        # ... or its fields below, each a short name and a colon (目标：… / 时间：… / 工作内容：…)
        if m.group() != "\n" or opens_item(nbody[i + 1:].lstrip()) or _FIELD_START.match(nbody, i + 1):
            cut = i
            break
    # …活动——责任单位：…: the dash that set the label apart is no part of the title
    return _BREAK_RE.sub("", body[:cut]).strip().rstrip("—-－ ").strip()


def _deadline(doc: Doc, start: int, end: int) -> str | None:
    m = _DEADLINE_RE.search(doc.norm[start:end])
    return doc.text[start + m.start():start + m.end()] if m else None


def build_sections(doc: Doc, roots: list[Item], measures: list[Measure]) -> list[Section]:
    wanted: dict[int, Item] = {}
    for r in roots:
        wanted[id(r)] = r
    for m in measures:
        for p in getattr(m, "_path_items", []):
            wanted[id(p)] = p
    for it in list(wanted.values()):
        siblings = it.parent.children if it.parent else roots
        for sib in siblings:
            if not sib.consumed and not sib.hits and not sib.fields and sib.style != "dash":
                wanted.setdefault(id(sib), sib)
    ordered = sorted(wanted.values(), key=lambda i: i.start)
    out: list[Section] = []
    for it in ordered:
        heading = heading_of(doc, it)
        label = doc.text[it.start:it.content].strip()
        sid = "s" + "-".join(map(str, it.path_ordinals))
        it.section = Section(id=sid, label=label, title=heading[len(doc.text[it.start:it.content]):].strip()
                             if heading.startswith(doc.text[it.start:it.content]) else heading,
                             level=it.level, parent=None, ordinal=it.ordinal, span=(it.start, it.end))
        out.append(it.section)
    for it in ordered:
        last = it
        while last.children:
            last = last.children[-1]
        it.section.span = (it.start, max(it.end, last.end))
        if it.parent is not None and it.parent.section is not None:
            it.section.parent = it.parent.section.id
    for m in measures:
        items = getattr(m, "_path_items", [])
        m.section = items[-1].section.id if items and items[-1].section else None
        del m._path_items  # type: ignore[attr-defined]
    if any(m.section is None for m in measures):
        # measures before any heading (a bare table, a list): a section for the body
        body = Section(id="s0", label="", title="正文", level=0, parent=None, ordinal=0,
                       span=(0, len(doc.text)))
        out.insert(0, body)
        for m in measures:
            if m.section is None:
                m.section = body.id
    return out
