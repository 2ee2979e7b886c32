"""Workload, co-responsibility and structure of the responsibility network (networkx).

Everything here reads :class:`~kepugraph.rdf.MeasureRow` lists taken from the RDF graph
(:func:`kepugraph.rdf.measure_rows`), never the raw text, and returns plain rows.
"""

from kepugraph.analysis.changes import ChangeRow, DeadlineRow, deadlines, diff, due_date
from kepugraph.analysis.network import (
    BetweennessNote,
    CentralityRow,
    PairRow,
    bipartite,
    centrality,
    communities,
    pairs,
    pairs_of_totals,
    partners,
    projection,
)
from kepugraph.analysis.risks import DIFFUSE_AT, Risks, risks
from kepugraph.analysis.units import find_name, find_unit, unit_aliases, unit_kinds, units_of_totals
from kepugraph.analysis.workload import WorkloadRow, part_of, parts_of, section_of, tasks, workload, workload_of_totals

__all__ = ["workload", "tasks", "part_of", "parts_of", "section_of", "WorkloadRow", "pairs", "partners", "projection",
           "bipartite", "centrality", "communities", "PairRow", "CentralityRow", "BetweennessNote", "risks", "Risks", "DIFFUSE_AT",
           "find_unit", "find_name", "unit_aliases", "workload_of_totals", "pairs_of_totals",
           "units_of_totals", "unit_kinds", "deadlines", "due_date", "DeadlineRow", "diff", "ChangeRow"]
