"""After the split: the review workbook, progress sheets and their reports, the follow-up and its notice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kepugraph.analysis.progress import ImportResult, Progress, plan_year, progress, read_reports, report_additions
from kepugraph.api.plans import parse
from kepugraph.api.source import Source
from kepugraph.errors import KepugraphError, ValidationError
from kepugraph.model import Plan
from kepugraph.outputs.files import write_atomic
from kepugraph.outputs.notice import write_notice
from kepugraph.outputs.progress import write_progress_sheets
from kepugraph.outputs.review import write_review
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.progress import add_reports, graph_reports, progress_graph
from kepugraph.rdf.shapes import validate
from kepugraph.rdf.turtle import load_graph, serialize
from kepugraph.reading.source import DEFAULT_MAX_BYTES
from kepugraph.store.progress import add_to_graph, with_reports


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
