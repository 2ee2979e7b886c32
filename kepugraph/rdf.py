"""Plan ⇄ rdflib Graph: minting stable IRIs, writing Turtle atomically, reading it back.

IRIs are made from the plan's 文号 (or its title) and ordinals, never from counters
or blank nodes, so building the same plan twice gives the same graph.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .errors import GraphError, OutputError
from .model import ROLE_LABELS, Plan
from .namespace import ID, KP, ORG
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


def unit_iri(plan_ref: URIRef, name: str) -> URIRef:
    return URIRef(f"{plan_ref}/unit/{slug(name, 80)}")


def plan_to_graph(plan: Plan, aliases: dict[str, str] | None = None) -> Graph:
    """The RDF graph of one plan, in the terms of ``ontology.ttl``.

    Args:
        aliases: name → canonical name (see :func:`kepugraph.units.read_aliases`); a
            unit is filed under its canonical name, other spellings become
            ``skos:altLabel``.
    """
    aliases = aliases or {}
    g = Graph()
    g.bind("kp", KP._NS)
    g.bind("org", ORG)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("prov", PROV)
    p = plan_iri(plan)
    meta = plan.meta
    g.add((p, RDF.type, KP.Plan))
    g.add((p, DCTERMS.title, Literal(meta.title, lang="zh")))
    if meta.doc_number:
        g.add((p, KP.docNumber, Literal(meta.doc_number)))
    if meta.issuer:
        g.add((p, KP.issuerName, Literal(meta.issuer, lang="zh")))
    if meta.date:
        g.add((p, DCTERMS.issued, Literal(meta.date, datatype=XSD.date)))
    for r in meta.recipients:
        g.add((p, KP.recipient, Literal(r, lang="zh")))
    if meta.period:
        g.add((p, KP.period, Literal(meta.period)))
        start, end = meta.period.split("-")
        g.add((p, KP.periodStart, Literal(start, datatype=XSD.gYear)))
        g.add((p, KP.periodEnd, Literal(end, datatype=XSD.gYear)))
    for title in meta.cites:
        doc = ID[f"doc/{slug(title, 80)}"]
        g.add((doc, RDF.type, KP.Document))
        g.add((doc, DCTERMS.title, Literal(title, lang="zh")))
        g.add((p, KP.implements, doc))
        g.add((p, DCTERMS.references, doc))
    if plan.path:
        g.add((p, KP.sourceFile, Literal(Path(plan.path).name)))
    if plan.sha256:
        g.add((p, KP.sourceHash, Literal(plan.sha256)))

    sections = {}
    for s in plan.sections:
        si = URIRef(f"{p}/section/{s.id[1:]}")
        sections[s.id] = si
        g.add((si, RDF.type, KP.Section))
        g.add((si, KP.inPlan, p))
        g.add((si, KP.marker, Literal(s.label)))
        g.add((si, DCTERMS.title, Literal(s.title, lang="zh")))
        g.add((si, KP.heading, Literal(s.heading, lang="zh")))
        g.add((si, KP.level, Literal(s.level)))
        g.add((si, KP.ordinal, Literal(s.ordinal)))
        g.add((si, KP.spanStart, Literal(s.span[0])))
        g.add((si, KP.spanEnd, Literal(s.span[1])))
    for s in plan.sections:
        g.add((sections[s.id], DCTERMS.isPartOf, sections[s.parent] if s.parent else p))

    _add_controlled_lists(g, plan, aliases)
    units_done: set[URIRef] = set()
    for m in plan.measures:
        mi = URIRef(f"{p}/measure/{m.ordinal}")
        g.add((mi, RDF.type, KP.Measure))
        g.add((mi, KP.inPlan, p))
        g.add((mi, DCTERMS.identifier, Literal(m.id)))
        g.add((mi, KP.ordinal, Literal(m.ordinal)))
        g.add((mi, DCTERMS.title, Literal(m.title, lang="zh")))
        g.add((mi, KP.text, Literal(m.text, lang="zh")))
        if m.label:
            g.add((mi, KP.marker, Literal(m.label)))
        g.add((mi, KP.spanStart, Literal(m.span[0])))
        g.add((mi, KP.spanEnd, Literal(m.span[1])))
        g.add((mi, KP.line, Literal(m.line)))
        g.add((mi, KP.annotation, Literal(m.annotation, lang="zh")))
        g.add((mi, KP.extraction, Literal(m.source)))
        g.add((mi, PROV.wasDerivedFrom, p))
        if m.section:
            g.add((mi, KP.section, sections[m.section]))
            g.add((mi, DCTERMS.isPartOf, sections[m.section]))
        if m.deadline:
            g.add((mi, KP.deadline, Literal(m.deadline, lang="zh")))
        for ref in m.generic_refs:
            g.add((mi, KP.genericRef, Literal(ref, lang="zh")))
        for u in m.units:
            name = canonical(u.name, aliases)
            ui = unit_iri(p, name)
            if ui not in units_done:
                units_done.add(ui)
                _add_unit(g, ui, name, p)
            if name != u.name:
                g.add((ui, SKOS.altLabel, Literal(u.name, lang="zh")))
            g.add((mi, KP.responsibleUnit, ui))
            if u.role == "support":
                g.add((mi, KP.supportUnit, ui))
            else:
                # 按职责分工负责: every listed unit answers for the whole measure
                g.add((mi, KP.leadUnit, ui))
                if u.role == "joint":
                    g.add((mi, KP.jointUnit, ui))
            ai = URIRef(f"{mi}/assignment/{u.position}")
            g.add((mi, KP.assignment, ai))
            g.add((ai, RDF.type, KP.Assignment))
            g.add((ai, KP.measure, mi))
            g.add((ai, KP.unit, ui))
            g.add((ai, KP.role, ROLE_TERMS[u.role]))
            g.add((ai, KP.position, Literal(u.position)))
            g.add((ai, KP.nameAsWritten, Literal(u.name, lang="zh")))
        for k, t in enumerate(m.targets, 1):
            _add_target(g, URIRef(f"{mi}/target/{k}"), t, mi)
    for k, t in enumerate(plan.targets, 1):
        _add_target(g, URIRef(f"{p}/target/{k}"), t, p)
    return g


ROLE_NAMES_EN = {"lead": "lead", "support": "support", "joint": "jointly responsible"}
KIND_NAMES_EN = {"party": "party committee body", "government": "government department",
                 "mass": "mass organisation", "institution": "public institution",
                 "branch": "higher-level branch", "collective": "collective", "enterprise": "enterprise",
                 "other": "other"}


def _add_controlled_lists(g: Graph, plan: Plan, aliases: dict[str, str]) -> None:
    """Labels of the roles and unit kinds the plan uses, so queries need no ontology."""
    for role in sorted({u.role for m in plan.measures for u in m.units}):
        g.add((ROLE_TERMS[role], RDF.type, KP.Role))
        g.add((ROLE_TERMS[role], RDFS.label, Literal(ROLE_LABELS[role], lang="zh")))
        g.add((ROLE_TERMS[role], RDFS.label, Literal(ROLE_NAMES_EN[role], lang="en")))
    for kind in sorted({unit_kind(canonical(n, aliases)) for n in plan.units()}):
        g.add((KP[kind], RDF.type, KP.UnitKind))
        g.add((KP[kind], RDFS.label, Literal(KINDS[kind], lang="zh")))
        g.add((KP[kind], RDFS.label, Literal(KIND_NAMES_EN[kind], lang="en")))


def _add_unit(g: Graph, ui: URIRef, name: str, p: URIRef) -> None:
    g.add((ui, RDF.type, KP.Unit))
    g.add((ui, RDF.type, ORG.Organization))
    g.add((ui, SKOS.prefLabel, Literal(name, lang="zh")))
    g.add((ui, KP.inPlan, p))
    g.add((ui, KP.kind, KP[unit_kind(name)]))
    level, stem = level_and_stem(name)
    if level:
        g.add((ui, KP.levelPrefix, Literal(level)))
    g.add((ui, KP.stem, Literal(stem, lang="zh")))


def _add_target(g: Graph, ti: URIRef, t, owner: URIRef) -> None:
    g.add((owner, KP.target, ti))
    g.add((ti, RDF.type, KP.Target))
    g.add((ti, KP.text, Literal(t.text, lang="zh")))
    g.add((ti, KP.value, Literal(_decimal(t.value), datatype=XSD.decimal)))
    g.add((ti, KP.unitOfMeasure, Literal(t.unit, lang="zh")))
    g.add((ti, KP.comparator, Literal(t.comparator)))
    if t.period:
        g.add((ti, KP.targetPeriod, Literal(t.period)))
    if t.subject:
        g.add((ti, KP.subject, Literal(t.subject, lang="zh")))
    g.add((ti, KP.spanStart, Literal(t.span[0])))
    g.add((ti, KP.spanEnd, Literal(t.span[1])))


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


_ROWS_QUERY = """
PREFIX kp: <https://w3id.org/kepugraph#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?m ?id ?ord ?title ?plan ?ex ?dl ?pos ?role ?label WHERE {
  ?m a kp:Measure ; dcterms:identifier ?id ; kp:ordinal ?ord ; dcterms:title ?title ;
     kp:inPlan ?plan ; kp:extraction ?ex ; kp:assignment ?a .
  ?a kp:position ?pos ; kp:role ?role ; kp:unit ?u .
  ?u skos:prefLabel ?label .
  OPTIONAL { ?m kp:deadline ?dl }
}
"""


def measure_rows(g: Graph) -> list[MeasureRow]:
    """Every measure of the graph with its units in annotation order."""
    rows: dict[str, MeasureRow] = {}
    units: dict[str, list[tuple[int, str, str]]] = {}
    for r in g.query(_ROWS_QUERY):
        key = str(r.m)
        if key not in rows:
            rows[key] = MeasureRow(iri=key, id=str(r.id), ordinal=int(r.ord), title=str(r.title),
                                   path=section_path(g, r.m), plan=str(r.plan), extraction=str(r.ex),
                                   deadline=str(r.dl) if r.dl is not None else None)
            units[key] = []
        units[key].append((int(r.pos), str(r.label), TERM_ROLES[r.role]))
    for key, row in rows.items():
        row.units = [(name, role) for _, name, role in sorted(units[key])]
    for r in g.query(_TARGETS_QUERY):
        if str(r.m) in rows:
            rows[str(r.m)].targets.append(str(r.text))
    return sorted(rows.values(), key=lambda r: (r.plan, r.ordinal))


_TARGETS_QUERY = """
PREFIX kp: <https://w3id.org/kepugraph#>
SELECT ?m ?text WHERE { ?m a kp:Measure ; kp:target ?t . ?t kp:text ?text ; kp:spanStart ?s } ORDER BY ?m ?s
"""


def section_path(g: Graph, measure: URIRef) -> list[str]:
    """Headings from the top down to the measure's section."""
    path = []
    node = g.value(measure, KP.section)
    seen = set()
    while node is not None and (node, RDF.type, KP.Section) in g and node not in seen:
        seen.add(node)
        path.append(str(g.value(node, KP.heading)))
        node = g.value(node, DCTERMS.isPartOf)
    return path[::-1]
