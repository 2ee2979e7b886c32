"""Progress reports in a store: a plan's reports live in a named graph of their own beside the
plan's (see :func:`kepugraph.rdf.progress.progress_graph`), added to, never replaced."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kepugraph.rdf.progress import progress_graph
from kepugraph.store.corpus import Corpus
from kepugraph.store.oxigraph import from_ox


def named_graph(corpus: Corpus, name: str) -> Graph:
    """The triples of one named graph, copied out (empty when the store has no such graph)."""
    g = Graph()
    for q in corpus.store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def add_to_graph(corpus: Corpus, name: str, g: Graph, count: URIRef) -> int:
    """Add ``g`` to the named graph ``name``; returns how many subjects of type ``count`` are new."""
    before = named_graph(corpus, name)
    new = sum(1 for s in set(g.subjects(RDF.type, count)) if (s, RDF.type, count) not in before)
    graph = ox.NamedNode(name)
    corpus.store.bulk_load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=graph)
    corpus.store.flush()
    return new


def with_reports(corpus: Corpus, plans, g: Graph) -> Graph:
    """``g`` (plans copied out of ``corpus``) with the reports the store keeps on ``plans`` (IRIs)."""
    out = Graph()
    for triple in g:
        out.add(triple)
    for plan in plans:
        for triple in named_graph(corpus, progress_graph(plan)):
            out.add(triple)
    return out
