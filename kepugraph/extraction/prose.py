"""Responsibilities written as prose, not as annotations: 区科协牵头实施… in a closing
保障措施 part, and an item that ends by naming who does it (…的问题，由X会同Y、Z等部门负责落实)."""

from __future__ import annotations

import re

from kepugraph import lexicon
from kepugraph.extraction.annotations import LABEL_RE, Annotation
from kepugraph.extraction.attach import Draft
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import Item
from kepugraph.extraction.units import clean_name, is_generic, looks_like_unit, split_etc, split_spans
from kepugraph.reading.textnorm import normalize

_GUARANTEE_RE = re.compile(r"(保障|组织实施|实施保障|工作要求|组织领导|工作机制)")
_PROSE_RE = re.compile(r"^([^,，。;；:：“”《》\s]{2,60}?)" + lexicon.alternation(lexicon.PROSE_VERBS, capture=True) + "(?!人)")
#: 由X会同Y、Z等部门研究提出落实意见 / 由X牵头，Y参加 / 由X负责落实
_BY_VERB = "|".join(v + {"负责": "(?!人)", "研究": "(?!院|所|室|会|中心)", "组织": "(?!部)"}.get(v, "")
                   for v in lexicon.BY_VERBS)
_BY_RE = re.compile(r"由(?P<lead>[^,，。;；:：由“”《》]{2,60}?)(?:会同(?P<with>[^。;；:：“”《》]{2,300}?))?"
                    # a verb that is the start of the unit's own name is not yet the verb:
                    # 由区委组织部负责, 由市农业科学研究院负责
                    "(?:" + lexicon.alternation(lexicon.DIVIDING_WORDS + lexicon.MANNER_WORDS) + ")?(?P<verb>" + _BY_VERB + ")")


def prose_drafts(doc: Doc, items: list[Item], drafts: list[Draft]) -> list[Draft]:
    """区科协牵头实施《纲要》 in the closing part: responsibilities written as prose."""
    if not drafts:
        return []
    out: list[Draft] = []
    for it in items:
        if it.hits or it.fields or it.consumed or not _in_guarantee_part(doc, it):
            continue
        text_end = it.children[0].start if it.children else it.end
        for m in re.finditer(r"[^。;；!！?？\n]+[。;；!！?？]?", doc.norm[it.content:text_end]):
            s_start = it.content + m.start()
            sentence = m.group(0)
            lead_ws = len(sentence) - len(sentence.lstrip())
            s_start += lead_ws
            sentence = sentence.strip()
            pm = _PROSE_RE.match(sentence)
            if not pm:
                continue
            spans = split_spans(doc.norm, s_start, s_start + pm.end(1))
            names = [doc.text[a:b] for a, b in spans]
            if not names or not all(
                    looks_like_unit(n) and not is_generic(n) and re.match(r"^(区|市|县|省|镇|乡|街道|团|各)", normalize(n))
                    and not re.search(r"(要|将|应|和|及|级)", normalize(n)) for n in names):
                continue
            ann = Annotation(units=[(n, "lead" if pm.group(2) == "牵头" else "joint") for n in names])
            s_end = s_start + len(sentence)
            out.append(Draft(
                start=s_start, end=s_end, item=it, anns=[ann], raw=doc.text[s_start:s_start + pm.end()],
                source="prose", path_item=it, label="", body_end=s_end,
            ))
    return out


def _in_guarantee_part(doc: Doc, it: Item) -> bool:
    node = it
    while node is not None:
        heading = doc.norm[node.content:doc.lines[node.line][1]]
        if _GUARANTEE_RE.search(heading.split("。")[0]):
            return True
        node = node.parent
    return False


def assignment_drafts(doc: Doc, items: list[Item]) -> list[Draft]:
    """An item with no annotation whose last sentence says who does it: 由X会同Y、Z等部门
    负责落实 — X leads where it works with others (会同) or 牵头, Y and Z support."""
    out: list[Draft] = []
    for it in items:
        if it.hits or it.fields or it.consumed or it.children:
            continue
        body = doc.norm[it.content:it.end].rstrip()
        last = max(body.rfind(ch, 0, len(body) - 1) for ch in "。;；") + 1
        # both clauses (由A牵头，B、C配合) before one (由A牵头): the second names the partners
        draft = _run_in(doc, it) or _closing(doc, it, body, last)
        if draft is not None:
            out.append(draft)
            continue
        m = _BY_RE.search(body, last)
        if not m:
            continue
        base = it.content
        leads = _unit_names(doc, base + m.start("lead"), base + m.end("lead"))
        partners = _unit_names(doc, base + m.start("with"), base + m.end("with")) if m.group("with") else ([], [])
        if not leads[0] or leads[1] or m.group("with") and not partners[0] and not partners[1]:
            continue
        leads_role = "lead" if m.group("with") or m.group("verb").startswith("牵头") else "joint"
        ann = Annotation(units=[(n, leads_role) for n in leads[0]] + [(n, "support") for n in partners[0]],
                         generic=partners[1])
        end = doc.trim_end(it.start, it.end)
        # 由A负责，组织开展…: the sentence opens with the assignment, the task follows it
        after = base + m.end()
        opens = not body[:m.start()].strip() and doc.norm[after:after + 1] in ",，" and after + 1 < end
        out.append(Draft(start=it.start, end=end, item=it, anns=[ann], raw=doc.text[base + m.start():end],
                         source="prose", path_item=it.parent, label=doc.text[it.start:it.content].strip(),
                         body_end=end, title_end=_clause_start(doc, it, base + m.start()),
                         title_from=after + 1 if opens else None))
    return out


def _clause_start(doc: Doc, it: Item, at: int) -> int | None:
    """Where the task's own words end when the clause saying who does it (at ``at``) follows
    them in the same sentence (开展…活动，举办讲座20场，由A牵头… / 加强队伍建设：A牵头…): the title keeps every clause
    before it. None when the sentence opens with the assignment."""
    before = doc.norm[it.content:at].rstrip()
    if not before or before[-1] not in ",，:：":
        return None
    return it.content + len(before) - 1


#: …，A、B负责。 / …，A、B按职责分工落实。 closing an item's last sentence, or that sentence whole
#: (…建成10个科技馆。A、B负责。): units first, then the verb of carrying out, and nothing after it
_CLOSING_RE = re.compile(r"(?:[,，]|(?<=[。;；]))(?P<names>[^,，。;；:：“”《》()由]{2,120}?)(?:" + lexicon.alternation(lexicon.DIVIDING_WORDS + lexicon.MANNER_WORDS)
                         + ")?" + lexicon.alternation(lexicon.CLOSING_VERBS, capture=True) + r"[。;；]?\s*$")


#: …开展活动。——A、B: units alone after a dash closing the item
_DASHED_RE = re.compile(r"(?:——|—|--)\s*(?P<names>[^,，。;；:：“”《》()—]{2,120}?)[。;；]?\s*$")


def _closing(doc: Doc, it: Item, body: str, last: int) -> Draft | None:
    """开展…活动，A、B负责。 — the last clause of an item names its units (every name a unit or a
    vague reference, one unit at least) and the verb that carries the work out."""
    m = _CLOSING_RE.search(body, last) or _DASHED_RE.search(body, last)
    if m is None:
        return None
    base = it.content
    units, generic = _unit_names(doc, base + m.start("names"), base + m.end("names"))
    if not units:
        return None
    role = "lead" if m.re is _CLOSING_RE and m.group(1) in lexicon.LEAD else "joint"
    ann = Annotation(units=[(n, role) for n in units], generic=generic)
    end = doc.trim_end(it.start, it.end)
    return Draft(start=it.start, end=end, item=it, anns=[ann], raw=doc.text[base + m.start("names"):end],
                 source="prose", path_item=it.parent, label=doc.text[it.start:it.content].strip(), body_end=end,
                 title_end=base + m.start())


_NAMES = r"[^,，。;；:：“”《》()由]{2,60}?"
#: Both clauses of a run-in assignment in any sentence: 由A牵头，B、C配合，组织… / A负责，B协助 /
#: A牵头，会同B和C… (the verbs from the lexicon)
_RUN_IN = ("由?(?P<lead>" + _NAMES + ")" + lexicon.alternation(lexicon.PROSE_VERBS, capture=True)
    + "[,，](?:" + lexicon.WITH_WORD + "(?P<with>" + _NAMES + r")(?=[,，。;；]|" + lexicon.alternation(lexicon.DUTY_VERBS)
    + ")|(?P<support>" + _NAMES + ")" + lexicon.alternation(lexicon.SUPPORT) + ")")
_RUN_IN_RE = re.compile("(?:^|(?<=[。;；,，:：]))" + _RUN_IN)
#: ... or opening the item's text, right after its number (a '^' would not match there)
_RUN_IN_OPENING_RE = re.compile(r"\s*" + _RUN_IN)


def _run_in(doc: Doc, it: Item) -> Draft | None:
    """由A牵头，B、C配合，组织…。 in any sentence of an item with no annotation: A leads (or is
    jointly responsible, 负责), B and C support; every name must be a unit or a vague reference."""
    opening = _RUN_IN_OPENING_RE.match(doc.norm, it.content, it.end)
    m = opening or _RUN_IN_RE.search(doc.norm, it.content, it.end)
    if not m:
        return None
    # A牵头，会同B开展… / 由A牵头，B配合，组织…: the item opens with its units, the task follows
    title_from = m.end() + (doc.norm[m.end():m.end() + 1] in ",，") if opening else None
    if title_from is not None and not doc.norm[title_from:it.end].strip("。;； \n"):
        title_from = None
    leads = _unit_names(doc, m.start("lead"), m.end("lead"))
    group = "with" if m.group("with") else "support"
    partners = _unit_names(doc, m.start(group), m.end(group))
    if not leads[0] or leads[1] or not partners[0] and not partners[1]:
        return None
    ann = Annotation(units=[(n, "lead") for n in leads[0]] + [(n, "support") for n in partners[0]],
                     generic=partners[1])
    end = doc.trim_end(it.start, it.end)
    return Draft(start=it.start, end=end, item=it, anns=[ann], raw=doc.text[m.start():m.end()], source="prose",
                 path_item=it.parent, label=doc.text[it.start:it.content].strip(), body_end=end,
                 title_end=_clause_start(doc, it, m.start()), title_from=title_from)


def _unit_names(doc: Doc, start: int, end: int) -> tuple[list[str], list[str]]:
    """The units and the vague references of a list; ([], []) when a piece is neither."""
    units: list[str] = []
    generic: list[str] = []
    for a, b in split_spans(doc.norm, start, end):
        name, etc = split_etc(clean_name(doc.text[a:b]))  # 农 / 业部 broken by a line end is one name
        if etc:
            generic.append(etc)
        if not name:
            continue
        if is_generic(name):
            generic.append(name)
        elif looks_like_unit(name) and len(name) <= 20:
            units.append(name)
        else:
            return [], []
    return units, generic


#: 办公室  组织、协调…; 市科协：负责… — a unit opening a line (or a clause after ；), then
#: a colon or a wide gap, then what it does; one space will do before a duty verb (an HTML
#: page shows a run of spaces as one)
_DUTY_VERB = "|".join(lexicon.DUTY_VERBS)
_DUTY_RE = re.compile(r"(?:^|(?<=[;；\n]))[ \t]*(?P<unit>[^\s:：;；,，。、()]{2,16}?|[^\s:：;；,，。()]{2,40}?(?=[ \t]*[:：]))"
                      rf"(?:[ \t]*[:：][ \t]*|[ \t]{{2,}}|[ \t](?={_DUTY_VERB}))"
                      r"(?P<duty>[^\n;；]{4,}(?:[;；][^\n;；]+)*?[;；]?)(?=$|\n|[;；][ \t]*[^\s:：;；,，。、()]{2,16}?[:：])",
                      re.M)
_DUTY_HEADING_RE = re.compile(r"(分工|职责|职能|任务)")


def duty_list_drafts(doc: Doc, items: list[Item]) -> list[Draft]:
    """Unit-first duty lists: two or more lines (or clauses) each opened by a unit followed
    by what it does, under a heading about duties (工作分工, 职责) or with a colon after
    each unit. Each unit answers alone for its own duties (joint)."""
    out: list[Draft] = []
    for it in items:
        if it.hits or it.fields or it.consumed:
            continue
        start = doc.lines[it.line][1] if it.children or doc.line_of(it.end) > it.line else it.content
        end = it.children[0].start if it.children else it.end
        # 市教育局、市科协：开展…: units before a colon, each a unit
        found = [m for m in _DUTY_RE.finditer(doc.norm, start, end)
                 if _duty_units(doc, m)]
        heading = _DUTY_HEADING_RE.search(doc.norm[it.content:doc.lines[it.line][1]])
        found = [m for m in found if heading or re.match(r"[^:：]*[:：]", doc.norm[m.start("unit"):m.end("duty")])]
        if len(found) < 2:
            continue
        for m in found:
            a, b = m.start("unit"), doc.trim_end(m.start("unit"), m.end("duty"))
            ann = Annotation(units=[(n, "joint") for n in _duty_units(doc, m)])
            out.append(Draft(start=a, end=b, item=it, anns=[ann], raw=doc.text[a:m.end("unit")],
                             source="prose", path_item=it, label="", body_end=b, title_from=m.start("duty")))
    return out


#: 市教育局：负责… / 市科协、市科技局：组织… opening a numbered item: a unit-first duty, one per item
_ITEM_DUTY_RE = re.compile(r"[ \t]*(?P<units>[^\s:：;；,，。()]{2,40}?)[ \t]*[:：][ \t]*(?P<duty>[^\n]{6,})")


def _sibling_groups(items: list[Item]) -> list[list[Item]]:
    """The items grouped by their parent (the top-level items one group), in document order."""
    groups: dict[int, list[Item]] = {}
    for it in items:
        groups.setdefault(id(it.parent), []).append(it)
    return list(groups.values())


def sibling_duty_drafts(doc: Doc, items: list[Item]) -> list[Draft]:
    """Unit-first duties written as numbered items, one unit per item: （一）市教育局：负责…
    （二）市科协：组织… . Two siblings or more, most of their group, each opened by units and
    a colon, make a duty list; each item is a measure of its units (joint)."""
    out: list[Draft] = []
    for siblings in _sibling_groups(items):
        found = []
        for it in siblings:
            if it.hits or it.fields or it.consumed or it.children:
                continue
            m = _ITEM_DUTY_RE.match(doc.norm, it.content, it.end)
            if m is None:
                continue
            units, generic = _unit_names(doc, m.start("units"), m.end("units"))
            if units and not generic:
                found.append((it, m, units))
        if len(found) < 2 or len(found) * 2 <= len(siblings):
            continue
        for it, m, units in found:
            end = doc.trim_end(it.start, it.end)
            ann = Annotation(units=[(n, "joint") for n in units])
            out.append(Draft(start=it.start, end=end, item=it, anns=[ann], raw=doc.text[m.start("units"):m.end("units")],
                             source="prose", path_item=it.parent, label=doc.text[it.start:it.content].strip(),
                             body_end=end, title_from=m.start("duty")))
    return out


def unit_heading_drafts(doc: Doc, items: list[Item]) -> list[Draft]:
    """Tasks grouped under headings that are unit names: 一、区教育局 / 1.开展… 2.推进…
    二、区科协 / 1.… . Two such sibling headings or more make the grouping; each item under
    one with no annotation of its own is a measure of that heading's units (joint)."""
    out: list[Draft] = []
    for siblings in _sibling_groups(items):
        owners = []
        for it in siblings:
            if not it.children or it.hits or it.fields:
                continue
            line_end = doc.lines[it.line][1]
            heading = doc.norm[it.content:line_end].rstrip().rstrip(":：")
            units, generic = _unit_names(doc, it.content, it.content + len(heading)) if heading.strip() else ([], [])
            if units and not generic:
                owners.append((it, units))
        if len(owners) < 2:
            continue
        for heading, units in owners:
            for child in heading.children:
                if child.hits or child.fields or child.consumed or child.children:
                    continue
                end = doc.trim_end(child.start, child.end)
                ann = Annotation(units=[(n, "joint") for n in units])
                out.append(Draft(start=child.start, end=end, item=child, anns=[ann],
                                 raw=doc.text[heading.content:doc.lines[heading.line][1]].strip(), source="prose",
                                 path_item=heading, label=doc.text[child.start:child.content].strip(), body_end=end,
                                 title_end=end))  # the task's first sentence, every clause of it
    return out


def _duty_units(doc: Doc, m: re.Match) -> list[str]:
    """The units opening a duty line: 市科协 alone, 市教育局、市科协 each a unit, or a collective
    whose parts are no units of their own (各县、区人民政府); none when a part is something else."""
    if "、" in m.group("unit"):
        units, generic = _unit_names(doc, m.start("unit"), m.end("unit"))
        if units and not generic and all(map(_duty_unit, units)):
            return units
    return [doc.text[m.start("unit"):m.end("unit")]] if _duty_unit(m.group("unit")) else []


def _duty_unit(name: str) -> bool:
    n = normalize(name)
    return looks_like_unit(n) and not is_generic(n) and not LABEL_RE.fullmatch(n + ":")
