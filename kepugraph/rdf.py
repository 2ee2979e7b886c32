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
from .namespace import ID, KP, ORG, T
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


class _Triples(list):
    """Collects triples like a Graph's ``add``, without a store's indexing cost."""

    def add(self, triple) -> None:
        self.append(triple)


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
    g.addN((s, p, o, g) for s, p, o in plan_triples(plan, aliases))
    return g


def plan_ntriples(plan: Plan, aliases: dict[str, str] | None = None) -> bytes:
    """The plan's triples as N-Triples, without building a graph (for bulk loading)."""
    lines = [f"<{s}> <{p}> {_nt(o)} ." for s, p, o in dict.fromkeys(plan_triples(plan, aliases))]
    return ("\n".join(lines) + "\n").encode("utf-8")


_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term) -> str:
    """N-Triples form of an object; subjects and predicates are minted IRIs, safe as they are."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    text = f'"{str(term).translate(_NT_ESCAPE)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def plan_triples(plan: Plan, aliases: dict[str, str] | None = None) -> list[tuple]:
    """Every triple of the plan's graph (see :func:`plan_to_graph`)."""
    aliases = aliases or {}
    g = _Triples()
    p = plan_iri(plan)
    meta = plan.meta
    g.add((p, RDF.type, T.Plan))
    g.add((p, DCTERMS.title, Literal(meta.title, lang="zh")))
    if meta.doc_number:
        g.add((p, T.docNumber, Literal(meta.doc_number)))
    if meta.issuer:
        g.add((p, T.issuerName, Literal(meta.issuer, lang="zh")))
    if meta.date:
        g.add((p, DCTERMS.issued, Literal(meta.date, datatype=XSD.date)))
    for r in meta.recipients:
        g.add((p, T.recipient, Literal(r, lang="zh")))
    if meta.period:
        g.add((p, T.period, Literal(meta.period)))
        start, end = meta.period.split("-")
        g.add((p, T.periodStart, Literal(start, datatype=XSD.gYear)))
        g.add((p, T.periodEnd, Literal(end, datatype=XSD.gYear)))
    for title in meta.cites:
        doc = ID[f"doc/{slug(title, 80)}"]
        g.add((doc, RDF.type, T.Document))
        g.add((doc, DCTERMS.title, Literal(title, lang="zh")))
        g.add((p, T.implements, doc))
        g.add((p, DCTERMS.references, doc))
    if plan.path:
        g.add((p, T.sourceFile, Literal(Path(plan.path).name)))
    if plan.sha256:
        g.add((p, T.sourceHash, Literal(plan.sha256)))

    sections = {}
    for s in plan.sections:
        si = URIRef(f"{p}/section/{s.id[1:]}")
        sections[s.id] = si
        g.add((si, RDF.type, T.Section))
        g.add((si, T.inPlan, p))
        g.add((si, T.marker, Literal(s.label)))
        g.add((si, DCTERMS.title, Literal(s.title, lang="zh")))
        g.add((si, T.heading, Literal(s.heading, lang="zh")))
        g.add((si, T.level, Literal(s.level)))
        g.add((si, T.ordinal, Literal(s.ordinal)))
        g.add((si, T.spanStart, Literal(s.span[0])))
        g.add((si, T.spanEnd, Literal(s.span[1])))
    for s in plan.sections:
        g.add((sections[s.id], DCTERMS.isPartOf, sections[s.parent] if s.parent else p))

    _add_controlled_lists(g, plan, aliases)
    units_done: set[URIRef] = set()
    for m in plan.measures:
        mi = URIRef(f"{p}/measure/{m.ordinal}")
        g.add((mi, RDF.type, T.Measure))
        g.add((mi, T.inPlan, p))
        g.add((mi, DCTERMS.identifier, Literal(m.id)))
        g.add((mi, T.ordinal, Literal(m.ordinal)))
        g.add((mi, DCTERMS.title, Literal(m.title, lang="zh")))
        g.add((mi, T.text, Literal(m.text, lang="zh")))
        if m.label:
            g.add((mi, T.marker, Literal(m.label)))
        g.add((mi, T.spanStart, Literal(m.span[0])))
        g.add((mi, T.spanEnd, Literal(m.span[1])))
        g.add((mi, T.line, Literal(m.line)))
        g.add((mi, T.annotation, Literal(m.annotation, lang="zh")))
        g.add((mi, T.extraction, Literal(m.source)))
        g.add((mi, PROV.wasDerivedFrom, p))
        if m.section:
            g.add((mi, T.section, sections[m.section]))
            g.add((mi, DCTERMS.isPartOf, sections[m.section]))
        if m.deadline:
            g.add((mi, T.deadline, Literal(m.deadline, lang="zh")))
        for ref in m.generic_refs:
            g.add((mi, T.genericRef, Literal(ref, lang="zh")))
        for u in m.units:
            name = canonical(u.name, aliases)
            ui = unit_iri(p, name)
            if ui not in units_done:
                units_done.add(ui)
                _add_unit(g, ui, name, p)
            if name != u.name:
                g.add((ui, SKOS.altLabel, Literal(u.name, lang="zh")))
            g.add((mi, T.responsibleUnit, ui))
            if u.role == "support":
                g.add((mi, T.supportUnit, ui))
            else:
                # 按职责分工负责: every listed unit answers for the whole measure
                g.add((mi, T.leadUnit, ui))
                if u.role == "joint":
                    g.add((mi, T.jointUnit, ui))
            ai = URIRef(f"{mi}/assignment/{u.position}")
            g.add((mi, T.assignment, ai))
            g.add((ai, RDF.type, T.Assignment))
            g.add((ai, T.measure, mi))
            g.add((ai, T.unit, ui))
            g.add((ai, T.role, ROLE_TERMS[u.role]))
            g.add((ai, T.position, Literal(u.position)))
            g.add((ai, T.nameAsWritten, Literal(u.name, lang="zh")))
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


def _add_controlled_lists(g, plan: Plan, aliases: dict[str, str]) -> None:
    """Labels of the roles and unit kinds the plan uses, so queries need no ontology."""
    for role in sorted({u.role for m in plan.measures for u in m.units}):
        g.add((ROLE_TERMS[role], RDF.type, T.Role))
        g.add((ROLE_TERMS[role], RDFS.label, Literal(ROLE_LABELS[role], lang="zh")))
        g.add((ROLE_TERMS[role], RDFS.label, Literal(ROLE_NAMES_EN[role], lang="en")))
    for kind in sorted({unit_kind(canonical(n, aliases)) for n in plan.units()}):
        g.add((getattr(T, kind), RDF.type, T.UnitKind))
        g.add((getattr(T, kind), RDFS.label, Literal(KINDS[kind], lang="zh")))
        g.add((getattr(T, kind), RDFS.label, Literal(KIND_NAMES_EN[kind], lang="en")))


def _add_unit(g, ui: URIRef, name: str, p: URIRef) -> None:
    g.add((ui, RDF.type, T.Unit))
    g.add((ui, RDF.type, ORG.Organization))
    g.add((ui, SKOS.prefLabel, Literal(name, lang="zh")))
    g.add((ui, T.inPlan, p))
    g.add((ui, T.kind, getattr(T, unit_kind(name))))
    level, stem = level_and_stem(name)
    if level:
        g.add((ui, T.levelPrefix, Literal(level)))
    g.add((ui, T.stem, Literal(stem, lang="zh")))


def _add_target(g, ti: URIRef, t, owner: URIRef) -> None:
    g.add((owner, T.target, ti))
    g.add((ti, RDF.type, T.Target))
    g.add((ti, T.text, Literal(t.text, lang="zh")))
    g.add((ti, T.value, Literal(_decimal(t.value), datatype=XSD.decimal)))
    g.add((ti, T.unitOfMeasure, Literal(t.unit, lang="zh")))
    g.add((ti, T.comparator, Literal(t.comparator)))
    if t.period:
        g.add((ti, T.targetPeriod, Literal(t.period)))
    if t.subject:
        g.add((ti, T.subject, Literal(t.subject, lang="zh")))
    g.add((ti, T.spanStart, Literal(t.span[0])))
    g.add((ti, T.spanEnd, Literal(t.span[1])))


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
_ROWS_QUERY = _PREFIXES + """
SELECT ?m ?id ?ord ?title ?plan ?ex ?dl ?sec ?pos ?role ?label WHERE {
  ?m a kp:Measure ; dcterms:identifier ?id ; kp:ordinal ?ord ; dcterms:title ?title ;
     kp:inPlan ?plan ; kp:extraction ?ex ; kp:assignment ?a .
  ?a kp:position ?pos ; kp:role ?role ; kp:unit ?u .
  ?u skos:prefLabel ?label .
  OPTIONAL { ?m kp:deadline ?dl }
  OPTIONAL { ?m kp:section ?sec }
}
"""
_SECTIONS_QUERY = _PREFIXES + """
SELECT ?s ?heading ?parent WHERE { ?s a kp:Section ; kp:heading ?heading ; dcterms:isPartOf ?parent }
"""
_TARGETS_QUERY = _PREFIXES + """
SELECT ?m ?text ?start WHERE { ?m a kp:Measure ; kp:target ?t . ?t kp:text ?text ; kp:spanStart ?start }
"""


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
    units: dict[str, list[tuple[int, str, str]]] = {}
    for r in select(_ROWS_QUERY):
        key = r["m"]
        if key not in rows:
            rows[key] = MeasureRow(iri=key, id=r["id"], ordinal=int(r["ord"]), title=r["title"],
                                   path=path_of(r.get("sec")), plan=r["plan"], extraction=r["ex"],
                                   deadline=r.get("dl"))
            units[key] = []
        units[key].append((int(r["pos"]), r["label"], TERM_ROLES[URIRef(r["role"])]))
    for key, row in rows.items():
        row.units = [(name, role) for _, name, role in sorted(units[key])]
    for r in sorted(select(_TARGETS_QUERY), key=lambda r: (r["m"], int(r["start"]))):
        if r["m"] in rows:
            rows[r["m"]].targets.append(r["text"])
    return sorted(rows.values(), key=lambda r: (r.plan, r.ordinal))
