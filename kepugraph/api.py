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
from .rdf import MeasureRow, load_graph, measure_rows, plan_to_graph, serialize, write_all, write_atomic
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
    page: Path | None = None

    def summary(self) -> str:
        from rdflib.namespace import RDF

        from .namespace import KP

        units = len(set(self.graph.subjects(RDF.type, KP.Unit)))
        return (f"{self.plan.meta.title}: {len(self.plan.measures)} measures, "
                f"{units} units, {len(self.graph)} triples, "
                f"{len(self.plan.warnings)} warnings → {self.path}")


def graph_name(source: str | Path | None) -> str:
    """File name of the Turtle graph built from ``source``."""
    return Path(source or BUNDLED_PLAN).stem + ".ttl"


def build(path: str | Path | None = None, out_dir: str | Path = "graph",
          max_bytes: int = DEFAULT_MAX_BYTES, page: bool = False,
          aliases: dict[str, str] | None = None) -> BuildResult:
    """Parse a plan and write its graph as Turtle into ``out_dir`` (atomically).

    Args:
        page: also write the units page beside the graph (NAME.html).
        aliases: name → canonical name, to merge spellings of one unit.

    Raises:
        SourceError, ParseError: bad input; nothing is written.
        ValidationError: the graph breaks the shapes of ``data/shapes.ttl``; nothing is written.
        OutputError: ``out_dir`` cannot be written; an earlier graph stays as it was.
    """
    from .errors import ValidationError
    from .validate import validate

    plan = parse(path, max_bytes=max_bytes)
    g = plan_to_graph(plan, aliases)
    violations = validate(g)
    if violations:  # never write a graph that the shapes reject
        raise ValidationError(plan.path or str(path), [str(v) for v in violations])
    target = Path(out_dir) / graph_name(path)
    outputs = [(target, serialize(g))]
    html_path = None
    if page:
        html_path = target.with_suffix(".html")
        outputs.append((html_path, _page_html(g, "units")[0].encode("utf-8")))
    write_all(outputs)  # the graph and its page change together or not at all
    return BuildResult(plan=plan, graph=g, path=target, page=html_path)


def _page_html(g: Graph, view: str, **filters):
    from rdflib.namespace import DCTERMS, RDF

    from . import viz
    from .analysis import find_unit, unit_kinds
    from .namespace import KP

    rows = measure_rows(g)
    if filters.get("unit"):
        filters["unit"] = find_unit(rows, filters["unit"])
    plan = next(g.subjects(RDF.type, KP.Plan), None)
    title = str(g.value(plan, DCTERMS.title) or "") if plan is not None else ""
    return viz.render(view, rows, unit_kinds(g), title, **filters)


def page(g: Graph, output: str | Path, view: str = "units", **filters):
    """Write an interactive page of ``g`` (UTF-8, self-contained) and return (path, drawn graph).

    Raises:
        UnknownUnitError: ``unit=`` names no unit of the graph.
        OutputError: the file cannot be written.
    """
    filters = {k: v for k, v in filters.items() if v not in (None, 1) or k == "min_shared" and v != 1}
    html_text, drawn = _page_html(g, view, **filters)
    write_atomic(output, html_text.encode("utf-8"))
    return Path(output), drawn


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
