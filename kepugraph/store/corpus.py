"""Many plans in one Oxigraph store: one named graph per plan, links across plans and levels.

A build parses files on every core, bulk-loads each plan into its own named graph
(replacing that graph only; the lean corpus profile of :func:`kepugraph.rdf.plan_triples`,
in which each unit is tied to the body type it shares with its counterparts at other
levels: 区科协, 市科协, 省科协 → 科协), skips a source whose bytes were loaded before,
then recomputes the links of the plans it touched, each in a graph of its own: which
plan implements which (a preamble's 《…》 title that is a plan of the corpus) and each
measure aligned with the most similar measure of the plan it implements.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SKOS

from kepugraph.errors import StoreError
from kepugraph.names import closest, unit_kind
from kepugraph.rdf.iris import slug
from kepugraph.rdf.namespace import ID, KP
from kepugraph.rdf.rows import PREFIXES, digest_rows, measure_rows
from kepugraph.rdf.triples import ntriples, vocabulary_triples
from kepugraph.reading.textnorm import compact
from kepugraph.store import totals
from kepugraph.store.cascade import cascade
from kepugraph.store.graphs import LINKS_DONE, VOCABULARY, links_graph
from kepugraph.store.links import AlignTexts, Links, SpillError, plan_links, relink, write_links
from kepugraph.store.oxigraph import OxigraphStore, from_ox
from kepugraph.store.parsed import Clock, Owners, Parsed, bounded_map, claim, parse_many, parse_one, parsed_from, pooled  # noqa: F401 (Parsed, parsed_from: used by workspace.py)
from kepugraph.store.sources import changed
from kepugraph.store.writer import BuildReport, Writer
from kepugraph.vocab import KINDS

#: Up to this many sources a build looks up what the store holds of each; more, all at once.
_FEW = 200
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


class Corpus:
    """An Oxigraph store holding many plans."""

    def __init__(self, store_dir: str | Path):
        self.oxi = OxigraphStore(store_dir)
        self.store = self.oxi.store

    @classmethod
    def over(cls, oxi) -> "Corpus":
        """A corpus view of a store that is open already (it stays open after use)."""
        corpus = cls.__new__(cls)
        corpus.oxi, corpus.store = oxi, oxi.store
        return corpus

    def close(self) -> None:
        self.oxi.close()
        self.store = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plans ------------------------------------------------------------------------------
    def plans(self) -> list[dict[str, str]]:
        """Every plan: its IRI, id, title, source hash, file and 文号, by title."""
        # the plans and titles by one query, then each other field straight from its index:
        # one query with three OPTIONALs took 4 times as long (0.9 s on 3,000 plans)
        rows = self.oxi.select("""
            PREFIX kp: <https://w3id.org/kepugraph#> PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?plan ?title WHERE { GRAPH ?plan { ?plan a kp:Plan ; dcterms:title ?title } }""")
        by_plan = {r["plan"]: r for r in rows}
        for key, prop in (("hash", KP.sourceHash), ("file", KP.sourceFile), ("doc_number", KP.docNumber)):
            for q in self.store.quads_for_pattern(None, ox.NamedNode(str(prop)), None, None):
                r = by_plan.get(q.subject.value)
                if r is not None and q.graph_name == q.subject and key not in r:
                    r[key] = q.object.value
        for r in rows:
            r["id"] = r["plan"][len(str(ID)):]
        return sorted(rows, key=lambda r: (r["title"], r["plan"]))

    def _has_plans(self) -> bool:
        return next(self.store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(str(KP.Plan)), None), None) is not None

    def resolve_plan(self, plan_id: str) -> str:
        """The IRI of a plan given by id (slug), IRI, 文号, title or the name of the file it was
        built from (with or without its suffix).

        Raises:
            StoreError: no plan matches; the message names the closest ids ("did you mean").
        """
        quick = self._quick_plan(plan_id)
        if quick:
            return quick
        plans = self.plans()
        for r in plans:
            file = r.get("file", "")
            if plan_id in (r["plan"], r["id"], r["title"], file, Path(file).stem) or slug(plan_id) == r["id"]:
                return r["plan"]
        near = closest(plan_id, [r["id"] for r in plans]) or closest(plan_id, [r["title"] for r in plans])
        raise StoreError(self.oxi.name, f"no plan {plan_id!r} in the store" +
                         (f"; did you mean {'、'.join(near)}?" if near else
                          f"; its plans: {'、'.join(r['id'] for r in plans)}" if plans else ""))

    def _quick_plan(self, plan_id: str) -> str | None:
        """The plan an IRI, id, 文号 or title names, found in the indexes without listing every plan."""
        for iri in (plan_id, f"{ID}{plan_id}", f"{ID}{slug(plan_id)}"):
            if iri.startswith(("http://", "https://")) and self._title(iri) is not None:
                return iri
        for q in self.store.quads_for_pattern(None, _TITLE, ox.Literal(plan_id, language="zh"), None):
            if q.subject == q.graph_name and self._title(q.subject.value) is not None:
                return q.subject.value
        return None

    def _title(self, iri: str) -> str | None:
        """A plan's title, or None when ``iri`` is no plan of the store."""
        node = ox.NamedNode(iri)
        if next(self.store.quads_for_pattern(node, _RDF_TYPE, ox.NamedNode(str(KP.Plan)), node), None) is None:
            return None
        return next((q.object.value for q in self.store.quads_for_pattern(node, _TITLE, None, node)), "")

    def remove(self, plan_id: str) -> str:
        iri = self.resolve_plan(plan_id)
        title = compact(self._title(iri) or "")
        before = totals.tallies_in(self.store, [iri])
        for name in (iri, links_graph(iri)):
            if self.store.contains_named_graph(ox.NamedNode(name)):
                self.store.remove_graph(ox.NamedNode(name))
        totals.update(self.store, before, {})
        self.link({}, gone={title}, removed={iri})
        return iri

    # -- building -----------------------------------------------------------------------------
    def build(self, paths: Sequence[Path], workers: int | None = None,
              progress: Callable[[Parsed | str], None] | None = None,
              aliases: dict[str, str] | None = None, max_bytes: int | None = None,
              stage: Callable[[str], None] | None = None) -> BuildReport:
        """Parse and load ``paths``; unchanged sources (same hash) are skipped.

        Args:
            progress: called with each plan parsed (or the path of one skipped).
            stage: called with what the build does once every plan is parsed.
            aliases: name → canonical name for every plan; a build with aliases
                parses every source again, since the names filed may change.
            max_bytes: refuse larger files (see :func:`kepugraph.read.read_source`).
        """
        try:
            return self._build(paths, workers, progress, aliases, max_bytes, stage)
        except SpillError as exc:  # the plans parsed wait in temporary files until they are loaded
            raise StoreError(self.oxi.name, f"{exc}; build again once there is room there (or with TMPDIR set "
                                            "to a folder that has it)") from None
        except OSError as exc:  # RocksDB's words for a full disk or a file size limit, in one line
            text = str(exc).strip().splitlines()
            raise StoreError(self.oxi.name, f"cannot write the store: {text[0][:200] if text else exc}; the plans "
                                            "of earlier builds stay, build again once there is room") from None

    def _build(self, paths: Sequence[Path], workers: int | None, progress: Callable[[Parsed | str], None] | None,
               aliases: dict[str, str] | None, max_bytes: int | None,
               stage: Callable[[str], None] | None) -> BuildReport:
        report = BuildReport()
        clock = Clock(report.timings)
        with clock("hashing"):
            todo = changed(paths, report, self._known, progress, rehash=bool(aliases), max_bytes=max_bytes)
        # asked before anything is loaded: a store whose links were complete (or an empty one)
        # needs the links of the new plans only, from what was just parsed; its mark goes
        # first, so that a build broken off while loading is relinked whole next time
        complete, fresh = self.links_complete(), not self._has_plans()
        if todo:
            self._unmark()
        workers = workers or min(len(todo), os.cpu_count() or 1) or 1
        parse = partial(parse_one, aliases=aliases, max_bytes=max_bytes)
        pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(todo) > 1 else None
        writer = Writer(self.store, report, partial(self._finish, alone=fresh), None if fresh else self._replace,
                        prepare=self._summed)
        links = None
        texts = AlignTexts()  # each plan's alignment texts, out of memory until its links are computed
        try:
            try:
                chunk = max(1, min(16, len(todo) // (workers * 8)))
                results: Iterable[Parsed] = bounded_map(pool, partial(parse_many, parse), todo, chunk, workers * 4) \
                    if pool else map(parse, todo)
                owners = self._owners(lookup_each=len(todo) <= _FEW)
                for parsed in results:
                    claim(parsed, owners)
                    if parsed.error:
                        report.failed.append(parsed)
                    else:
                        texts.put(parsed.iri, parsed.align)
                        parsed.align = []
                        parsed.stems = [sys.intern(s) for s in parsed.stems]  # a few dozen body types, shared
                        writer.add(parsed)
                    for name, took in zip(("reading", "parsing", "triples"), parsed.seconds):
                        report.timings[name] = report.timings.get(name, 0.0) + took
                    if progress:
                        progress(parsed)
                if writer.waiting and stage:
                    stage("loading")
                if writer.streams and writer.added:  # a first build: its links and vocabulary join the load
                    links = self._links(writer, complete, fresh, texts, pool, workers, stage, clock, into=writer)
                    writer.write(self._vocabulary(writer.added, graph=VOCABULARY))
                writer.flush()
                if links is None:  # computed from what was parsed, while the plans are written
                    links = self._links(writer, complete, fresh, texts, pool, workers, stage, clock)
                writer.close()
            finally:
                texts.close()
                if pool is not None:  # broken off (Ctrl-C, SIGTERM): chunks not started are dropped
                    pool.shutdown(cancel_futures=True)
                writer.shutdown()
            if report.loaded or not complete:
                if stage and links is None:
                    stage("linking")
                with clock("writing the links"):
                    if report.loaded and not writer.streams:
                        self.store.bulk_load(self._vocabulary(report.loaded), ox.RdfFormat.N_TRIPLES,
                                             to_graph=ox.NamedNode(VOCABULARY))
                    # links left unfinished (a build killed while linking): every plan's links again
                    self.link(None if not complete else {p.iri: p for p in report.loaded}, links=links)
        finally:
            if links is not None and links.quads is not None:  # written or broken off: its temporary file goes now
                links.quads.close()
        return report

    def _links(self, writer: Writer, complete: bool, fresh: bool, texts: AlignTexts, pool, workers: int,
               stage: Callable[[str], None] | None, clock: Clock, into=None) -> Links | None:
        """The links of the plans a build parsed, from what was parsed (on the pool), when the
        store's links were complete before it (else every plan is relinked afterwards)."""
        if not (complete and writer.added):
            return None
        if stage:
            stage("linking")
        with clock("links"):
            return plan_links(self.oxi, {p.iri: p for p in writer.added}, fresh=fresh, texts=texts, into=into,
                              mapper=partial(pooled, pool, workers * 4) if pool else map)

    @staticmethod
    def _vocabulary(loaded: list[Parsed], graph: str | None = None) -> bytes:
        """The body types of the plans' units (N-Triples, or N-Quads in ``graph``)."""
        return ntriples(vocabulary_triples(s for p in loaded for s in p.stems), graph).encode("utf-8")

    def links_complete(self) -> bool:
        """Did the last linking of this store finish? (An empty store has nothing to link.)"""
        return self.store.contains_named_graph(ox.NamedNode(LINKS_DONE)) or not self._has_plans()

    def _owners(self, lookup_each: bool = False) -> dict[str, str]:
        """Plan IRI → the source file name it was built from, for the plans in the store: all
        of them at once, or (``lookup_each``, for a small build) each when a plan of that IRI comes."""
        if not lookup_each:
            rows = self.oxi.select("""PREFIX kp: <https://w3id.org/kepugraph#>
                SELECT ?plan ?file WHERE { GRAPH ?plan { ?plan kp:sourceFile ?file } }""")
            return {r["plan"]: r["file"] for r in rows}

        def lookup(iri: str) -> str | None:
            found = self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(KP.sourceFile)), None,
                                                 ox.NamedNode(iri))
            return next((q.object.value for q in found), None)

        return Owners(lookup)

    def _known(self, digests: list[str]) -> set[str]:
        """Which of these source hashes the store holds (a few asked one by one, many at once)."""
        prop = ox.NamedNode(str(KP.sourceHash))
        if len(digests) > _FEW:
            return {q.object.value for q in self.store.quads_for_pattern(None, prop, None, None)}
        return {d for d in digests if next(self.store.quads_for_pattern(None, prop, ox.Literal(d), None), None)}

    def _load(self, batch: list[Parsed], report: BuildReport) -> None:
        """Load plans parsed already, each replacing the plan of the same IRI (a build streams
        its plans instead, see :class:`~kepugraph.store.writer.Writer`)."""
        before = self._replace(batch)
        # our own N-Quads, valid by construction: the IRIs are not checked again
        self.store.bulk_load(b"".join(p.nquads for p in batch), ox.RdfFormat.N_QUADS, lenient=True)
        for p in batch:
            p.nquads = b""  # loaded: no need to hold it any longer
        self._finish(batch, report, {p.iri: p.tally for p in batch}, before)

    def _replace(self, batch: list[Parsed]) -> dict[str, dict | None]:
        """Remove the plans the batch replaces; their tallies, for the totals."""
        before = totals.tallies_in(self.store, [p.iri for p in batch])
        for parsed in batch:
            name = ox.NamedNode(parsed.iri)
            if self.store.contains_named_graph(name):
                self.store.remove_graph(name)
        return before

    @staticmethod
    def _summed(batch: list[Parsed], tallies: Mapping[str, dict | None]) -> dict | None:
        """The totals of a first build's plans, from what was parsed (see :func:`totals.summed`)."""
        return totals.summed(tallies, {p.iri: (p.sha256, p.catalog) for p in batch}) \
            if all(p.catalog for p in batch) else None

    def _finish(self, batch: list[Parsed], report: BuildReport, tallies: Mapping[str, dict | None],
                before: dict[str, dict | None], alone: bool = False, ready: dict | None = None) -> None:
        """Once the plans' triples are in: their source hashes (a plan counts as loaded from
        then on), and the totals updated (``alone``: the store held no plan before, see
        :func:`kepugraph.store.totals.update`)."""
        self.store.extend(ox.parse(b"".join(p.hash_quad for p in batch), ox.RdfFormat.N_QUADS))
        known = {p.iri: (p.sha256, p.catalog) for p in batch} if all(p.catalog for p in batch) else None
        totals.update(self.store, before, tallies, known=known, alone=alone, ready=ready)
        for p in batch:
            p.tally = None  # summed into the totals
        report.loaded.extend(batch)

    # -- links across plans -----------------------------------------------------------------------
    def _unmark(self) -> None:
        """Take away the mark that every link is written (see :meth:`link`)."""
        mark = ox.NamedNode(LINKS_DONE)
        if self.store.contains_named_graph(mark):
            self.store.remove_graph(mark)
            self.store.flush()

    def link(self, changed: dict[str, Parsed] | None = None, gone: set[str] = frozenset(),
             removed: set[str] = frozenset(), links: Links | None = None) -> dict[str, int]:
        """Recompute the links of the plans a build or removal touched (all when ``changed`` is None),
        or write ``links`` computed already; see :func:`kepugraph.store.links.plan_links`. A
        mark (a graph of its own) is taken away first and set again when all links are
        written, so an interrupted linking is seen and redone by the next build."""
        self._unmark()
        mark = ox.NamedNode(LINKS_DONE)
        counts = write_links(self.oxi, links) if links is not None else relink(self.oxi, changed or {}, gone, removed)
        self.store.add(ox.Quad(mark, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
                               ox.Literal("every link of the store written"), mark))
        self.store.flush()
        return counts

    def plan_summary(self) -> list[dict]:
        """Per plan: id, title, measure count and the corpus plans it implements."""
        counts = {r["plan"]: int(r["n"]) for r in self.oxi.select(PREFIXES + """
            SELECT ?plan (COUNT(?m) AS ?n) WHERE { GRAPH ?plan { ?m a kp:Measure } } GROUP BY ?plan""")}
        ups = defaultdict(list)
        for r in self.oxi.select(PREFIXES + "SELECT ?a ?b WHERE { ?a kp:implements ?b . ?b a kp:Plan }"):
            ups[r["a"]].append(r["b"])
        plans = self.plans()
        ids = {r["plan"]: r["id"] for r in plans}
        return [{"id": r["id"], "title": r["title"], "measures": counts.get(r["plan"], 0),
                 "implements": [ids.get(u, u) for u in sorted(ups.get(r["plan"], []))]} for r in plans]

    def cascade(self, query: str) -> list[tuple[int, dict]]:
        """The tree of aligned measures through ``query``'s measure (see :func:`kepugraph.store.cascade.cascade`)."""
        return cascade(self, query)

    # -- reading back ---------------------------------------------------------------------------------
    def rows(self, plan: str | None = None):
        """Measures with their units, for the whole corpus or one plan.

        Plans built into the corpus carry a digest of their rows (``kp:digest``), one
        value per plan; a store holding plans without one (pushed full graphs) is read
        triple by triple, which is much slower on large corpora.
        """
        iri = self.resolve_plan(plan) if plan else None
        scope = f"VALUES ?plan {{ <{iri}> }}" if iri else ""
        found = self.oxi.select(PREFIXES + f"""SELECT ?plan ?digest WHERE {{ {scope}
            GRAPH ?plan {{ ?plan a kp:Plan . OPTIONAL {{ ?plan kp:digest ?digest }} }} }}""")
        if found and all("digest" in r for r in found):
            rows = [row for r in found for row in digest_rows(r["plan"], r["digest"])]
        else:
            rows = measure_rows(select=self.oxi.select)
            if iri:
                rows = [r for r in rows if r.plan == iri]
        return sorted(rows, key=lambda r: (r.plan, r.ordinal))

    def aliases(self) -> dict[str, str]:
        """Other spellings of units filed under one name (skos:altLabel → skos:prefLabel), found
        from the few other spellings rather than from every unit of every plan."""
        alt, pref = ox.NamedNode(str(SKOS.altLabel)), ox.NamedNode(str(SKOS.prefLabel))
        unit, found = ox.NamedNode(str(KP.Unit)), {}
        for q in self.store.quads_for_pattern(None, alt, None, None):
            if next(self.store.quads_for_pattern(q.subject, _RDF_TYPE, unit, None), None) is not None:
                for label in self.store.quads_for_pattern(q.subject, pref, None, None):
                    found[q.object.value] = label.object.value
        return found

    def kinds(self, names: Iterable[str]) -> dict[str, str]:
        """Unit name → kind label (党委部门, 政府部门 …) for these unit names of the corpus's rows.

        A corpus unit's ``kp:kind`` is minted from its (canonical) name when it is built, so
        the name gives it again; reading it back from every unit took seconds a thousand plans
        (75,000 units for 3,000 plans, deduplicated across graphs)."""
        return {n: KINDS.get(unit_kind(n), "其他") for n in dict.fromkeys(names)}

    def graph(self, plan: str | None = None):
        """An rdflib graph of one plan (or of everything) copied out of the store."""
        g = Graph()
        if plan:
            names = [ox.NamedNode(self.resolve_plan(plan))]
        else:
            names = [ox.NamedNode(r["plan"]) for r in self.plans()]
        for name in names:
            for q in self.store.quads_for_pattern(None, None, None, name):
                g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        return g
