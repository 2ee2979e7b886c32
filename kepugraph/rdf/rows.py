"""The responsibilities read back: a :class:`MeasureRow` per measure, from a graph, a store
or a corpus plan's digest. Every analysis reads these rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from operator import itemgetter

from rdflib import Graph

from kepugraph.model import Plan
from kepugraph.names import canonical
from kepugraph.rdf.iris import measure_iri, plan_iri
from kepugraph.reading.textnorm import compact


@dataclass
class MeasureRow:
    """A measure as read from a graph: enough for workload, pairs and task lists."""

    iri: str
    id: str
    ordinal: int
    title: str
    path: list[str]
    units: list[tuple[str, str]] = field(default_factory=list)  # (unit, role) by position
    plan: str = ""
    extraction: str = "annotation"
    deadline: str | None = None
    targets: list[str] = field(default_factory=list)  # target texts, in order
    text: str = ""  # what the measure asks for: its whole text without the unit annotation
    generic: list[str] = field(default_factory=list)  # vague references beside the units (有关部门)


def requirement(text: str, annotation: str) -> str:
    """A measure's text as a bureau must act on it: the closing unit annotation and the
    leading dash of a 破折号 item taken off.

    >>> requirement("——开展科普活动。组织科技周。（区科协负责）", "（区科协负责）")
    '开展科普活动。组织科技周。'
    """
    at = text.rfind(annotation) if annotation else -1
    if at > 0:
        text = text[:at] + text[at + len(annotation):]
    return text.strip().lstrip("—-－ \u3000").strip()


PREFIXES = """
PREFIX kp: <https://w3id.org/kepugraph#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_MEASURES_QUERY = PREFIXES + """
SELECT ?m ?id ?ord ?title ?plan ?ex ?dl ?sec ?ann ?text WHERE {
  ?m a kp:Measure ; dcterms:identifier ?id ; kp:ordinal ?ord ; dcterms:title ?title ;
     kp:inPlan ?plan ; kp:annotation ?ann .
  OPTIONAL { ?m kp:extraction ?ex }
  OPTIONAL { ?m kp:deadline ?dl }
  OPTIONAL { ?m kp:section ?sec }
  OPTIONAL { ?m kp:text ?text }
}
"""
# the role properties, in both the full and the corpus profile (a joint unit is a lead too)
_MENTIONS_QUERY = PREFIXES + """
SELECT ?m ?role ?u ?label WHERE {
  VALUES (?prop ?role) { (kp:leadUnit "lead") (kp:supportUnit "support") (kp:jointUnit "joint") }
  ?m ?prop ?u .
  ?u skos:prefLabel ?label .
}
"""
# the full profile also keeps each unit's position in its annotation
_POSITIONS_QUERY = PREFIXES + """
SELECT ?m ?u ?pos WHERE { ?m kp:assignment ?a . ?a kp:unit ?u ; kp:position ?pos }
"""
_SECTIONS_QUERY = PREFIXES + """
SELECT ?s ?heading ?parent WHERE { ?s a kp:Section ; kp:heading ?heading ; dcterms:isPartOf ?parent }
"""
_GENERIC_QUERY = PREFIXES + """
SELECT ?m ?ref WHERE { ?m a kp:Measure ; kp:genericRef ?ref }
"""
_TARGETS_QUERY = PREFIXES + """
SELECT ?m ?text ?start WHERE { ?m a kp:Measure ; kp:target ?t . ?t kp:text ?text ; kp:spanStart ?start }
"""


def plan_rows(plan: Plan, aliases: dict[str, str] | None = None) -> list[MeasureRow]:
    """The rows :func:`measure_rows` reads back from the plan's graph, made from the plan."""
    aliases = aliases or {}
    p = plan_iri(plan)
    headings = {s.id: (s.heading, s.parent) for s in plan.sections}
    rows = []
    for m in plan.measures:
        path, section, seen = [], m.section, set()
        while section in headings and section not in seen:
            seen.add(section)
            path.append(headings[section][0])
            section = headings[section][1]
        units = sorted(m.units, key=lambda u: u.position)
        rows.append(MeasureRow(
            iri=str(measure_iri(p, m.ordinal)), id=m.id, ordinal=m.ordinal, title=m.title, path=path[::-1],
            units=list(dict.fromkeys((canonical(u.name, aliases), u.role) for u in units)), plan=str(p),
            extraction=m.source, deadline=m.deadline, targets=[t.text for t in sorted(m.targets, key=lambda t: t.span[0])],
            text=requirement(m.text, m.annotation), generic=list(m.generic_refs)))
    return rows


def rows_digest(rows: list[MeasureRow]) -> str:
    """One plan's measure rows as compact JSON (the ``kp:digest`` of a corpus plan)."""
    return json.dumps([[r.ordinal, r.id, r.title, r.path, [[n, role] for n, role in r.units], r.extraction,
                        r.deadline, r.targets, r.text, r.generic] for r in rows], ensure_ascii=False, separators=(",", ":"))


def rows_brief(rows: list[MeasureRow]) -> str:
    """One plan's measures as a task list shows them, without their texts: a compact JSON line
    per measure (ordinal, id, title, heading path, units with roles), in document order (the
    ``kp:brief`` of a corpus plan). A reader after one unit decodes only the lines naming it."""
    return "\n".join(json.dumps([r.ordinal, r.id, r.title, r.path, [[n, role] for n, role in r.units]],
                                ensure_ascii=False, separators=(",", ":")) for r in rows)


_first = itemgetter(0)


def brief_rows(plan: str, brief: str, unit: str) -> list[MeasureRow]:
    """The measures of :func:`rows_brief` naming ``unit``, for the plan of IRI ``plan``: rows
    without texts, targets, deadline or generic references (``text`` is empty). Only the lines
    holding the unit's name as JSON writes it are decoded, in one go."""
    needle = json.dumps(unit, ensure_ascii=False)
    lines = [line for line in brief.split("\n") if needle in line]
    if not lines:
        return []
    return [MeasureRow(iri=f"{plan}/measure/{o}", id=i, ordinal=o, title=t, path=path,
                       units=list(map(tuple, units)), plan=plan)
            for o, i, t, path, units in json.loads("[" + ",".join(lines) + "]")
            if unit in map(_first, units)]


def digest_rows(plan: str, digest: str, unit: str | None = None) -> list[MeasureRow]:
    """The rows of :func:`rows_digest` back, for the plan of IRI ``plan`` (with ``unit``: only
    the measures naming that unit, the others never made into rows)."""
    # a digest written before the text was kept has eight fields: the title stands in
    return [MeasureRow(iri=f"{plan}/measure/{o}", id=i, ordinal=o, title=t, path=path,
                       units=list(map(tuple, units)), plan=plan, extraction=ex, deadline=dl, targets=tg,
                       text=(rest or [t])[0], generic=(rest[1:] or [[]])[0])
            for o, i, t, path, units, ex, dl, tg, *rest in json.loads(digest)
            if unit is None or unit in map(_first, units)]


def rdflib_select(g: Graph):
    """A select function over an rdflib graph: query text → rows of {var: str}."""
    def select(query: str) -> list[dict[str, str]]:
        res = g.query(query)
        names = [str(v) for v in res.vars]
        return [{n: str(v) for n, v in zip(names, row) if v is not None} for row in res]
    return select


def measure_rows(g: Graph | None = None, select=None) -> list[MeasureRow]:
    """Every measure with its units in annotation order, from a graph or any store.

    Args:
        g: an rdflib graph; or
        select: a function running a SELECT query and returning rows of {var: str}
            (see :func:`kepugraph.sparql.OxigraphStore.select`).
    """
    select = select or rdflib_select(g)
    headings: dict[str, tuple[str, str]] = {r["s"]: (r["heading"], r["parent"]) for r in select(_SECTIONS_QUERY)}

    def path_of(section: str | None) -> list[str]:
        out, seen = [], set()
        while section in headings and section not in seen:
            seen.add(section)
            out.append(headings[section][0])
            section = headings[section][1]
        return out[::-1]

    rows: dict[str, MeasureRow] = {}
    notes: dict[str, str] = {}
    for r in select(_MEASURES_QUERY):
        key = r["m"]
        rows[key] = MeasureRow(iri=key, id=r["id"], ordinal=int(r["ord"]), title=r["title"],
                               path=path_of(r.get("sec")), plan=r["plan"],
                               extraction=r.get("ex", "annotation"), deadline=r.get("dl"),
                               text=requirement(r.get("text", r["title"]), r["ann"]))
        notes[key] = r["ann"]
    # (measure, unit) → role: kp:jointUnit says more than the kp:leadUnit it implies
    roles: dict[tuple[str, str], dict[str, str]] = {}
    for r in select(_MENTIONS_QUERY):
        if r["m"] in rows:
            seen = roles.setdefault((r["m"], r["u"]), r)
            if r["role"] == "joint":
                seen["role"] = "joint"
    mentions = list(roles.values())
    positions: dict[tuple[str, str], int] = {}
    if any(True for _ in select(PREFIXES + "SELECT ?a WHERE { ?a a kp:Assignment } LIMIT 1")):
        positions = {(r["m"], r["u"]): int(r["pos"]) for r in select(_POSITIONS_QUERY)}
    units: dict[str, list[tuple[int, str, str]]] = {key: [] for key in rows}
    compact_notes: dict[str, str] = {}
    for r in mentions:
        key = r["m"]
        pos = positions.get((key, r["u"]))
        if pos is None:  # the corpus profile: the order in which the annotation names them
            note = compact_notes.get(key)
            if note is None:
                note = compact_notes[key] = compact(notes[key])
            found = note.find(compact(r["label"]))
            pos = found if found >= 0 else len(note)
        units[key].append((pos, r["label"], r["role"]))
    for key, row in rows.items():
        row.units = [(name, role) for _, name, role in sorted(units[key])]
    for r in sorted(select(_GENERIC_QUERY), key=lambda r: (r["m"], r["ref"])):
        _append(rows, r["m"], "generic", r["ref"])
    for r in sorted(select(_TARGETS_QUERY), key=lambda r: (r["m"], int(r["start"]))):
        _append(rows, r["m"], "targets", r["text"])
    return sorted(rows.values(), key=lambda r: (r.plan, r.ordinal))


def _append(rows: dict[str, MeasureRow], key: str, field_name: str, value: str) -> None:
    if key in rows:
        getattr(rows[key], field_name).append(value)
