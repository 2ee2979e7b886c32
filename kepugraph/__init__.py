"""kepugraph: the responsibility matrix of Chinese government implementation plans as a
knowledge graph (RDF), with workload and co-responsibility analysis."""

from kepugraph.analysis import centrality, communities, deadlines, diff, pairs, partners, risks, tasks, workload
from kepugraph.api import Source, build, load, open_store, page, parse, rows
from kepugraph.errors import (
    GraphError,
    KepugraphError,
    OutputError,
    ParseError,
    SourceError,
    UnknownUnitError,
)
from kepugraph.extraction.parser import parse_text
from kepugraph.model import Measure, ParseWarning, Plan, PlanMeta, Section, Target, UnitRef
from kepugraph.rdf import load_graph, measure_rows, plan_to_graph

__version__ = "0.1.0"

__all__ = [
    "build", "load", "parse", "parse_text", "rows", "page", "open_store", "Source", "plan_to_graph", "load_graph",
    "measure_rows", "workload", "pairs", "partners", "tasks", "centrality", "communities", "risks", "deadlines", "diff",
    "Plan", "PlanMeta", "Section", "Measure", "UnitRef", "Target", "ParseWarning",
    "KepugraphError", "SourceError", "ParseError", "GraphError", "UnknownUnitError", "OutputError",
    "__version__",
]
