"""Plan ⇄ rdflib Graph: minting stable IRIs, writing Turtle atomically, reading it back.

IRIs are made from the plan's 文号 (or its title) and ordinals, never from counters
or blank nodes, so building the same plan twice gives the same graph.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import NamedTuple
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import GraphError, OutputError
from .model import ROLE_LABELS, Plan
from .namespace import ID, KP, ORG, T
from .textnorm import compact
from .units import KINDS, canonical, level_and_stem, unit_kind

ROLE_TERMS = {"lead": KP.lead, "support": KP.support, "joint": KP.joint}
TERM_ROLES = {v: k for k, v in ROLE_TERMS.items()}


def slug(text: str, limit: int = 60) -> str:
    """An IRI-safe, readable piece: CJK and ASCII letters and digits kept, the rest '-'.

    >>> slug("泰山政办字〔2022〕7号"), slug("各县(市、区)人民政府")
    ('泰山政办字-2022-7号', '各县-市-区-人民政府')
    """
    s = re.sub(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff_]+", "-", text).strip("-")
    return s[:limit].strip("-") or "x"


def plan_iri(plan: Plan) -> URIRef:
    key = plan.meta.doc_number or plan.meta.title or (plan.sha256[:12] if plan.sha256 else "plan")
    return ID[slug(key)]


def body_iri(stem: str) -> URIRef:
    """The body type a unit shares with its counterparts at other levels (科协 for 区科协)."""
    return ID[f"body/{slug(stem, 80)}"]


def measure_iri(plan_ref: URIRef, ordinal: int) -> URIRef:
    return URIRef(f"{plan_ref}/measure/{ordinal}")


def unit_iri(plan_ref: URIRef, name: str) -> URIRef:
    return URIRef(f"{plan_ref}/unit/{slug(name, 80)}")


class _Triples(list):
    """Collects triples like a Graph's ``add``, without a store's indexing cost."""

    def add(self, triple) -> None:
        self.append(triple)


class Lit(NamedTuple):
    """A literal before it becomes an rdflib ``Literal`` or N-Triples text (cheaper than either)."""

    value: object
    lang: str | None = None
    datatype: str | None = None


def _zh(text: str) -> Lit:
    return Lit(text, "zh")


def _rdflib(term):
    return Literal(term.value, lang=term.lang, datatype=term.datatype) if type(term) is Lit else term


def plan_to_graph(plan: Plan, aliases: dict[str, str] | None = None) -> Graph:
    """The RDF graph of one plan, in the terms of ``ontology.ttl``.

    Args:
        aliases: name → canonical name (see :func:`kepugraph.units.read_aliases`); a
            unit is filed under its canonical name, other spellings become
            ``skos:altLabel``.
    """
    g = Graph()
    g.bind("kp", KP._NS)
    g.bind("org", ORG)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    g.addN((s, p, _rdflib(o), g) for s, p, o in plan_triples(plan, aliases))
    return g


def plan_ntriples(plan: Plan, aliases: dict[str, str] | None = None, lean: bool = False,
                  graph: str | None = None) -> bytes:
    """The plan's triples as N-Triples, without building a graph (for bulk loading).

    Args:
        lean: the corpus profile (see :func:`plan_triples`).
        graph: write N-Quads in this named graph instead.
    """
    return ntriples(plan_triples(plan, aliases, lean), graph).encode("utf-8")


_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_INTEGER = str(XSD.integer)


def _nt(term) -> str:
    """N-Triples form of an object; subjects and predicates are minted IRIs, safe as they are."""
    if type(term) is Lit:
        value, lang, datatype = term
        if type(value) is int:
            return f'"{value}"^^<{_XSD_INTEGER}>'
    elif isinstance(term, Literal):
        value, lang, datatype = term, term.language, term.datatype
    else:
        return f"<{term}>"
    value = str(value)
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.translate(_NT_ESCAPE)
    if lang:
        return f'"{value}"@{lang}'
    if datatype:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def plan_triples(plan: Plan, aliases: dict[str, str] | None = None, lean: bool = False) -> list[tuple]:
    """Every triple of the plan's graph (see :func:`plan_to_graph`); objects that are
    literals come as :class:`Lit`.

    Args:
        lean: the corpus profile, under half the triples: no ``kp:Assignment``
            nodes (a measure's units are read in the order of its ``kp:annotation``),
            no character spans but the sections', no line numbers, measure markers or
            provenance copies. Every triple the named queries and the measure rows read
            is kept.
    """
    aliases = aliases or {}
    g = _Triples()
    full = not lean
    p = plan_iri(plan)
    meta = plan.meta
    g.add((p, RDF.type, T.Plan))
    g.add((p, DCTERMS.title, _zh(meta.title)))
    if meta.doc_number:
        g.add((p, T.docNumber, Lit(meta.doc_number)))
    if meta.issuer:
        g.add((p, T.issuerName, _zh(meta.issuer)))
    if meta.date:
        g.add((p, DCTERMS.issued, Lit(meta.date, datatype=XSD.date)))
    for r in meta.recipients:
        g.add((p, T.recipient, _zh(r)))
    if meta.period:
        g.add((p, T.period, Lit(meta.period)))
        start, end = meta.period.split("-")
        g.add((p, T.periodStart, Lit(start, datatype=XSD.gYear)))
        g.add((p, T.periodEnd, Lit(end, datatype=XSD.gYear)))
    for title in meta.cites:
        doc = ID[f"doc/{slug(title, 80)}"]
        g.add((doc, RDF.type, T.Document))
        g.add((doc, DCTERMS.title, _zh(title)))
        g.add((p, T.implements, doc))
        g.add((p, DCTERMS.references, doc))
    if plan.path:
        g.add((p, T.sourceFile, Lit(Path(plan.path).name)))
    if plan.sha256:
        g.add((p, T.sourceHash, Lit(plan.sha256)))
    if lean:  # whole-corpus analyses read this instead of decoding every unit mention
        g.add((p, T.digest, Lit(rows_digest(plan_rows(plan, aliases)))))

    sections = {}
    for s in plan.sections:
        si = URIRef(f"{p}/section/{s.id[1:]}")
        sections[s.id] = si
        g.add((si, RDF.type, T.Section))
        g.add((si, T.inPlan, p))
        g.add((si, T.marker, Lit(s.label)))
        g.add((si, DCTERMS.title, _zh(s.title)))
        g.add((si, T.heading, _zh(s.heading)))
        g.add((si, T.level, Lit(s.level)))
        g.add((si, T.ordinal, Lit(s.ordinal)))
        g.add((si, T.spanStart, Lit(s.span[0])))  # document order, read by the sections query
        g.add((si, T.spanEnd, Lit(s.span[1])))
    for s in plan.sections:
        g.add((sections[s.id], DCTERMS.isPartOf, sections[s.parent] if s.parent else p))

    if full:  # a corpus keeps these once, in its vocabulary graph (see vocabulary_triples)
        _add_controlled_lists(g, plan, aliases)
    units_done: set[URIRef] = set()
    for m in plan.measures:
        mi = measure_iri(p, m.ordinal)
        g.add((mi, RDF.type, T.Measure))
        g.add((mi, T.inPlan, p))
        g.add((mi, DCTERMS.identifier, Lit(m.id)))
        g.add((mi, T.ordinal, Lit(m.ordinal)))
        g.add((mi, DCTERMS.title, _zh(m.title)))
        g.add((mi, T.text, _zh(m.text)))
        g.add((mi, T.annotation, _zh(m.annotation)))
        if full or m.source != "annotation":
            g.add((mi, T.extraction, Lit(m.source)))
        if full:
            if m.label:
                g.add((mi, T.marker, Lit(m.label)))
            g.add((mi, T.spanStart, Lit(m.span[0])))
            g.add((mi, T.spanEnd, Lit(m.span[1])))
            g.add((mi, T.line, Lit(m.line)))
            g.add((mi, PROV.wasDerivedFrom, p))
        if m.section:
            g.add((mi, T.section, sections[m.section]))
            if full:
                g.add((mi, DCTERMS.isPartOf, sections[m.section]))
        if m.deadline:
            g.add((mi, T.deadline, _zh(m.deadline)))
        for ref in m.generic_refs:
            g.add((mi, T.genericRef, _zh(ref)))
        for u in m.units:
            name = canonical(u.name, aliases)
            ui = unit_iri(p, name)
            if ui not in units_done:
                units_done.add(ui)
                _add_unit(g, ui, name, p, full)
            if name != u.name:
                g.add((ui, SKOS.altLabel, _zh(u.name)))
            g.add((mi, T.responsibleUnit, ui))
            if u.role == "support":
                g.add((mi, T.supportUnit, ui))
            else:
                # 按职责分工负责: every listed unit answers for the whole measure, a lead
                # (kp:jointUnit is a sub-property of kp:leadUnit)
                g.add((mi, T.leadUnit, ui))
                if u.role == "joint":
                    g.add((mi, T.jointUnit, ui))
            if full:
                ai = URIRef(f"{mi}/assignment/{u.position}")
                g.add((mi, T.assignment, ai))
                g.add((ai, RDF.type, T.Assignment))
                g.add((ai, T.measure, mi))
                g.add((ai, T.unit, ui))
                g.add((ai, T.role, ROLE_TERMS[u.role]))
                g.add((ai, T.position, Lit(u.position)))
                g.add((ai, T.nameAsWritten, _zh(u.name)))
        for k, t in enumerate(m.targets, 1):
            _add_target(g, URIRef(f"{mi}/target/{k}"), t, mi, full)
    for k, t in enumerate(plan.targets, 1):
        _add_target(g, URIRef(f"{p}/target/{k}"), t, p, full)
    return g


ROLE_NAMES_EN = {"lead": "lead", "support": "support", "joint": "jointly responsible"}
KIND_NAMES_EN = {"party": "party committee body", "government": "government department",
                 "mass": "mass organisation", "institution": "public institution",
                 "branch": "higher-level branch", "collective": "collective", "enterprise": "enterprise",
                 "other": "other"}


def _add_controlled_lists(g, plan: Plan, aliases: dict[str, str]) -> None:
    """Labels of the roles and unit kinds the plan uses, so queries need no ontology."""
    _add_labels(g, sorted({u.role for m in plan.measures for u in m.units}),
                sorted({unit_kind(canonical(n, aliases)) for n in plan.units()}))


def _add_labels(g, roles, kinds) -> None:
    for role in roles:
        g.add((ROLE_TERMS[role], RDF.type, T.Role))
        g.add((ROLE_TERMS[role], RDFS.label, _zh(ROLE_LABELS[role])))
        g.add((ROLE_TERMS[role], RDFS.label, Lit(ROLE_NAMES_EN[role], "en")))
    for kind in kinds:
        g.add((getattr(T, kind), RDF.type, T.UnitKind))
        g.add((getattr(T, kind), RDFS.label, _zh(KINDS[kind])))
        g.add((getattr(T, kind), RDFS.label, Lit(KIND_NAMES_EN[kind], "en")))


def vocabulary_triples(stems) -> list[tuple]:
    """What plans of a corpus share, kept once: the labels of every role and unit kind,
    and the body types of the given unit stems."""
    g = _Triples()
    _add_labels(g, ROLE_TERMS, KINDS)
    for stem in sorted(set(stems)):
        body = body_iri(stem)
        g.add((body, RDF.type, T.BodyType))
        g.add((body, SKOS.prefLabel, _zh(stem)))
    return g


def ntriples(triples, graph: str | None = None) -> str:
    """Triples (objects as :class:`Lit` or terms) as N-Triples text, or N-Quads in ``graph``."""
    end = f" <{graph}> .\n" if graph else " .\n"
    return "".join(f"<{s}> <{p}> {_nt(o)}{end}" for s, p, o in dict.fromkeys(triples))


def _add_unit(g, ui: URIRef, name: str, p: URIRef, full: bool = True) -> None:
    g.add((ui, RDF.type, T.Unit))
    if full:
        g.add((ui, RDF.type, ORG.Organization))
    g.add((ui, SKOS.prefLabel, _zh(name)))
    g.add((ui, T.inPlan, p))
    g.add((ui, T.kind, getattr(T, unit_kind(name))))
    level, stem = level_and_stem(name)
    if level:
        g.add((ui, T.levelPrefix, Lit(level)))
    g.add((ui, T.stem, _zh(stem)))
    if not full:  # in a corpus: 区科协, 市科协 and 省科协 are counterparts, of the body type 科协
        g.add((ui, T.counterpart, body_iri(stem)))


def _add_target(g, ti: URIRef, t, owner: URIRef, full: bool = True) -> None:
    g.add((owner, T.target, ti))
    g.add((ti, RDF.type, T.Target))
    g.add((ti, T.text, _zh(t.text)))
    g.add((ti, T.value, Lit(_decimal(t.value), datatype=XSD.decimal)))
    g.add((ti, T.unitOfMeasure, _zh(t.unit)))
    g.add((ti, T.comparator, Lit(t.comparator)))
    if t.period:
        g.add((ti, T.targetPeriod, Lit(t.period)))
    if t.subject:
        g.add((ti, T.subject, _zh(t.subject)))
    g.add((ti, T.spanStart, Lit(t.span[0])))
    if full:
        g.add((ti, T.spanEnd, Lit(t.span[1])))


def _decimal(value: float) -> str:
    # the canonical xsd:decimal form ("50.0") survives a Turtle round trip unchanged
    text = repr(float(value))
    return text if "e" not in text else f"{value:.6f}"


# --- files ----------------------------------------------------------------------------------

def serialize(g: Graph) -> bytes:
    """Deterministic Turtle (rdflib's longturtle) so graph files diff cleanly."""
    return g.serialize(format="longturtle", encoding="utf-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    Raises:
        OutputError: the folder cannot be created or written, or the disk is full.
    """
    write_all([(Path(path), data)])


def write_all(outputs: list[tuple[Path, bytes]]) -> None:
    """Write several files so that either all of them change or none does.

    Every file goes to a temporary file beside its target first; only when all are
    written and flushed are they renamed into place. On any failure (a full disk,
    Ctrl-C) the temporary files are removed and the targets stay as they were.

    Raises:
        OutputError: a folder cannot be created or written, or the disk is full.
    """
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in outputs:
            path = Path(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise OutputError(path.parent, f"cannot write here: {exc.strerror or exc}") from None
            temps.append((tmp, path))
            # mkstemp makes the file private; give it the mode a plain open() would
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        for tmp, path in temps:
            os.replace(tmp, path)
        temps = []
    finally:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_graph(path: str | Path) -> Graph:
    """Load a kepugraph graph from Turtle (or any format rdflib guesses from the suffix).

    Raises:
        GraphError: missing, unreadable or invalid file, or a graph with no plan in it.
    """
    path = Path(path)
    if not path.is_file():
        raise GraphError(path, "no such file" if not path.exists() else "not a file")
    g = Graph()
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".xml": "xml",
           ".trig": "trig", ".nq": "nquads"}.get(path.suffix.lower(), "turtle")
    try:
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many types for bad syntax
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphError(path, f"invalid {fmt}: {first[:200]}") from None
    if (None, RDF.type, KP.Plan) not in g:
        raise GraphError(path, "no kp:Plan in this graph; build it with 'kepugraph build'")
    return g


# --- reading the responsibilities back -------------------------------------------------------

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


_PREFIXES = """
PREFIX kp: <https://w3id.org/kepugraph#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_MEASURES_QUERY = _PREFIXES + """
SELECT ?m ?id ?ord ?title ?plan ?ex ?dl ?sec ?ann WHERE {
  ?m a kp:Measure ; dcterms:identifier ?id ; kp:ordinal ?ord ; dcterms:title ?title ;
     kp:inPlan ?plan ; kp:annotation ?ann .
  OPTIONAL { ?m kp:extraction ?ex }
  OPTIONAL { ?m kp:deadline ?dl }
  OPTIONAL { ?m kp:section ?sec }
}
"""
# the role properties, in both the full and the corpus profile (a joint unit is a lead too)
_MENTIONS_QUERY = _PREFIXES + """
SELECT ?m ?role ?u ?label WHERE {
  VALUES (?prop ?role) { (kp:leadUnit "lead") (kp:supportUnit "support") (kp:jointUnit "joint") }
  ?m ?prop ?u .
  ?u skos:prefLabel ?label .
}
"""
# the full profile also keeps each unit's position in its annotation
_POSITIONS_QUERY = _PREFIXES + """
SELECT ?m ?u ?pos WHERE { ?m kp:assignment ?a . ?a kp:unit ?u ; kp:position ?pos }
"""
_SECTIONS_QUERY = _PREFIXES + """
SELECT ?s ?heading ?parent WHERE { ?s a kp:Section ; kp:heading ?heading ; dcterms:isPartOf ?parent }
"""
_TARGETS_QUERY = _PREFIXES + """
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
            extraction=m.source, deadline=m.deadline, targets=[t.text for t in sorted(m.targets, key=lambda t: t.span[0])]))
    return rows


def rows_digest(rows: list[MeasureRow]) -> str:
    """One plan's measure rows as compact JSON (the ``kp:digest`` of a corpus plan)."""
    return json.dumps([[r.ordinal, r.id, r.title, r.path, [[n, role] for n, role in r.units], r.extraction,
                        r.deadline, r.targets] for r in rows], ensure_ascii=False, separators=(",", ":"))


def digest_rows(plan: str, digest: str) -> list[MeasureRow]:
    """The rows of :func:`rows_digest` back, for the plan of IRI ``plan``."""
    return [MeasureRow(iri=f"{plan}/measure/{o}", id=i, ordinal=o, title=t, path=path,
                       units=list(map(tuple, units)), plan=plan, extraction=ex, deadline=dl, targets=tg)
            for o, i, t, path, units, ex, dl, tg in json.loads(digest)]


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
                               extraction=r.get("ex", "annotation"), deadline=r.get("dl"))
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
    if any(True for _ in select(_PREFIXES + "SELECT ?a WHERE { ?a a kp:Assignment } LIMIT 1")):
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
    for r in sorted(select(_TARGETS_QUERY), key=lambda r: (r["m"], int(r["start"]))):
        if r["m"] in rows:
            rows[r["m"]].targets.append(r["text"])
    return sorted(rows.values(), key=lambda r: (r.plan, r.ordinal))
