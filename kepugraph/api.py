"""The Python API in a few calls: parse a plan, build its graph, load a graph, open a store.

>>> from kepugraph import api
>>> plan = api.parse()                       # the bundled reference plan
>>> len(plan.measures), plan.meta.doc_number
(31, '泰山政办字〔2022〕7号')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kepugraph.analysis import find_unit, unit_kinds
from kepugraph.analysis.progress import Progress, due_date_triples, progress, sheet_reports
from kepugraph.errors import KepugraphError, SourceError, ValidationError
from kepugraph.extraction.parser import parse_file
from kepugraph.extraction.targets import find_targets
from kepugraph.model import Plan
from kepugraph.outputs.files import write_all, write_atomic
from kepugraph.outputs.notice import write_notice
from kepugraph.outputs.pages import page_html
from kepugraph.outputs.progress import write_progress_sheets
from kepugraph.outputs.review import write_review
from kepugraph.outputs.status import status_overlay
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.progress import add_reports, graph_reports, report_graph
from kepugraph.rdf.rows import MeasureRow, measure_rows, rdflib_select
from kepugraph.rdf.shapes import validate
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.rdf.turtle import load_graph, serialize
from kepugraph.reading.progress import read_returned
from kepugraph.reading.review import is_review_workbook, read_review
from kepugraph.reading.source import BUNDLED_PLAN, DEFAULT_MAX_BYTES
from kepugraph.store import Corpus, Store, existing_store_dir
from kepugraph.store import open_store as open_spec
from kepugraph.vocab import KINDS


def parse(path: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """Read and parse a plan (default: the bundled reference plan).

    Raises:
        SourceError: the file cannot be read.
        ParseError: it holds no annotated measure.
    """
    if path is not None and is_review_workbook(path):  # a corrected plan: the truth from now on
        return read_reviewed(path, max_bytes=max_bytes)
    return parse_file(path, max_bytes=max_bytes)


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
    plan = parse(path, max_bytes=max_bytes)
    g = plan_to_graph(plan, aliases)
    # a reviewed workbook replaces the graph of the plan it came from (same plan, corrected)
    target = Path(out_dir) / graph_name(plan.path if path is not None and is_review_workbook(path) else path)
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
    """The progress reports of the graph a build replaces stay in the new one: the plan
    rebuilt or corrected, its follow-up history is not lost."""
    if not target.is_file():
        return
    try:
        old = load_graph(target)
    except KepugraphError:  # not a graph we can read: replaced as before
        return
    plan = next(g.subjects(RDF.type, KP.Plan), None)
    kept = False
    for s, p, o in report_graph(old):
        # this plan's reports (another plan's file of the same name keeps none), and the status labels
        if s.startswith(f"{plan}/") or s.startswith(str(KP._NS)):
            g.add((s, p, o))
            kept = True
    if kept:  # follow-up goes on: the deadlines as days again, from the plan as it is now
        for triple in due_date_triples(measure_rows(g), _plan_year(Source.of(g))):
            g.add(triple)


def _page_html(g: "Graph | Source", view: str, follow: "Progress | None" = None, **filters):
    source = g if isinstance(g, Source) else Source.of(g)
    rows = source.rows()
    if filters.get("unit"):
        filters["unit"] = find_unit(rows, filters["unit"])
    text, drawn = page_html(view, rows, source.kinds(), source.title(), aliases=source.aliases(), **filters)
    if follow is not None:  # the follow-up colours, legend and reports over the view
        text = status_overlay(text, follow, {r.id: r.iri for r in rows})
    return text, drawn


def page(g: "Graph | Source", output: str | Path, view: str = "units", follow: "Progress | None" = None, **filters):
    """Write an interactive page (UTF-8, self-contained) and return (path, drawn graph).

    Args:
        follow: colour units and measures by where their tasks stand (see :func:`follow_up`).

    Raises:
        UnknownUnitError: ``unit=`` names no unit of the graph.
        OutputError: the file cannot be written.
    """
    filters = {k: v for k, v in filters.items() if v is not None}
    html_text, drawn = _page_html(g, view, follow=follow, **filters)
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


class Source:
    """Where a command reads from: a Turtle graph, the bundled plan, or a corpus store.

    Args:
        graph_path: a Turtle graph file; None for the bundled plan (unless ``store``).
        store: ``oxigraph:DIR`` — an on-disk corpus built with ``kepugraph build --store``.
        plan: with a store, one plan only (id, IRI, 文号 or title).
    """

    def __init__(self, graph_path: str | Path | None = None, store: str | None = None, plan: str | None = None):
        self.graph_path, self.plan = graph_path, plan
        self.corpus = None
        self._graph: Graph | None = None
        self._rows: list[MeasureRow] | None = None
        if store and store != "memory":
            self.corpus = Corpus(existing_store_dir(store))
        elif plan:
            raise KepugraphError("a plan is selected in a corpus store only", remedy="plan")

    @classmethod
    def of(cls, graph: Graph) -> "Source":
        """A source over a graph already in memory."""
        source = cls()
        source._graph = graph
        return source

    def close(self) -> None:
        if self.corpus is not None:
            self.corpus.close()

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def rows(self) -> list[MeasureRow]:
        if self._rows is None:
            self._rows = self.corpus.rows(self.plan) if self.corpus else measure_rows(self.graph())
        return self._rows

    def graph(self) -> Graph:
        """The rdflib graph (for a store: the selected plan, or every plan copied out)."""
        if self._graph is None:
            self._graph = self.corpus.graph(self.plan) if self.corpus else load(self.graph_path)
        return self._graph

    def kinds(self) -> dict[str, str]:
        if self.corpus:
            rows = self.corpus.oxi.select("""PREFIX kp: <https://w3id.org/kepugraph#>
                PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
                SELECT DISTINCT ?label ?kind WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; kp:kind ?kind }""")
            return {r["label"]: KINDS.get(r["kind"].rsplit("#", 1)[-1], "其他") for r in rows}
        return unit_kinds(self.graph())

    def aliases(self) -> dict[str, str]:
        """Other spellings of units filed under one name (skos:altLabel → skos:prefLabel)."""
        query = """PREFIX kp: <https://w3id.org/kepugraph#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?alias ?label WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; skos:altLabel ?alias }"""
        found = self.corpus.oxi.select(query) if self.corpus else rdflib_select(self.graph())(query)
        return {r["alias"]: r["label"] for r in found}

    def meta(self) -> dict[str, str]:
        """The plan's title, 文号 (doc_number) and date of issue, as far as the graph has them;
        for a whole corpus, ``corpus`` says how many plans."""
        if self.corpus and not self.plan:
            return {"corpus": self.title()}  # 3 份方案: no one title, 文号 or date
        meta = {"title": self.title()}
        g = self.graph()
        plan = next(g.subjects(RDF.type, KP.Plan), None)
        for key, prop in (("doc_number", KP.docNumber), ("date", DCTERMS.issued)):
            value = g.value(plan, prop) if plan is not None else None
            if value is not None:
                meta[key] = str(value)
        return meta

    def title(self) -> str:
        if self.corpus and not self.plan:
            return f"{len(self.corpus.plans())} 份方案"
        g = self.graph()
        plan = next(g.subjects(RDF.type, KP.Plan), None)
        return str(g.value(plan, DCTERMS.title) or "") if plan is not None else ""


# ---------------------------------------------------------------- follow-up (督办)

def read_reviewed(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The plan of a review workbook as corrected by hand (see :func:`review`).

    Raises:
        SourceError: the file is too large, unreadable, or not a review workbook.
        SheetError: a cell that cannot be taken, with file, sheet and row.
    """
    p = Path(path)
    if p.stat().st_size > max_bytes:
        raise SourceError(p, f"larger than {max_bytes} bytes")
    return read_review(p, targets_of=lambda text: find_targets(text, 0, len(text)))


def review(path: str | Path | None, output: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Plan, Path]:
    """Write the review workbook (任务审核表) of a plan: one editable row per measure, read
    back exactly by :func:`build` (``kepugraph build reviewed.xlsx``).

    Raises:
        SourceError, ParseError: bad input; nothing is written.
        OutputError: ``output`` cannot be written.
    """
    plan = parse(path, max_bytes=max_bytes)
    return plan, write_review(plan, output)


def progress_sheets(source: Source, out_dir: str | Path, round_: str, fmt: str = "xlsx") -> list[Path]:
    """Write each unit's progress sheet (任务进展表) for the round ``round_`` into ``out_dir``.

    Raises:
        OutputError: the folder cannot be written; no sheet is written.
    """
    return write_progress_sheets(source.rows(), out_dir, round_, fmt=fmt, meta=source.meta())


@dataclass
class ImportResult:
    graph: Path
    files: int
    sheets: int
    reports: int  # reports read from the files
    new: int  # reports the graph did not hold before

    def summary(self) -> str:
        return (f"{self.files} files, {self.sheets} sheets: {self.reports} reports, {self.new} new "
                f"→ {self.graph}")


def import_progress(graph: str | Path, files, today: dt.date | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """Read the progress sheets units returned and add their reports to the plan's graph.

    Every file is read and checked before the graph changes: one bad cell and nothing is
    added. A report already in the graph (the same file imported again) adds nothing.

    Args:
        graph: the plan's Turtle graph (built by :func:`build`); rewritten atomically.
        today: the year a date without one (6月底前) is read in; default: today.

    Raises:
        GraphError: the graph cannot be loaded.
        SourceError, SheetError: a file that cannot be read, or a cell that cannot be taken,
            named with file, sheet and row.
        ValidationError: the reports break the shapes of ``data/shapes.ttl``.
    """
    today = today or dt.date.today()
    g = load_graph(graph)
    plan_rows_ = measure_rows(g)
    reports, sheets = [], 0
    for f in files:
        for sheet in read_returned(f, max_bytes=max_bytes):
            sheets += 1
            reports += sheet_reports(sheet, plan_rows_, today)
    new = add_reports(g, reports)
    for triple in due_date_triples(plan_rows_, _plan_year(Source.of(g))):
        g.add(triple)  # the deadlines as days, for the overdue query
    violations = validate(g)
    if violations:
        raise ValidationError(str(graph), [str(v) for v in violations])
    if new:
        write_atomic(graph, serialize(g))
    return ImportResult(Path(graph), len(files), sheets, len(reports), new)


def follow_up(source: Source, today: dt.date | None = None, within: int = 3, round_: str | None = None) -> Progress:
    """Where every task of the plan stands on ``today`` (see :func:`kepugraph.analysis.progress.progress`)."""
    today = today or dt.date.today()
    return progress(source.rows(), graph_reports(source.graph()), today, within=within, round=round_,
                    year=_plan_year(source) or today.year)


def _plan_year(source: Source) -> int | None:
    """The year of the plan's date: 6月份 in a plan of 2017 is June 2017."""
    issued = source.meta().get("date") or ""
    return int(issued[:4]) if issued[:4].isdigit() else None


def notice(p: Progress, output: str | Path, title: str = "", within: int = 3) -> Path:
    """Write the notice (情况通报) of ``p`` as .xlsx or .docx."""
    return write_notice(p, output, title=title, within=within)
