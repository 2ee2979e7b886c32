"""kepugraph: the responsibility matrix of Chinese government implementation plans as a
knowledge graph (RDF), with workload and co-responsibility analysis."""

from .analysis import centrality, communities, pairs, partners, risks, tasks, workload
from .api import Source, build, load, page, parse, rows
from .errors import (
    GraphError, KepugraphError, OutputError, ParseError, SourceError, UnknownUnitError,
)
from .model import Measure, Plan, PlanMeta, Section, Target, UnitRef
from .parse import parse_text
from .rdf import load_graph, measure_rows, plan_to_graph

__version__ = "0.1.0"

__all__ = [
    "build", "load", "parse", "parse_text", "rows", "page", "Source", "plan_to_graph", "load_graph", "measure_rows",
    "workload", "pairs", "partners", "tasks", "centrality", "communities", "risks",
    "Plan", "PlanMeta", "Section", "Measure", "UnitRef", "Target",
    "KepugraphError", "SourceError", "ParseError", "GraphError", "UnknownUnitError", "OutputError",
    "__version__",
]
