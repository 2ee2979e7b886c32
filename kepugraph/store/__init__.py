"""Where graphs live and queries run: one :class:`Store` protocol, one :func:`open_store`.

A store spec names one of:

* ``memory`` — one plan's rdflib graph, queried with rdflib's engine;
* ``oxigraph:DIR`` — an on-disk corpus built by :class:`~kepugraph.store.corpus.Corpus`,
  each plan in its own named graph;
* an endpoint URL (given apart) — any SPARQL 1.1 endpoint over HTTP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from rdflib import Graph

from kepugraph.errors import KepugraphError, StoreError
from kepugraph.sparql.results import Limits, Result
from kepugraph.store.corpus import Corpus
from kepugraph.store.endpoint import (
    PASSWORD_ENV,
    Credentials,
    EndpointStore,
    credentials,
    push,
    push_store,
    store_url_for,
)
from kepugraph.store.memory import MemoryStore
from kepugraph.store.oxigraph import OxigraphStore, oxigraph_dir

__all__ = ["Store", "open_store", "buildable_store_dir", "MemoryStore", "OxigraphStore", "EndpointStore", "Corpus",
           "oxigraph_dir", "push", "push_store", "store_url_for", "existing_store_dir", "credentials", "Credentials",
           "PASSWORD_ENV"]


class Store(Protocol):
    """What every store offers; each is a context manager that closes itself."""

    name: str
    engine: str  # picks a named query's variant written for this engine
    # a store with ``binds = True`` takes parameters as ``query(..., bindings={name: term})``
    # and its engine binds them; the others get them in the text (see kepugraph.sparql.bind)

    def query(self, text: str, form: str, limits: Limits = ...) -> Result: ...

    def select(self, text: str) -> list[dict[str, str]]: ...

    def close(self) -> None: ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc) -> None: ...


def existing_store_dir(spec: str) -> Path:
    """The folder of an ``oxigraph:DIR`` spec that holds a built store.

    Raises:
        StoreError: the spec is malformed, or the folder holds no store (``remedy="build"``).
    """
    folder = oxigraph_dir(spec)
    if not folder.is_dir() or not any(folder.iterdir()):
        raise StoreError(spec, "no store here", remedy="build")
    return folder


def buildable_store_dir(spec: str) -> Path:
    """The folder of an ``oxigraph:DIR`` spec a corpus may be built in: absent, empty, or
    a store already (RocksDB's CURRENT file) — never a folder of other files.

    Raises:
        StoreError: the folder holds other files, or is a file.
    """
    folder = oxigraph_dir(spec)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir()) and not (folder / "CURRENT").is_file()):
        raise StoreError(spec, "not an empty folder nor a store: a store goes in a folder of its own")
    return folder


def open_store(spec: str = "memory", graph: Graph | None = None, plan: str | None = None,
               endpoint: str | None = None) -> Store:
    """Open the store a spec names (see the module's text).

    Args:
        spec: ``memory`` or ``oxigraph:DIR``.
        graph: with ``memory``, the graph to query.
        plan: with ``oxigraph:DIR``, restrict queries to one plan (id, IRI, 文号 or title).
        endpoint: a SPARQL endpoint URL; ``spec`` is then ignored.

    Raises:
        StoreError: an empty or missing Oxigraph folder, an unusable endpoint URL.
        KepugraphError: a plan asked of a store that does not keep plans apart.
    """
    if plan and (endpoint or not spec.startswith("oxigraph:")):
        raise KepugraphError("a plan is selected in a corpus store only", remedy="plan")
    if endpoint:
        return EndpointStore(endpoint)
    if spec == "memory":
        if graph is None:
            raise KepugraphError("a memory store needs a graph")
        return MemoryStore(graph)
    if not spec.startswith("oxigraph:"):
        raise StoreError(spec, "a store is memory or oxigraph:DIR")
    ox = OxigraphStore(existing_store_dir(spec))
    try:
        if plan:
            ox.plan_graph = Corpus.over(ox).resolve_plan(plan)
    except BaseException:
        ox.close()
        raise
    return ox
