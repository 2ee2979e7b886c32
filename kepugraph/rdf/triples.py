"""Plan ⇄ rdflib Graph: minting stable IRIs, writing Turtle atomically, reading it back.

IRIs are made from the plan's 文号 (or its title) and ordinals, never from counters
or blank nodes, so building the same plan twice gives the same graph.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kepugraph.model import Measure, Plan, UnitRef
from kepugraph.names import canonical, level_and_stem, unit_kind
from kepugraph.rdf.iris import body_iri, measure_iri, plan_iri, slug, unit_iri
from kepugraph.rdf.namespace import ID, KP, ORG, T
from kepugraph.rdf.rows import plan_rows, rows_brief, rows_digest
from kepugraph.vocab import KIND_NAMES_EN, KINDS, ROLE_LABELS, ROLE_NAMES_EN

ROLE_TERMS = {"lead": KP.lead, "support": KP.support, "joint": KP.joint}
TERM_ROLES = {v: k for k, v in ROLE_TERMS.items()}


#: The standard terms minted for every measure and unit, as plain attributes: rdflib's
#: DefinedNamespace looks a term up anew each time (about a microsecond; a plan mints thousands).
_S = SimpleNamespace(type=RDF.type, title=DCTERMS.title, identifier=DCTERMS.identifier, isPartOf=DCTERMS.isPartOf,
                     references=DCTERMS.references, issued=DCTERMS.issued, label=RDFS.label, altLabel=SKOS.altLabel,
                     prefLabel=SKOS.prefLabel, wasDerivedFrom=PROV.wasDerivedFrom, Organization=ORG.Organization,
                     decimal=XSD.decimal)


class _Triples(list):
    """Collects triples like a Graph's ``add``, without a store's indexing cost."""

    add = list.append  # a call straight into C: a plan adds hundreds


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
                  graph: str | None = None, rows: list | None = None) -> bytes:
    """The plan's triples as N-Triples, without building a graph (for bulk loading).

    Args:
        lean: the corpus profile (see :func:`plan_triples`).
        graph: write N-Quads in this named graph instead.
        rows: ``plan_rows(plan, aliases)``, when the caller has them already.
    """
    return ntriples(plan_triples(plan, aliases, lean, rows), graph).encode("utf-8")


_XSD_INTEGER = str(XSD.integer)


def _nt(term) -> str:
    """N-Triples form of an object; subjects and predicates are minted IRIs, safe as they are."""
    kind = type(term)
    if kind is URIRef:  # most objects: asked first
        return f"<{term}>"
    if kind is Lit:
        value, lang, datatype = term
        if type(value) is int:
            return f'"{value}"^^<{_XSD_INTEGER}>'
    elif isinstance(term, Literal):
        value, lang, datatype = term, term.language, term.datatype
    else:
        return f"<{term}>"
    value = str(value)
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        # four replaces in C: a translate through a dict looks up every character of the text
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{value}"@{lang}'
    if datatype:
        return f'"{value}"^^<{datatype}>'
    return f'"{value}"'


def plan_triples(plan: Plan, aliases: dict[str, str] | None = None, lean: bool = False,
                 rows: list | None = None) -> list[tuple]:
    """Every triple of the plan's graph (see :func:`plan_to_graph`); objects that are
    literals come as :class:`Lit`.

    Args:
        lean: the corpus profile, under half the triples: no ``kp:Assignment``
            nodes (a measure's units are read in the order of its ``kp:annotation``),
            no character spans but the sections', no line numbers, measure markers or
            provenance copies. Every triple the named queries and the measure rows read
            is kept.
        rows: ``plan_rows(plan, aliases)``, when the caller has them already.
    """
    aliases = aliases or {}
    g = _Triples()
    full = not lean
    p = plan_iri(plan)
    _add_plan(g, p, plan)
    if lean:  # whole-corpus analyses read this instead of decoding every unit mention
        rows = plan_rows(plan, aliases) if rows is None else rows
        g.add((p, T.digest, Lit(rows_digest(rows))))
        g.add((p, T.brief, Lit(rows_brief(rows))))  # a unit's task list: no texts to decode
    sections = _add_sections(g, p, plan)
    if full:  # a corpus keeps these once, in its vocabulary graph (see vocabulary_triples)
        _add_controlled_lists(g, plan, aliases)
    units_done: dict[str, URIRef] = {}  # canonical name → its IRI
    minted: set[URIRef] = set()  # the IRIs of units_done (two names may share one: see unit_iri)
    for m in plan.measures:
        mi = measure_iri(p, m.ordinal)
        _add_measure(g, mi, p, m, sections, full)
        for u in m.units:
            _add_mention(g, mi, p, u, aliases, units_done, minted, full)
        for k, t in enumerate(m.targets, 1):
            _add_target(g, URIRef(f"{mi}/target/{k}"), t, mi, full)
    for k, t in enumerate(plan.targets, 1):
        _add_target(g, URIRef(f"{p}/target/{k}"), t, p, full)
    return g


def _add_plan(g, p: URIRef, plan: Plan) -> None:
    meta = plan.meta
    g.add((p, _S.type, T.Plan))
    g.add((p, _S.title, _zh(meta.title)))
    if meta.doc_number:
        g.add((p, T.docNumber, Lit(meta.doc_number)))
    if meta.issuer:
        g.add((p, T.issuerName, _zh(meta.issuer)))
    if meta.notice:
        g.add((p, T.noticeTitle, _zh(meta.notice)))
    if meta.date:
        g.add((p, _S.issued, Lit(meta.date, datatype=XSD.date)))
    for r in meta.recipients:
        g.add((p, T.recipient, _zh(r)))
    if meta.period:
        g.add((p, T.period, Lit(meta.period)))
        start, end = meta.period.split("-")
        g.add((p, T.periodStart, Lit(start, datatype=XSD.gYear)))
        g.add((p, T.periodEnd, Lit(end, datatype=XSD.gYear)))
    for title in meta.cites:
        doc = ID[f"doc/{slug(title, 80)}"]
        g.add((doc, _S.type, T.Document))
        g.add((doc, _S.title, _zh(title)))
        g.add((p, T.implements, doc))
        g.add((p, _S.references, doc))
    if plan.path:
        g.add((p, T.sourceFile, Lit(Path(plan.path).name)))
    if plan.sha256:
        g.add((p, T.sourceHash, Lit(plan.sha256)))


def _add_sections(g, p: URIRef, plan: Plan) -> dict[str, URIRef]:
    sections = {}
    for s in plan.sections:
        si = URIRef(f"{p}/section/{s.id[1:]}")
        sections[s.id] = si
        g.add((si, _S.type, T.Section))
        g.add((si, T.inPlan, p))
        g.add((si, T.marker, Lit(s.label)))
        g.add((si, _S.title, _zh(s.title)))
        g.add((si, T.heading, _zh(s.heading)))
        g.add((si, T.level, Lit(s.level)))
        g.add((si, T.ordinal, Lit(s.ordinal)))
        g.add((si, T.spanStart, Lit(s.span[0])))  # document order, read by the sections query
        g.add((si, T.spanEnd, Lit(s.span[1])))
    for s in plan.sections:
        g.add((sections[s.id], _S.isPartOf, sections[s.parent] if s.parent else p))
    return sections


def _add_measure(g, mi: URIRef, p: URIRef, m: Measure, sections: dict[str, URIRef], full: bool) -> None:
    g.add((mi, _S.type, T.Measure))
    g.add((mi, T.inPlan, p))
    g.add((mi, _S.identifier, Lit(m.id)))
    g.add((mi, T.ordinal, Lit(m.ordinal)))
    g.add((mi, _S.title, _zh(m.title)))
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
        g.add((mi, _S.wasDerivedFrom, p))
    if m.section:
        g.add((mi, T.section, sections[m.section]))
        if full:
            g.add((mi, _S.isPartOf, sections[m.section]))
    if m.deadline:
        g.add((mi, T.deadline, _zh(m.deadline)))
    for ref in m.generic_refs:
        g.add((mi, T.genericRef, _zh(ref)))


def _add_mention(g, mi: URIRef, p: URIRef, u: UnitRef, aliases: dict[str, str], units_done: dict[str, URIRef],
                 minted: set[URIRef], full: bool) -> None:
    """One unit named on a measure: the unit (once), its role property, and its Assignment."""
    name = canonical(u.name, aliases)
    ui = units_done.get(name)
    if ui is None:  # a plan names its units many times: each minted and described once
        ui = unit_iri(p, name)
        if ui not in minted:
            minted.add(ui)
            _add_unit(g, ui, name, p, full)
        units_done[name] = ui
    if name != u.name:
        g.add((ui, _S.altLabel, _zh(u.name)))
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
        g.add((ai, _S.type, T.Assignment))
        g.add((ai, T.measure, mi))
        g.add((ai, T.unit, ui))
        g.add((ai, T.role, ROLE_TERMS[u.role]))
        g.add((ai, T.position, Lit(u.position)))
        g.add((ai, T.nameAsWritten, _zh(u.name)))


def _add_controlled_lists(g, plan: Plan, aliases: dict[str, str]) -> None:
    """Labels of the roles and unit kinds the plan uses, so queries need no ontology."""
    _add_labels(g, sorted({u.role for m in plan.measures for u in m.units}),
                sorted({unit_kind(canonical(n, aliases)) for n in plan.units()}))


def _add_labels(g, roles, kinds) -> None:
    for role in roles:
        g.add((ROLE_TERMS[role], _S.type, T.Role))
        g.add((ROLE_TERMS[role], _S.label, _zh(ROLE_LABELS[role])))
        g.add((ROLE_TERMS[role], _S.label, Lit(ROLE_NAMES_EN[role], "en")))
    for kind in kinds:
        g.add((getattr(T, kind), _S.type, T.UnitKind))
        g.add((getattr(T, kind), _S.label, _zh(KINDS[kind])))
        g.add((getattr(T, kind), _S.label, Lit(KIND_NAMES_EN[kind], "en")))


def vocabulary_triples(stems) -> list[tuple]:
    """What plans of a corpus share, kept once: the labels of every role and unit kind,
    and the body types of the given unit stems."""
    g = _Triples()
    _add_labels(g, ROLE_TERMS, KINDS)
    for stem in sorted(set(stems)):
        body = body_iri(stem)
        g.add((body, _S.type, T.BodyType))
        g.add((body, _S.prefLabel, _zh(stem)))
    return g


def ntriples(triples, graph: str | None = None) -> str:
    """Triples (objects as :class:`Lit` or terms) as N-Triples text, or N-Quads in ``graph``."""
    end = f" <{graph}> .\n" if graph else " .\n"
    # str.join copies the IRIs as they are: an f-string formats each URIRef through its
    # __format__ (four times slower), and "<" + iri would make a new URIRef of the sum
    iri_end, iris = ">" + end, "> <".join
    return "".join(["<" + iris(t) + iri_end if type(t[2]) is URIRef else "<" + iris(t[:2]) + "> " + _nt(t[2]) + end
                    for t in dict.fromkeys(triples)])


def _add_unit(g, ui: URIRef, name: str, p: URIRef, full: bool = True) -> None:
    g.add((ui, _S.type, T.Unit))
    if full:
        g.add((ui, _S.type, _S.Organization))
    g.add((ui, _S.prefLabel, _zh(name)))
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
    g.add((ti, _S.type, T.Target))
    g.add((ti, T.text, _zh(t.text)))
    g.add((ti, T.value, Lit(_decimal(t.value), datatype=_S.decimal)))
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
