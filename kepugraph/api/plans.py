"""Plans in and graphs out: parse a plan (or its corrected workbook), load a graph, its rows, a store."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from kepugraph.errors import KepugraphError, SourceError
from kepugraph.extraction.parser import parse_file
from kepugraph.extraction.targets import find_targets
from kepugraph.model import Plan
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.rows import MeasureRow, measure_rows
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.rdf.turtle import load_graph
from kepugraph.reading.review import is_review_workbook, read_review
from kepugraph.reading.source import BUNDLED_PLAN, DEFAULT_MAX_BYTES
from kepugraph.store import Corpus, Store, buildable_store_dir
from kepugraph.store import open_store as open_spec
from kepugraph.store.workspace import WorkspaceReport, add_plans, workspace_spec


def parse(path: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """Read and parse a plan (default: the bundled reference plan).

    Raises:
        SourceError: the file cannot be read.
        ParseError: it holds no annotated measure.
    """
    if path is not None and is_review_workbook(path):  # a corrected plan: the truth from now on
        return read_reviewed(path, max_bytes=max_bytes)
    return parse_file(path, max_bytes=max_bytes)

def read_reviewed(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The plan of a review workbook as corrected by hand (see :func:`review`). Raises
    SourceError (too large, unreadable, not one) or SheetError (file, sheet and row)."""
    p = Path(path)
    if p.stat().st_size > max_bytes:
        raise SourceError(p, f"larger than {max_bytes} bytes")
    return read_review(p, targets_of=lambda text: find_targets(text, 0, len(text)))

@dataclass
class BuildResult:
    plan: Plan
    graph: Graph
    path: Path
    page: Path | None = None

    def summary(self) -> str:
        units = len(set(self.graph.subjects(RDF.type, KP.Unit)))
        return (f"{self.plan.meta.title}: {len(self.plan.measures)} measures, "
                f"{units} units, {len(self.graph)} triples, "
                f"{len(self.plan.warnings)} warnings → {self.path}")

def graph_name(source: str | Path | None) -> str:
    """File name of the Turtle graph built from ``source``."""
    return Path(source or BUNDLED_PLAN).stem + ".ttl"

def load(graph: str | Path | None = None) -> Graph:
    """A plan graph: from a Turtle file, or built in memory from the bundled plan.

    Raises:
        GraphError: the file is missing or not a valid kepugraph graph.
    """
    if graph is None:
        return plan_to_graph(parse())
    return load_graph(graph)

def rows(g: Graph) -> list[MeasureRow]:
    """The measures of a graph with their units, ready for :mod:`kepugraph.analysis`."""
    return measure_rows(g)

def add_to_workspace(results: list[BuildResult], spec: str | None = None, aliases: dict[str, str] | None = None,
                     corpus: Corpus | None = None) -> tuple[str, WorkspaceReport]:
    """Put built plans into the workspace (default :func:`~kepugraph.store.workspace.workspace_spec`,
    or ``corpus``, opened already and left open), each replacing the plan of the same identity
    (its 文号, else title, else measures).

    Returns:
        The workspace's spec and what was added or replaced.

    Raises:
        StoreError: the workspace folder holds other files, or is in use.
    """
    spec = spec or workspace_spec()
    with nullcontext(corpus) if corpus is not None else Corpus(buildable_store_dir(spec)) as opened:
        report = add_plans(opened, [(r.plan, r.plan.path or str(r.path)) for r in results], aliases)
    return spec, report

def open_store(spec: str = "memory", graph: str | Path | None = None, plan: str | None = None,
               endpoint: str | None = None) -> Store:
    """Open a store to run SPARQL on (close it, or use it in a ``with`` block).

    Args:
        spec: ``memory`` (the graph file ``graph``, or the bundled plan) or ``oxigraph:DIR``
            (a corpus built with :class:`~kepugraph.store.Corpus`).
        plan: with ``oxigraph:DIR``, one plan only.
        endpoint: a SPARQL 1.1 endpoint URL instead.
    """
    if plan and (endpoint or spec == "memory"):
        raise KepugraphError("a plan is selected in a corpus store only", remedy="plan")
    return open_spec(spec, graph=load(graph) if spec == "memory" and not endpoint else None,
                     plan=plan, endpoint=endpoint)
