"""The workspace: the one store the plans a user builds go into, and every command answers from.

By default it is an Oxigraph store in ``graph/store`` (beside the Turtle graphs and pages that
``kepugraph build`` writes into ``graph/``); ``KEPUGRAPH_STORE=oxigraph:DIR`` (or a bare DIR)
puts it elsewhere. It is a corpus store (:class:`~kepugraph.store.corpus.Corpus`) with one
difference: a plan's copies are one plan. Its identity comes from its content
(:func:`~kepugraph.rdf.iris.plan_key`), so building its ``.txt`` after its ``.docx`` replaces
the plan, and says so, where a corpus build refuses the second file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kepugraph.errors import KepugraphError, OutputError
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.triples import ntriples, vocabulary_triples
from kepugraph.rdf.turtle import load_graph
from kepugraph.store import buildable_store_dir
from kepugraph.store.corpus import BuildReport, Corpus, Parsed, parsed_from
from kepugraph.store.graphs import VOCABULARY
from kepugraph.store.oxigraph import oxigraph_dir

#: The environment variable that moves the workspace (a store spec ``oxigraph:DIR`` or a folder).
ENV = "KEPUGRAPH_STORE"
#: The folder graphs are built into by default; the workspace store sits inside it.
DEFAULT_FOLDER = "graph"
STORE_FOLDER = "store"


def workspace_spec(folder: str | Path | None = None) -> str:
    """The workspace's store spec: ``$KEPUGRAPH_STORE`` when set, else ``oxigraph:FOLDER/store``
    (FOLDER: where ``build`` writes, ``graph`` by default).

    >>> workspace_spec("out") if ENV not in os.environ else "oxigraph:out/store"
    'oxigraph:out/store'
    """
    env = os.environ.get(ENV, "").strip()
    if env:
        return env if env.startswith("oxigraph:") else f"oxigraph:{env}"
    return f"oxigraph:{Path(folder or DEFAULT_FOLDER) / STORE_FOLDER}"


def open_workspace(spec: str | None = None) -> Corpus:
    """Open the workspace store for a build, taking its lock: done before a build writes any
    file, so that a workspace in use or a folder of other files leaves nothing half-built.

    Raises:
        StoreError: the folder holds other files, or the store is in use.
        OutputError: the folder cannot be created.
    """
    folder = buildable_store_dir(spec or workspace_spec())
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder.parent, f"cannot write here: {exc.strerror or exc}") from None  # as write_all says
    return Corpus(folder)


def built_graph(store_dir: str | Path, iri: str, source_file: str, label: str) -> Graph:
    """The whole graph of a workspace plan, as its build wrote it (NAME.ttl beside the store, or
    in the default folder): the store keeps a lean copy, without spans and assignments.

    Raises:
        KepugraphError: no such file holds that plan (``remedy="build"``).
    """
    name = Path(source_file).stem + ".ttl" if source_file else ""
    places = [Path(store_dir).parent / name, Path(DEFAULT_FOLDER) / name] if name else []
    for place in places:
        if place.is_file():
            g = load_graph(place)
            if (URIRef(iri), RDF.type, KP.Plan) in g:
                return g
    again = f"kepugraph build {source_file}" if source_file else "kepugraph build FILE"
    raise KepugraphError(f"{label}: its built graph ({places[0] if places else 'no file'}) is missing or holds "
                         f"another plan; build it again ({again}) or name a graph with --graph", remedy="build")


def plan_graphs(corpus: Corpus | None, plans: list, graph: Callable[[], Graph]) -> list[tuple[object, Graph]]:
    """Each plan's whole graph: with a workspace ``corpus``, every one of ``plans`` (objects with
    ``iri``, ``file`` and ``label()``) from its built file (:func:`built_graph`); else ``graph()``,
    the one graph there is (a --graph file, or the sample), with its plan."""
    if corpus is None:
        return [(plans[0] if len(plans) == 1 else None, graph())]
    return [(p, built_graph(corpus.oxi.path, p.iri, p.file, p.label())) for p in plans]


def workspace_built(spec: str) -> bool:
    """Does the workspace hold a store at all (a folder with Oxigraph's files)? Nothing built
    yet is no error: commands then answer for the bundled sample."""
    folder = oxigraph_dir(spec)
    return folder.is_dir() and (folder / "CURRENT").is_file()


@dataclass
class Added:
    """One plan put into the workspace."""

    parsed: Parsed
    title: str
    replaced: str = ""  # the file of the same plan it replaced ("" when new or the same file)


@dataclass
class WorkspaceReport:
    added: list[Added] = field(default_factory=list)
    plans: int = 0  # plans in the workspace afterwards


def add_plans(corpus: Corpus, plans: list[tuple[object, str]], aliases: dict[str, str] | None = None
              ) -> WorkspaceReport:
    """Put parsed plans into the workspace ``corpus``, each replacing the plan of the same
    identity; two copies of one plan in ``plans`` give one plan (the later file wins).

    Args:
        plans: (Plan, source path) pairs, in the order given.
    """
    owners = corpus._owners()  # plan IRI → the file it was built from
    added: list[Added] = []
    last: dict[str, Parsed] = {}  # plan IRI → the copy that goes in
    for plan, path in plans:
        parsed = parsed_from(plan, str(path), aliases)
        name = Path(path).name
        before = Path(last[parsed.iri].path).name if parsed.iri in last else owners.get(parsed.iri, "")
        added.append(Added(parsed=parsed, title=plan.meta.title, replaced=before if before != name else ""))
        last[parsed.iri] = parsed
    _put(corpus, list(last.values()))
    return WorkspaceReport(added=added, plans=len(corpus.plans()))


def _put(corpus: Corpus, parsed: list[Parsed]) -> BuildReport:
    """Load plans parsed already, each replacing the plan of the same IRI (whatever file it came
    from), then relink them — :meth:`Corpus.build` without its reading, hashing and refusals."""
    report = BuildReport()
    corpus._load(parsed, report)
    vocabulary = ntriples(vocabulary_triples(s for p in report.loaded for s in p.stems))
    corpus.store.bulk_load(vocabulary.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(VOCABULARY))
    corpus.link({p.iri: p for p in report.loaded} if corpus.links_complete() else None)
    return report
