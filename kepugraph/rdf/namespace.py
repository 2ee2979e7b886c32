"""The kepugraph vocabulary as an rdflib namespace; kept in step with ontology.ttl by a test."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ID = Namespace("https://w3id.org/kepugraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")


class KP(DefinedNamespace):
    """Terms of ``https://w3id.org/kepugraph#``; an unknown name fails at once."""

    _NS = Namespace("https://w3id.org/kepugraph#")
    _fail = True

    # classes
    Plan: URIRef
    Document: URIRef
    Section: URIRef
    Measure: URIRef
    Unit: URIRef
    Assignment: URIRef
    Target: URIRef
    Role: URIRef
    UnitKind: URIRef
    # plan metadata
    docNumber: URIRef
    issuerName: URIRef
    noticeTitle: URIRef
    recipient: URIRef
    period: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    implements: URIRef
    sourceFile: URIRef
    sourceHash: URIRef
    digest: URIRef
    brief: URIRef
    catalogue: URIRef
    totals: URIRef
    # structure
    inPlan: URIRef
    section: URIRef
    marker: URIRef
    heading: URIRef
    level: URIRef
    ordinal: URIRef
    text: URIRef
    spanStart: URIRef
    spanEnd: URIRef
    line: URIRef
    annotation: URIRef
    deadline: URIRef
    extraction: URIRef
    genericRef: URIRef
    # responsibility
    responsibleUnit: URIRef
    leadUnit: URIRef
    jointUnit: URIRef
    supportUnit: URIRef
    assignment: URIRef
    measure: URIRef
    unit: URIRef
    role: URIRef
    position: URIRef
    nameAsWritten: URIRef
    lead: URIRef
    support: URIRef
    joint: URIRef
    # units
    kind: URIRef
    levelPrefix: URIRef
    stem: URIRef
    party: URIRef
    government: URIRef
    mass: URIRef
    institution: URIRef
    branch: URIRef
    collective: URIRef
    enterprise: URIRef
    other: URIRef
    # targets
    target: URIRef
    value: URIRef
    unitOfMeasure: URIRef
    comparator: URIRef
    targetPeriod: URIRef
    subject: URIRef
    # links across plans
    Alignment: URIRef
    alignedWith: URIRef
    alignmentFrom: URIRef
    alignmentTo: URIRef
    score: URIRef
    BodyType: URIRef
    counterpart: URIRef
    # follow-up (督办): progress reports
    ProgressReport: URIRef
    ProgressStatus: URIRef
    notStarted: URIRef
    inProgress: URIRef
    done: URIRef
    behind: URIRef
    notApplicable: URIRef
    reportOn: URIRef
    reportedBy: URIRef
    status: URIRef
    progressNote: URIRef
    completedOn: URIRef
    reportDate: URIRef
    contact: URIRef
    round: URIRef
    returnedFile: URIRef
    sheetRow: URIRef
    dueDate: URIRef


class _Terms:
    """Plain attributes for every KP term: DefinedNamespace lookups are slow in hot loops."""

    def __init__(self) -> None:
        for name in KP.__annotations__:
            setattr(self, name, URIRef(str(KP._NS) + name))


#: The KP terms as plain attributes (``T.leadUnit``), for code that mints many triples.
T = _Terms()
