"""The Python API in a few calls: parse a plan, build its graph, load a graph.

>>> from kepugraph import api
>>> plan = api.parse()                       # the bundled reference plan
>>> len(plan.measures), plan.meta.doc_number
(31, '泰山政办字〔2022〕7号')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .model import Plan
from .parse import parse_file
from .rdf import MeasureRow, load_graph, measure_rows, plan_to_graph, serialize, write_atomic
from .read import BUNDLED_PLAN, DEFAULT_MAX_BYTES


def parse(path: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """Read and parse a plan (default: the bundled reference plan).

    Raises:
        SourceError: the file cannot be read.
        ParseError: it holds no annotated measure.
    """
    return parse_file(path, max_bytes=max_bytes)


@dataclass
class BuildResult:
    plan: Plan
    graph: Graph
    path: Path

    def summary(self) -> str:
        return (f"{self.plan.meta.title}: {len(self.plan.measures)} measures, "
                f"{len(self.plan.units())} units, {len(self.graph)} triples, "
                f"{len(self.plan.warnings)} warnings → {self.path}")


def graph_name(source: str | Path | None) -> str:
    """File name of the Turtle graph built from ``source``."""
    return Path(source or BUNDLED_PLAN).stem + ".ttl"


def build(path: str | Path | None = None, out_dir: str | Path = "graph",
          max_bytes: int = DEFAULT_MAX_BYTES) -> BuildResult:
    """Parse a plan and write its graph as Turtle into ``out_dir`` (atomically).

    Raises:
        SourceError, ParseError: bad input; nothing is written.
        OutputError: ``out_dir`` cannot be written; an earlier graph stays as it was.
    """
    plan = parse(path, max_bytes=max_bytes)
    g = plan_to_graph(plan)
    target = Path(out_dir) / graph_name(path)
    write_atomic(target, serialize(g))
    return BuildResult(plan=plan, graph=g, path=target)


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
