"""Responsibility annotations: the text inside （…） or after 牵头单位： → units and roles.

All functions work on offsets into the document: ``norm`` is the normalised text
(:func:`textnorm.normalize`, same length) used for matching, ``orig`` the text as
written, from which names are sliced.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from kepugraph import lexicon
from kepugraph.extraction.naming import (
    FIRST_LEAD_RE,
    FORWARD_RE,
    name_of,
    plausible_unit,
    standalone_unit,
)
from kepugraph.extraction.quickre import prefiltered
from kepugraph.extraction.units import clean_name, is_generic, looks_like_unit, split_spans
from kepugraph.reading.textnorm import normalize
from kepugraph.reading.wrapping import unwrapped

_ALT = lexicon.alternation
#: The label vocabulary is open (all words from the lexicon): a level, up to two role words or
#: label verbs and a noun of units (省牵头单位, 协同责任单位, 牵头落实科室, 实施主体, 部门分工), a
#: role word alone that ends like a body (主办:, 协办:), a person label, or a deadline label;
#: two nouns may be joined (责任科室及单位).
_PERSON_LABEL = (_ALT(lexicon.PERSON_PREFIXES) + _ALT(lexicon.LEVELS) + "?领导|"
                 + _ALT(tuple(e for e in lexicon.PERSON_ENDS if e.endswith("人"))))
_OPEN_LABEL = (_ALT(lexicon.LEVELS) + "?" + _ALT(lexicon.GENERIC_WORDS) + "?"  # 有关单位:, 相关部门:
               + _ALT(tuple(lexicon.ROLE_WORDS) + lexicon.LABEL_VERBS) + "{0,2}"
               + _ALT(lexicon.LABEL_NOUNS) + "(?:[及和、/]" + _ALT(lexicon.LABEL_NOUNS) + r")?(?:\(单位\))?|" + _ALT(tuple(w for w in lexicon.CARRY + lexicon.SUPPORT
                                                                     if w.endswith("办"))) + "|" + _PERSON_LABEL)
LABEL_WORDS = _ALT(lexicon.DEADLINE_WORDS + ("完成时间", "时间节点")) + "|" + _OPEN_LABEL
#: A label and what parts it from its units: a colon, a dash (牵头单位——区科协), or 为 after
#: a noun of units (牵头单位为区科协); a role word alone before a colon is a label too
#: (（牵头：区科协；配合：区教育局）).
LABEL_RE = re.compile("(" + LABEL_WORDS + "|" + lexicon.ROLE_MARK + r")\s*(?::|——|—|--|"
                      # not a rule: 第一责任单位为牵头单位
                      "(?<=" + _ALT(lexicon.LABEL_NOUNS) + ")为(?!" + lexicon.ROLE_WORD + "|协|参|第|首|各|本))")
#: 牵头单位 区科协 — a label and a gap, opening a line of its own
GAP_LABEL_RE = re.compile(r"(" + LABEL_WORDS + r")[ \t]+(?=\S)")
_PERSON_END_RE = re.compile(_ALT(lexicon.PERSON_ENDS) + "$")
_LABEL_NOUN_RE = re.compile(_ALT(lexicon.LABEL_NOUNS))
_DEADLINE_LABEL_RE = re.compile(_ALT(lexicon.DEADLINE_WORDS + ("完成时间", "时间节点")))


@functools.lru_cache(maxsize=1 << 12)  # pure: a plan's few label words, asked at every field
def label_role(label: str) -> str:
    """The role a label gives the units after it: lead, support, joint — or deadline and
    person for fields that name no unit.

    >>> [label_role(x) for x in ("牵头落实科室", "协同单位", "实施主体", "省牵头单位", "责任领导", "主办")]
    ['lead', 'support', 'joint', 'lead', 'person', 'joint']
    >>> [label_role(x) for x in ("协同责任单位", "承办单位", "完成时限", "牵头领导单位")]
    ['support', 'joint', 'deadline', 'lead']
    """
    label = "".join(label.split())
    if _PERSON_END_RE.search(label):
        return "person"
    if _DEADLINE_LABEL_RE.search(label) and not _LABEL_NOUN_RE.search(label):
        return "deadline"
    role = lexicon.role_of_words(label)
    return role if role in ("lead", "support") else "joint"
#: 【牵头单位】区科协 — the label in brackets (normalised to round ones), no colon.
BRACKET_LABEL_RE = re.compile(r"\((" + _OPEN_LABEL + r")\)\s*:?\s*")
_INNER_BRACKET_LABEL_RE = re.compile(r"\((" + _OPEN_LABEL + r")\)\s*:?\s*(?=[^\s、,，;；。()])")
#: Labels of field lines that carry no unit but belong to a measure's run-in fields.
_FIELDS = "(" + _ALT(lexicon.DEADLINE_WORDS + lexicon.OTHER_FIELDS + ("完成时间", "时间节点")) + "|" + _PERSON_LABEL + ")"
OTHER_FIELDS_RE = re.compile(r"^\s*" + _FIELDS + r"\s*:")
#: The same labels wherever they stand: where a line that lost its break would open
FIELD_LABEL_RE = re.compile(_FIELDS + r"\s*:")
DEADLINE_FIELD_RE = re.compile(r"^\s*(完成时限|完成时间|时间节点|时限)\s*:\s*(.*)$")

_VERB_RE = re.compile(
    "(?:分别|共同|联合)?(" + _ALT(lexicon.CLAUSE_VERBS) + "|"
    r"(?:按照?|依照?|根据)?(?:职责|职能)?(?:分工)?(?:分别|共同|具体)?" + _ALT((lexicon.CARRY_VERB,)) + "|"
    r"(?:按照?|依照?|根据)?(?:职责|职能)?(?:分工)?落实)(落实|实施|推进|组织实施|抓好落实|完成)?$"
)
_VERB_ROLE = lexicon.CLAUSE_VERBS
#: 市发展改革委（牵头）、市财政局: a role marked on the name itself
_NAME_ROLE_RE = re.compile(r"\((" + lexicon.ROLE_MARK + _ALT(lexicon.LABEL_NOUNS + (lexicon.CARRY_VERB,)) + r"?)\)\s*$")
_TIME_RE = re.compile(r"(年内|持续推进|长期坚持|长期推进|(19|20)\d{2}年|年底前|月底前|季度|前$)")
_CARRY_RE = re.compile(r"(均需|均涉及|均由|都需|均要|均须|需要)(.+?)" + _ALT(lexicon.RULE_ENDINGS, capture=True) + "?$")
_CLAUSE_SEPS = ",;。，；"
_CLAUSE_STEP, _SENTENCE_STEP = re.compile(f"[(){_CLAUSE_SEPS}]"), re.compile("[()。;；]")
#: 工作分工：市科协牵头，市教育局配合 — a labelled list that says its roles itself
_OWN_ROLES_RE = re.compile(_ALT(lexicon.LEAD + lexicon.SUPPORT + (lexicon.CARRY_VERB,)) + "[,，;；]")
_ETC_AND_RE = re.compile(r"等(?:有关|相关)?(?:部门|单位)?(和|及)(?=各|[\u4e00-\u9fff]{2,})")
_LEVEL_RE = re.compile(r"(省|市|区|县|州|镇|乡|街道|省级|市级|区级|县级|各级)")
#: A bracket group holding one of these is read as an annotation even when it is no bare list
ROLE_WORDS_RE = re.compile("(" + _ALT(tuple(w for w in lexicon.ROLE_WORDS if w != "责任") + ("责任单位",))
                           + "|分工|单位:)")
# the same matches, tried only where one can open (see quickre): these run over whole texts
LABEL_RE, FIELD_LABEL_RE, ROLE_WORDS_RE, _VERB_RE, _TIME_RE = map(
    prefiltered, (LABEL_RE, FIELD_LABEL_RE, ROLE_WORDS_RE, _VERB_RE, _TIME_RE))


@dataclass
class Annotation:
    """What one annotation says."""

    units: list[tuple[str, str]] = field(default_factory=list)  # (name as written, role)
    generic: list[str] = field(default_factory=list)
    first_is_lead: bool = False  # declares "the first listed unit leads" from here on
    carry: list[tuple[str, str]] = field(default_factory=list)  # units added to later measures
    carry_generic: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    labelled: bool = False
    deadline: str | None = None

    def __bool__(self) -> bool:
        return bool(self.units or self.generic)


def parse_annotation(orig: str, norm: str, start: int, end: int, *, strict: bool = False) -> Annotation:
    """Read the annotation held in ``orig[start:end]`` (brackets already removed).

    Words a page width broke across lines are joined first (see
    :func:`~kepugraph.reading.wrapping.unwrapped`).

    Args:
        orig, norm: the document as written and normalised.
        start, end: the annotation's content.
        strict: a bare list (no role word, no label) counts only if every name ends
            like a unit; used for bracket groups that may be ordinary asides.

    Returns:
        An :class:`Annotation`, false when nothing in it names a unit.

    >>> t = "区科协牵头，区教育局、区文化和旅游局配合"
    >>> from kepugraph.reading.textnorm import normalize
    >>> parse_annotation(t, normalize(t), 0, len(t)).units
    [('区科协', 'lead'), ('区教育局', 'support'), ('区文化和旅游局', 'support')]
    """
    joined = unwrapped(orig, norm, start, end)
    if joined is not None:
        orig, norm = joined
        start, end = 0, len(orig)
    ann = Annotation()
    labels = list(LABEL_RE.finditer(norm, start, end))
    # 【牵头单位】A【配合单位】B: labels in brackets, each followed by its names (A(牵头单位)、B is a
    # role after a name instead: a separator or the end follows it)
    brackets = [m for m in _INNER_BRACKET_LABEL_RE.finditer(norm, start, end)
                if not any(m.start() < x.end() and x.start() < m.end() for x in labels)]
    if brackets:
        labels = sorted(labels + brackets, key=lambda m: m.start())
    ann.labelled = bool(labels)
    raw: list[tuple[int, int, str, bool]] = []  # name pieces: span, role, from a label
    for r_start, r_end, field_role in _regions(norm, start, end, labels):
        if field_role == "deadline":
            ann.deadline = clean_name(orig[r_start:r_end]).strip(",，;；。 ") or None
        elif field_role != "person":
            raw += _pieces(orig, norm, r_start, r_end, field_role, ann)
    bare = not labels and all(role == "joint" and not lab for _, _, role, lab in raw) and not _VERB_RE.search(
        norm[start:end].rstrip(_CLAUSE_SEPS + " \n")
    )
    has_lead = _read_names(orig, norm, raw, ann, abort_on_aside=bare and strict)
    if has_lead is None:
        return Annotation()
    seen = {name for name, _ in ann.units}
    if not has_lead:  # carried units share the role of the declaring annotation's list
        ann.carry = [(name, "joint") for name, _ in ann.carry]
    for name, role in ann.carry:  # the declaring annotation involves them too
        if name not in seen:
            seen.add(name)
            ann.units.append((name, role))
    return ann


def _read_names(orig: str, norm: str, raw: list[tuple[int, int, str, bool]], ann: Annotation,
                abort_on_aside: bool) -> bool | None:
    """Add the units of the name pieces to ``ann``; whether a lead is named. None when a
    bare list holds a name that is no whole unit (an aside such as （管委会）)."""
    # 市发展改革委（牵头）、市财政局: a role marked on the name itself
    marked: dict[tuple[int, int], str] = {}
    spans = [split_spans(norm, p_start, p_end) for p_start, p_end, _, _ in raw]  # read twice below
    for piece in spans:
        for a, b in piece:
            m = _NAME_ROLE_RE.search(norm, a, b)
            if m and m.end() == b:
                marked[(a, m.start())] = {"lead": "lead", "support": "support"}.get(lexicon.role_of_words(m.group(1)), "joint")
    has_lead = any(role == "lead" for _, _, role, _ in raw) or "lead" in marked.values()
    # X落实，Y配合 (no 牵头): the unit that carries the task out beside its helpers leads
    carries_lead = not has_lead and any(role == "support" for _, _, role, _ in raw)
    for (_, _, role_of_piece, _), piece in zip(raw, spans):
        if role_of_piece == "joint" and has_lead:
            role_of_piece = "support"  # 责任单位 / 负责落实 beside a named lead
        elif role_of_piece == "joint" and carries_lead:
            role_of_piece = "lead"
        for a, b in _split_etc_and(norm, piece):
            role = role_of_piece
            m = _NAME_ROLE_RE.search(norm, a, b)
            if m and m.end() == b:
                role, b = marked[(a, m.start())], m.start()
            name = read_name(orig, a, b, ann)
            if name is None:
                continue
            if abort_on_aside and not standalone_unit(name):
                return None
            if not plausible_unit(name):
                if _TIME_RE.search(normalize(name)) and ann.deadline is None:
                    ann.deadline = name  # (国务院各部门分别负责，年内持续推进): a time, not a unit
                else:
                    ann.problems.append(f"not a unit name: {name[:30]}")
            elif all(name != n for n, _ in ann.units):
                ann.units.append((name, role))
    return has_lead


def _split_etc_and(norm: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """财政厅等部门和各市人民政府: a list's vague tail joined to one more name by 和/及."""
    out = []
    for a, b in spans:
        m = _ETC_AND_RE.search(norm, a, b)
        out += [(a, m.start(1)), (m.end(1), b)] if m else [(a, b)]
    return out


def _glued_to_label(before: str) -> bool:
    """专责单位: a word glued to a label's noun that names no unit is part of the label."""
    return 0 < len(before) <= 4 and before == before.strip() and re.fullmatch(r"[\u4e00-\u9fff]+", before) is not None \
        and not looks_like_unit(before)


def _regions(norm: str, start: int, end: int, labels: list) -> list[tuple[int, int, str | None]]:
    """The stretches of an annotation and the role their label gives (None: no label)."""
    if not labels:
        return [(start, end, None)]
    regions: list[tuple[int, int, str | None]] = []
    # 省牵头单位: a level glued to the label is part of it, not a name before it
    if labels[0].start() > start and not _LEVEL_RE.fullmatch(norm[start:labels[0].start()].strip()) \
            and not _glued_to_label(norm[start:labels[0].start()]):
        regions.append((start, labels[0].start(), None))
    for i, m in enumerate(labels):
        stop = labels[i + 1].start() if i + 1 < len(labels) else end
        regions.append((m.end(), stop, label_role(m.group(1))))
    return regions


def _pieces(orig: str, norm: str, r_start: int, r_end: int, field_role: str | None,
            ann: Annotation) -> list[tuple[int, int, str, bool]]:
    """The name lists of one stretch with their roles, read clause by clause: a role verb
    closes the names before it (区科协牵头，区教育局配合); a rule is read, never kept."""
    raw: list[tuple[int, int, str, bool]] = []
    pending: list[tuple[int, int]] = []
    # 工作分工：市科协牵头，市教育局配合 — a labelled list with its own role words splits at commas
    own_roles = bool(_OWN_ROLES_RE.search(norm[r_start:r_end]))
    read_to = r_start  # a rule read to its sentence's end takes the clauses it spans
    for c_start, c_end in _clauses(norm, r_start, r_end, split_commas=field_role is None or own_roles):
        if c_start < read_to:
            continue
        clause = _top_level(norm[c_start:c_end])  # a rule in an aside is read with its name
        if FIRST_LEAD_RE.search(clause):
            ann.first_is_lead = True
            continue
        if FORWARD_RE.search(clause) or _CARRY_RE.search(clause) and _has_forward(norm, c_start, r_end):
            # 均需各县区人民政府，园区管委会落实: the list of a rule may hold commas
            stop = re.compile(r"[。;；]").search(norm, c_start, r_end)
            read_to = stop.start() if stop else r_end
            _read_carry(orig, norm, c_start, max(c_end, read_to), ann)
            continue
        verb = _VERB_RE.search(clause.rstrip())
        names_end = c_start + verb.start() if verb else c_end
        if verb and names_end == c_start:
            continue
        if verb:
            role = _VERB_ROLE.get(verb.group(1), "joint")
            with_at = clause.find("会同", 0, names_end - c_start)
            if with_at > 0:  # 市科协会同市教育局、市财政局负责: the first leads, the others support
                raw += [(c_start, c_start + with_at, "lead", False), (c_start + with_at + 2, names_end, "support", False)]
                role = "lead"
            raw += [(p[0], p[1], role, False) for p in pending + ([] if with_at > 0 else [(c_start, names_end)])]
            pending = []
        elif field_role is not None:
            raw.append((c_start, c_end, field_role, True))
        else:
            pending.append((c_start, c_end))
    raw += [(p[0], p[1], field_role or "joint", field_role is not None) for p in pending]
    return raw


def read_name(orig: str, a: int, b: int, ann: Annotation) -> str | None:
    """The name written at ``orig[a:b]``, cleaned; None when it is a vague reference (kept
    in ``ann.generic``) or nothing. A rule in an aside is read into ``ann`` and dropped."""
    name, first_is_lead, generic = name_of(orig[a:b])
    if first_is_lead:
        ann.first_is_lead = True
    for value in generic:
        _add_unique(ann.generic, value)
    return name




def _top_level(text: str) -> str:
    """``text`` with what stands inside brackets blanked out (same length)."""
    if "(" not in text:  # most clauses: nothing to blank
        return text
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(ch if depth == 0 else " ")
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


def _has_forward(norm: str, start: int, end: int) -> bool:
    return bool(FORWARD_RE.search(norm, start, end))


def _read_carry(orig: str, norm: str, start: int, end: int, ann: Annotation) -> None:
    """以下各项工作均需各县、区人民政府落实 → units that every later measure involves."""
    # …落实,不再单独列出: the rule ends the list (以下各项 opening it is not the end)
    stop = next((m for m in FORWARD_RE.finditer(norm, start, end) if m.start() > start), None)
    if stop:
        end = stop.start()
        while end > start and norm[end - 1] in _CLAUSE_SEPS + " ":
            end -= 1
    m = _CARRY_RE.search(norm, start, end)
    if not m:
        return
    role = "generic" if m.group(3) is None and "涉及" in m.group(1) else "support"
    a, b = m.span(2)
    for s, e in split_spans(norm, a, b):
        name = clean_name(orig[s:e])
        if not name:
            continue
        if is_generic(name) or role == "generic":
            _add_unique(ann.carry_generic, name)
            _add_unique(ann.generic, name)
        else:
            ann.carry.append((name, "support"))


def _clauses(norm: str, start: int, end: int, split_commas: bool) -> list[tuple[int, int]]:
    """Split at top-level clause separators (outside brackets); 。 and ; always."""
    seps = _CLAUSE_SEPS if split_commas else "。;；"
    out, depth, s = [], 0, start
    for m in (_CLAUSE_STEP if split_commas else _SENTENCE_STEP).finditer(norm, start, end):  # brackets, separators
        i, ch = m.start(), m.group()
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif depth == 0 and ch in seps:
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    result = []
    for a, b in out:
        while a < b and norm[a] in " \n\t":
            a += 1
        while b > a and norm[b - 1] in " \n\t":
            b -= 1
        if b > a:
            result.append((a, b))
    if not split_commas:
        # inside a labelled field, a declaration may follow after a comma: cut it off
        refined = []
        for a, b in result:
            cut = [m.start() for m in re.finditer(",|，", _top_level(norm[a:b]))]
            last = a
            pieces = []
            for c in cut:
                tail = norm[a + c + 1:b]
                if FIRST_LEAD_RE.search(tail) or FORWARD_RE.search(tail):
                    pieces.append((last, a + c))
                    last = a + c + 1
            pieces.append((last, b))
            refined.extend(p for p in pieces if p[1] > p[0])
        result = refined
    return result


def _add_unique(items: list[str], value: str) -> None:
    if value and value not in items:
        items.append(value)
