"""The Python API in a few calls: parse a plan, build its graph, load a graph, open a store.

>>> from kepugraph import api
>>> plan = api.parse()                       # the bundled reference plan
>>> len(plan.measures), plan.meta.doc_number
(31, '泰山政办字〔2022〕7号')
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kepugraph.analysis import find_unit, unit_kinds
from kepugraph.analysis.progress import ImportResult, Progress, plan_year, progress, read_reports, report_additions
from kepugraph.errors import KepugraphError, SourceError, ValidationError
from kepugraph.extraction.parser import parse_file
from kepugraph.extraction.targets import find_targets
from kepugraph.model import Plan
from kepugraph.outputs.files import write_all, write_atomic
from kepugraph.outputs.notice import write_notice
from kepugraph.outputs.pages import page_html
from kepugraph.outputs.progress import write_progress_sheets
from kepugraph.outputs.review import write_review
from kepugraph.outputs.scope import PlanInfo, Scope
from kepugraph.outputs.status import status_overlay
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.progress import add_reports, carry_reports, graph_reports, progress_graph
from kepugraph.rdf.rows import MeasureRow, measure_rows, rdflib_select
from kepugraph.rdf.shapes import validate
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.rdf.turtle import load_graph, serialize
from kepugraph.reading.review import is_review_workbook, read_review
from kepugraph.reading.source import BUNDLED_PLAN, DEFAULT_MAX_BYTES
from kepugraph.store import Corpus, Store, buildable_store_dir, existing_store_dir
from kepugraph.store import open_store as open_spec
from kepugraph.store import totals as corpus_totals
from kepugraph.store.progress import add_to_graph, with_reports
from kepugraph.store.workspace import WorkspaceReport, add_plans, workspace_built, workspace_spec


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
    """Where a command reads from: a Turtle graph, a store, the workspace, or the sample.

    With neither a graph nor a store, the workspace (``graph/store``, or ``$KEPUGRAPH_STORE``)
    answers when a plan has been built into it; else the bundled plan answers as the sample
    (:attr:`sample`), and every output says so.

    Args:
        graph_path: a Turtle graph file.
        store: ``oxigraph:DIR`` — a corpus store or a workspace.
        plan: with a store or the workspace, one plan only (id, 文号, title or file name).
        workspace: look in the workspace when no graph or store is given.
    """

    def __init__(self, graph_path: str | Path | None = None, store: str | None = None, plan: str | None = None,
                 workspace: bool = True):
        self.graph_path, self.plan = graph_path, plan
        self.corpus = None
        self.sample = False
        self.where = str(graph_path or "")
        self._graph: Graph | None = None
        self._rows: list[MeasureRow] | None = None
        self._totals: dict | None = None
        self._plan_rows: list[dict[str, str]] | None = None
        self._scope: Scope | None = None
        if graph_path:
            if plan:
                raise KepugraphError("--plan picks a plan of the workspace or a store, not of a --graph file",
                                     remedy="plan")
            return
        if store and store != "memory":
            self.corpus, self.where = Corpus(existing_store_dir(store)), store
        elif workspace and store != "memory" and workspace_built(workspace_spec()):
            self.where = workspace_spec()
            self.corpus = Corpus(existing_store_dir(self.where))
            if not self.corpus.plans():  # every plan removed: as if nothing were built
                self.corpus.close()
                self.corpus = None
        if self.corpus is None:
            if plan:
                raise KepugraphError(f"--plan {plan}: no plan has been built yet (the workspace "
                                     f"{workspace_spec()} is empty); build one with 'kepugraph build FILE'")
            self.sample = workspace
        elif plan:
            self.plan = self.corpus.resolve_plan(plan)

    @classmethod
    def of(cls, graph: Graph) -> "Source":
        """A source over a graph already in memory."""
        source = cls(workspace=False)
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

    def _plans(self) -> list[dict[str, str]]:
        """The corpus's plans (:meth:`Corpus.plans`), listed once."""
        if self._plan_rows is None:
            self._plan_rows = self.corpus.plans()
        return self._plan_rows

    def totals(self) -> dict | None:
        """The corpus totals (see :mod:`kepugraph.store.totals`) when they answer for every plan
        of this source: a corpus store without --plan whose totals cover the plans it holds."""
        if self.corpus is None or self.plan:
            return None
        if self._totals is None:
            self._totals = corpus_totals.usable(self.corpus.store) or {}
            if self._totals and self._plan_rows is None:  # the plans listed with the totals
                self._plan_rows = corpus_totals.plan_list(self._totals)
        return self._totals or None

    def rows_naming(self, unit: str) -> list[MeasureRow]:
        """The measures naming ``unit`` (a name of the rows), reading only the plans that name it
        when the source is a corpus store whose totals answer."""
        if self._rows is None and self.totals() is not None:
            return corpus_totals.rows_naming(self.corpus.store, unit)
        return [r for r in self.rows() if any(n == unit for n, _ in r.units)]

    def graph(self) -> Graph:
        """The rdflib graph (for a store: the selected plan, or every plan copied out)."""
        if self._graph is None:
            self._graph = self.corpus.graph(self.plan) if self.corpus else load(self.graph_path)
        return self._graph

    def scope(self) -> Scope:
        """The plans the answers are for (named in every output)."""
        if self._scope is None:
            if self.corpus:
                infos = [PlanInfo(r["plan"], r["title"], r.get("doc_number", ""), r.get("file", ""))
                         for r in self._plans()]
                plans = [p for p in infos if not self.plan or p.iri == self.plan]
            else:
                g = self.graph()
                plans = [PlanInfo(str(p), str(g.value(p, DCTERMS.title) or ""), str(g.value(p, KP.docNumber) or ""),
                                  str(g.value(p, KP.sourceFile) or "")) for p in sorted(g.subjects(RDF.type, KP.Plan))]
                if not plans and self.graph_path:  # a graph with no kp:Plan: named by its file
                    plans = [PlanInfo("", "", file=Path(self.graph_path).name)]
            self._scope = Scope(plans, sample=self.sample)
        return self._scope

    def kinds(self) -> dict[str, str]:
        if self.corpus:  # from the names of the rows read already (see Corpus.kinds)
            return self.corpus.kinds(n for r in self.rows() for n, _ in r.units)
        return unit_kinds(self.graph())

    def aliases(self) -> dict[str, str]:
        """Other spellings of units filed under one name (skos:altLabel → skos:prefLabel)."""
        if self.corpus:
            return self.corpus.aliases()
        query = """PREFIX kp: <https://w3id.org/kepugraph#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?alias ?label WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; skos:altLabel ?alias }"""
        found = rdflib_select(self.graph())(query)
        return {r["alias"]: r["label"] for r in found}

    def meta(self) -> dict[str, str]:
        """The plan's title, 文号 (doc_number) and date of issue, as far as the graph has them;
        for several plans, ``corpus`` names them; ``sample`` when the bundled plan answers."""
        scope = self.scope()
        if scope.several:
            return {"corpus": scope.line()}  # no one title, 文号 or date
        meta = {"title": self.title()}
        if self.sample:
            meta["sample"] = "示例方案"
        g = self.graph()
        plan = next(g.subjects(RDF.type, KP.Plan), None)
        for key, prop in (("doc_number", KP.docNumber), ("date", DCTERMS.issued)):
            value = g.value(plan, prop) if plan is not None else None
            if value is not None:
                meta[key] = str(value)
        return meta

    def title(self) -> str:
        scope = self.scope()
        if scope.several:
            return f"{len(scope.plans)} 份方案"
        return scope.plans[0].title if scope.plans else ""


# -- follow-up (督办) --

def read_reviewed(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The plan of a review workbook as corrected by hand (see :func:`review`). Raises
    SourceError (too large, unreadable, not one) or SheetError (file, sheet and row)."""
    p = Path(path)
    if p.stat().st_size > max_bytes:
        raise SourceError(p, f"larger than {max_bytes} bytes")
    return read_review(p, targets_of=lambda text: find_targets(text, 0, len(text)))


def review(path: str | Path | None, output: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Plan, Path]:
    """Write the review workbook (任务审核表) of a plan: one editable row per measure, read
    back exactly by :func:`build`. Raises SourceError, ParseError (nothing written), OutputError."""
    plan = parse(path, max_bytes=max_bytes)
    return plan, write_review(plan, output)


def progress_sheets(source: Source, out_dir: str | Path, round_: str, fmt: str = "xlsx") -> list[Path]:
    """Write each unit's progress sheet (任务进展表) for the round ``round_`` into ``out_dir``
    (all or none: OutputError)."""
    return write_progress_sheets(source.rows(), out_dir, round_, fmt=fmt, meta=source.meta())


def import_progress(files, graph: str | Path | None = None, store: str | None = None, plan: str | None = None,
                    today: dt.date | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ImportResult:
    """Add the reports of returned progress sheets to the plan: to the Turtle ``graph``
    (rewritten atomically), else to the workspace's plan (or ``store``'s; ``plan`` picks one),
    in a named graph beside the plan's. Every file is checked before anything changes; a
    report already there adds nothing. ``today`` gives the year of 6月底前 (default: today).

    Raises:
        GraphError, SourceError; SheetError (file, sheet, row); ValidationError;
        KepugraphError: nothing built yet, or several plans and no ``plan``.
    """
    today = today or dt.date.today()
    with Source.of(load_graph(graph)) if graph is not None else Source(None, store, plan) as source:
        where, scope = str(graph) if graph is not None else source.where, source.scope()
        if source.sample or scope.several:
            raise KepugraphError("no plan has been built yet: build one with 'kepugraph build FILE', or give the graph "
                                 "the sheets belong to with --graph FILE.ttl" if source.sample else
                                 f"{where} holds {len(scope.plans)} plans: pick the one the sheets belong to with --plan ID")
        reports, sheets = read_reports(files, source.rows(), today, max_bytes)
        added = report_additions(reports, source.rows(), plan_year(source.meta()))
        violations = validate(added)  # the plan's own graph was checked when built
        if violations:
            raise ValidationError(where, [str(v) for v in violations])
        if graph is None:
            new = add_to_graph(source.corpus, progress_graph(scope.plans[0].iri), added, KP.ProgressReport)
        else:
            g = source.graph()
            before, new = len(g), add_reports(g, reports)
            g += added
            if len(g) != before:  # a file imported again changes nothing, not even the file's date
                write_atomic(graph, serialize(g))
    return ImportResult(where, len(files), sheets, len(reports), new)


def follow_up(source: Source, today: dt.date | None = None, within: int = 3, round_: str | None = None) -> Progress:
    """Where every task of the plan stands on ``today`` (see :func:`kepugraph.analysis.progress.progress`)."""
    today, g = today or dt.date.today(), source.graph()
    if source.corpus is not None:  # a store keeps the reports in a graph of their own
        g = with_reports(source.corpus, [p.iri for p in source.scope().plans], g)
    return progress(source.rows(), graph_reports(g), today, within=within, round=round_,
                    year=plan_year(source.meta()) or today.year)


def notice(p: Progress, output: str | Path, title: str = "", within: int = 3) -> Path:
    """Write the notice (情况通报) of ``p`` as .xlsx or .docx."""
    return write_notice(p, output, title=title, within=within)
