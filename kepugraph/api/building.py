"""A plan built into its graph and page, written together or not at all."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kepugraph.analysis import find_unit
from kepugraph.analysis.progress import Progress, plan_year, report_additions
from kepugraph.api.plans import BuildResult, graph_name, parse
from kepugraph.api.source import Source
from kepugraph.errors import KepugraphError, ValidationError
from kepugraph.model import Plan
from kepugraph.outputs.files import write_all, write_atomic
from kepugraph.outputs.pages import page_html
from kepugraph.outputs.status import status_overlay
from kepugraph.rdf.progress import carry_reports
from kepugraph.rdf.rows import measure_rows
from kepugraph.rdf.shapes import validate
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.rdf.turtle import load_graph, serialize
from kepugraph.reading.review import is_review_workbook
from kepugraph.reading.source import DEFAULT_MAX_BYTES


def build(path: str | Path | None = None, out_dir: str | Path = "graph",
          max_bytes: int = DEFAULT_MAX_BYTES, page: bool = False,
          aliases: dict[str, str] | None = None, plan: Plan | None = None) -> BuildResult:
    """Parse a plan and write its graph as Turtle into ``out_dir`` (atomically).

    Args:
        page: also write the units page beside the graph (NAME.html).
        aliases: name → canonical name, to merge spellings of one unit.
        plan: the plan of ``path`` parsed already (not read again).

    Raises:
        SourceError, ParseError: bad input; nothing is written.
        ValidationError: the graph breaks the shapes of ``data/shapes.ttl``; nothing is written.
        OutputError: ``out_dir`` cannot be written; an earlier graph stays as it was.
    """
    plan = plan or parse(path, max_bytes=max_bytes)
    g = plan_to_graph(plan, aliases)
    # a reviewed workbook replaces the graph of the plan it came from (same plan, corrected)
    reviewed = path is not None and Path(path).suffix.lower() == ".xlsx" and is_review_workbook(path)
    target = Path(out_dir) / graph_name(plan.path if reviewed else path)
    _keep_reports(g, target)
    violations = validate(g)
    if violations:  # never write a graph that the shapes reject
        raise ValidationError(plan.path or str(path), [str(v) for v in violations])
    outputs = [(target, serialize(g))]
    html_path = None
    if page:
        html_path = target.with_suffix(".html")
        outputs.append((html_path, _page_html(g, "units")[0].encode("utf-8")))
    write_all(outputs)  # the graph and its page change together or not at all
    return BuildResult(plan=plan, graph=g, path=target, page=html_path)

def _keep_reports(g: Graph, target: Path) -> None:
    """The progress reports of the graph a build replaces stay in the new one."""
    try:
        old = load_graph(target) if target.is_file() else Graph()
    except KepugraphError:  # not a graph we can read: replaced as before
        return
    if carry_reports(old, g):  # follow-up goes on: the deadlines as days again, from the plan as it is now
        g += report_additions([], measure_rows(g), plan_year(Source.of(g).meta()))

def _page_html(g: "Graph | Source", view: str, follow: "Progress | None" = None, **filters):
    source = g if isinstance(g, Source) else Source.of(g)
    rows = source.rows()
    aliases = source.aliases()
    if filters.get("unit"):
        filters["unit"] = find_unit(rows, filters["unit"], aliases)
    scope = source.scope()
    # the page names its plan (title and 文号), the plans it covers, or that it is the sample
    title = scope.plans[0].label() if len(scope.plans) == 1 and not scope.sample else scope.line() or source.title()
    text, drawn = page_html(view, rows, source.kinds(), title, aliases=aliases, **filters)
    if follow is not None:  # the follow-up colours, legend and reports over the view
        text = status_overlay(text, follow, {r.id: r.iri for r in rows})
    return text, drawn

def page(g: "Graph | Source", output: str | Path, view: str = "units", follow: "Progress | None" = None, **filters):
    """Write an interactive page (UTF-8, self-contained) and return (path, drawn graph).

    ``follow`` colours units and measures by where their tasks stand (see :func:`follow_up`).

    Raises:
        UnknownUnitError: ``unit=`` names no unit of the graph.
        OutputError: the file cannot be written.
    """
    filters = {k: v for k, v in filters.items() if v is not None}
    html_text, drawn = _page_html(g, view, follow=follow, **filters)
    write_atomic(output, html_text.encode("utf-8"))
    return Path(output), drawn
