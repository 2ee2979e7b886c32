"""Progress reports (进展报送) as dated facts in the plan's graph, and back.

A report is one unit's status on one measure in one round, read from one row of the sheet
the unit returned: a ``kp:ProgressReport`` (a ``prov:Entity``) attributed to the unit. Its
IRI is minted from the measure, the unit, the round and the report's content, so that
importing the same sheet twice adds nothing, and a corrected sheet adds a new report beside
the first (history is kept).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kepugraph.rdf.iris import slug, unit_iri
from kepugraph.rdf.namespace import KP
from kepugraph.vocab import STATUS_LABELS, STATUS_NAMES_EN


def progress_graph(plan: str) -> str:
    """The named graph a store keeps a plan's reports in, beside the plan's own (so that
    rebuilding the plan, which replaces its graph, leaves its follow-up history alone)."""
    return f"{plan}/progress"


@dataclass(frozen=True)
class ProgressReport:
    """What one unit reported on one measure in one round."""

    measure: str  # the measure's IRI
    unit: str  # the unit's name (skos:prefLabel)
    status: str  # a key of STATUS_LABELS: notStarted, inProgress, done, behind, notApplicable
    reported: str  # ISO date of the report
    round: str
    note: str = ""
    completed: str | None = None  # ISO date the unit says the work was done
    contact: str = ""
    file: str = ""  # the returned file's name
    row: int = 0  # its row in that file's sheet or table

    @property
    def plan(self) -> str:
        return self.measure.rsplit("/measure/", 1)[0]

    def iri(self) -> URIRef:
        content = "\x1f".join([self.status, self.reported, self.note, self.completed or "", self.contact])
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
        return URIRef(f"{self.measure}/report/{slug(self.unit, 80)}/{slug(self.round, 40)}/{digest}")


def report_triples(reports) -> list[tuple]:
    """The triples of ``reports``, with the labels of the statuses they use."""
    out = []
    for status in sorted({r.status for r in reports}):
        term = KP[status]
        out += [(term, RDF.type, KP.ProgressStatus), (term, RDFS.label, Literal(STATUS_LABELS[status], lang="zh")),
                (term, RDFS.label, Literal(STATUS_NAMES_EN[status], lang="en"))]
    for r in reports:
        ri, unit = r.iri(), unit_iri(URIRef(r.plan), r.unit)
        out += [(ri, RDF.type, KP.ProgressReport), (ri, RDF.type, PROV.Entity), (ri, KP.reportOn, URIRef(r.measure)),
                (ri, KP.reportedBy, unit), (ri, PROV.wasAttributedTo, unit), (ri, KP.status, KP[r.status]),
                (ri, KP.reportDate, Literal(r.reported, datatype=XSD.date)), (ri, KP.round, Literal(r.round)),
                (ri, KP.sheetRow, Literal(r.row))]
        if r.note:
            out.append((ri, KP.progressNote, Literal(r.note, lang="zh")))
        if r.completed:
            out.append((ri, KP.completedOn, Literal(r.completed, datatype=XSD.date)))
        if r.contact:
            out.append((ri, KP.contact, Literal(r.contact)))
        if r.file:
            out.append((ri, KP.returnedFile, Literal(r.file)))
    return out


def add_reports(g: Graph, reports) -> int:
    """Add ``reports`` to ``g``; returns how many were new (not in the graph before)."""
    new = sum(1 for r in dict.fromkeys(reports) if (r.iri(), RDF.type, KP.ProgressReport) not in g)
    for triple in report_triples(reports):
        g.add(triple)
    return new


def report_graph(g: Graph) -> Graph:
    """The reports of ``g`` and the labels of their statuses, as a graph of their own (what a
    rebuilt plan graph takes over from the one it replaces)."""
    out = Graph()
    for ri in set(g.subjects(RDF.type, KP.ProgressReport)):
        for p, o in g.predicate_objects(ri):
            out.add((ri, p, o))
            if p == KP.status:
                for triple in g.triples((o, None, None)):
                    out.add(triple)
    return out


def carry_reports(old: Graph, g: Graph) -> bool:
    """Copy into ``g`` (a plan's graph, built again) the reports ``old`` held on the same plan
    and the labels of their statuses; True when there were any."""
    plan = next(g.subjects(RDF.type, KP.Plan), None)
    kept = False
    for s, p, o in report_graph(old):
        # this plan's reports (another plan's file of the same name keeps none), and the status labels
        if s.startswith(f"{plan}/") or s.startswith(str(KP._NS)):
            g.add((s, p, o))
            kept = True
    return kept


def graph_reports(g: Graph) -> list[ProgressReport]:
    """Every report in ``g``, oldest first (by report date, then round, unit and measure)."""
    out = []
    for ri in set(g.subjects(RDF.type, KP.ProgressReport)):
        def one(p, ri=ri):
            return g.value(ri, p)

        unit = one(KP.reportedBy)
        status = one(KP.status)
        out.append(ProgressReport(
            measure=str(one(KP.reportOn)), unit=str(g.value(unit, SKOS.prefLabel) or ""),
            status=str(status).rsplit("#", 1)[-1], reported=str(one(KP.reportDate)), round=str(one(KP.round)),
            note=str(one(KP.progressNote) or ""), completed=str(one(KP.completedOn)) if one(KP.completedOn) else None,
            contact=str(one(KP.contact) or ""), file=str(one(KP.returnedFile) or ""), row=int(one(KP.sheetRow) or 0)))
    return sorted(out, key=lambda r: (r.reported, r.round, r.unit, r.measure, r.row))
