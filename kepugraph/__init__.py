"""kepugraph: the responsibility matrix of Chinese government implementation plans as a
knowledge graph (RDF), with workload and co-responsibility analysis.

The public API below is loaded when first used, so that importing one floor of the package
(``kepugraph.names``, ``kepugraph.vocab``) does not load every floor above it.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Each public name → the module that defines it.
_EXPORTS = {
    **dict.fromkeys(["centrality", "communities", "deadlines", "diff", "pairs", "partners", "risks", "tasks",
                     "workload"], "kepugraph.analysis"),
    **dict.fromkeys(["Source", "build", "load", "open_store", "page", "parse", "rows"], "kepugraph.api"),
    **dict.fromkeys(["GraphError", "KepugraphError", "OutputError", "ParseError", "SourceError", "UnknownUnitError"],
                    "kepugraph.errors"),
    "parse_text": "kepugraph.extraction.parser",
    **dict.fromkeys(["Measure", "ParseWarning", "Plan", "PlanMeta", "Section", "Target", "UnitRef"], "kepugraph.model"),
    **dict.fromkeys(["load_graph", "measure_rows", "plan_to_graph"], "kepugraph.rdf"),
}

__all__ = [
    "build", "load", "parse", "parse_text", "rows", "page", "open_store", "Source", "plan_to_graph", "load_graph",
    "measure_rows", "workload", "pairs", "partners", "tasks", "centrality", "communities", "risks", "deadlines", "diff",
    "Plan", "PlanMeta", "Section", "Measure", "UnitRef", "Target", "ParseWarning",
    "KepugraphError", "SourceError", "ParseError", "GraphError", "UnknownUnitError", "OutputError",
    "__version__",
]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kepugraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
