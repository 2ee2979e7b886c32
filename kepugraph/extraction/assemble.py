"""Drafts → measures and sections: roles settled (declared rules applied forward from where
they are made), titles, deadlines and targets read, and the heading tree of what was found."""

from __future__ import annotations

import re

from kepugraph.extraction.annotations import _FIRST_LEAD_RE
from kepugraph.extraction.attach import Draft
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import Item, heading_of
from kepugraph.extraction.targets import find_targets
from kepugraph.model import Measure, Section, UnitRef
from kepugraph.reading.textnorm import normalize


def assemble_measures(doc: Doc, drafts: list[Draft], roots: list[Item]) -> list[Measure]:
    # 排名第一的为牵头单位 may be declared anywhere (a note before the list, a
    # heading, an annotation); it holds from there to the end
    declared_at = [m.start() for m in _FIRST_LEAD_RE.finditer(doc.norm)]
    first_is_lead = False
    carry: list[tuple[str, str]] = []
    carry_generic: list[str] = []
    measures: list[Measure] = []
    for d in drafts:
        units: list[UnitRef] = []
        generic: list[str] = []
        declared_lead = any(a.first_is_lead for a in d.anns) or any(at < d.end for at in declared_at)
        # run-in fields are one annotation: 责任单位 under a 牵头单位 line supports it
        field_lead = d.source == "field" and any(r == "lead" for a in d.anns for _, r in a.units)
        for ann in d.anns:
            roles = [(n, "support" if field_lead and r == "joint" else r) for n, r in ann.units]
            explicit = any(r != "joint" for _, r in roles)
            if (first_is_lead or declared_lead) and not explicit and roles:
                roles = [(n, "lead" if i == 0 else "support") for i, (n, _) in enumerate(roles)]
            for n, r in roles:
                if not any(u.name == n for u in units):
                    units.append(UnitRef(n, r, len(units) + 1))
            for g in ann.generic:
                if g not in generic:
                    generic.append(g)
        if d.source != "prose":
            for n, r in carry:
                if not any(u.name == n for u in units):
                    units.append(UnitRef(n, r, len(units) + 1))
            for g in carry_generic:
                if g not in generic:
                    generic.append(g)
        for ann in d.anns:
            first_is_lead = first_is_lead or ann.first_is_lead
            carry += [c for c in ann.carry if c not in carry]
            carry_generic += [g for g in ann.carry_generic if g not in carry_generic]
        if not units:
            doc.warn(d.start, "annotation names only vague references, no unit",
                      d.end)
            continue
        body_end = d.body_end if d.body_end is not None else d.end
        if d.title_from is not None:  # 一是…（A负责）；二是…: the part, not the item's heading
            title = _title(doc, d.title_from, d.title_end or body_end, "")
        else:
            title = _title(doc, d.start, body_end, d.label, clause=d.source == "prose")
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
            label=d.label, title=title, text=doc.text[d.start:d.end], span=(d.start, d.end),
            units=units, annotation=d.raw.strip(), generic_refs=generic,
            targets=find_targets(doc.text, d.start, body_end, doc.norm),
            deadline=d.deadline or next((a.deadline for a in d.anns if a.deadline), None)
            or (d.item.deadline if d.item else None) or _deadline(doc, d.start, body_end),
            source=d.source, line=doc.line_of(d.start) + 1,
        ))
        measures[-1]._path_items = path_items  # type: ignore[attr-defined]
    return measures


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
    for i, ch in enumerate(nbody):
        if ch in "。!?！？;；" or clause and ch in ",，":
            cut = i
            break
    return re.sub(r"\s*\n\s*", "", body[:cut]).strip()


def _deadline(doc: Doc, start: int, end: int) -> str | None:
    m = re.search(r"((?:19|20)\d{2}年(?:\d{1,2}月)?底?前|长期坚持|持续推进|长期推进|(?:19|20)\d{2}年底)", doc.norm[start:end])
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
