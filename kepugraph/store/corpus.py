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

import hashlib
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pyoxigraph as ox
from rdflib import Graph

from kepugraph.errors import KepugraphError, StoreError
from kepugraph.extraction.aliases import canonical
from kepugraph.extraction.parser import parse_file
from kepugraph.extraction.units import closest, level_and_stem
from kepugraph.rdf.iris import measure_iri, plan_iri, slug
from kepugraph.rdf.namespace import ID, KP
from kepugraph.rdf.rows import PREFIXES, digest_rows, measure_rows
from kepugraph.rdf.triples import ntriples, plan_ntriples, vocabulary_triples
from kepugraph.reading.textnorm import compact
from kepugraph.store.graphs import LINKS_DONE, VOCABULARY, links_graph
from kepugraph.store.links import alignment_text, relink
from kepugraph.store.oxigraph import OxigraphStore, from_ox


@dataclass
class Parsed:
    path: str
    iri: str = ""
    sha256: str = ""
    measures: int = 0
    nquads: bytes = b""  # the plan's triples in its named graph
    error: str = ""
    title: str = ""  # compact form, as cited by other plans
    cites: list[str] = field(default_factory=list)  # compact titles of the documents it cites
    align: list[tuple[str, str]] = field(default_factory=list)  # (measure IRI, text compared)
    stems: list[str] = field(default_factory=list)  # body types of its units (科协 for 区科协)
    warning_lines: list[str] = field(default_factory=list)  # FILE:LINE:COL: message: text

    @property
    def warnings(self) -> int:
        return len(self.warning_lines)


def _parse_one(path: str, aliases: dict[str, str] | None = None, max_bytes: int | None = None) -> Parsed:
    """Parse one file into N-Quads of the corpus profile (runs in a worker process)."""

    try:
        plan = parse_file(path, max_bytes)
    except KepugraphError as exc:
        return Parsed(path=path, error=str(exc))
    return parsed_from(plan, path, aliases)


def parsed_from(plan, path: str, aliases: dict[str, str] | None = None) -> Parsed:
    """A plan parsed already, as the N-Quads and link data :meth:`Corpus.put` loads."""
    iri = plan_iri(plan)
    return Parsed(path=path, iri=str(iri), sha256=plan.sha256, measures=len(plan.measures),
                  nquads=plan_ntriples(plan, aliases, lean=True, graph=str(iri)),
                  warning_lines=[w.at(path) for w in plan.warnings],
                  title=compact(plan.meta.title), cites=[compact(t) for t in plan.meta.cites],
                  align=[(str(measure_iri(iri, m.ordinal)), alignment_text(m.title, m.text)) for m in plan.measures],
                  stems=sorted({level_and_stem(canonical(name, aliases or {}))[1] for name in plan.units()}))


def _claim(parsed: Parsed, owners: dict[str, str]) -> None:
    """Two different sources never share a plan IRI: the second is an error naming both
    (a new version of a file, under the same name, replaces its plan as before)."""
    if parsed.error:
        return
    name = Path(parsed.path).name
    other = owners.setdefault(parsed.iri, name)
    if other != name:
        parsed.error = (f"{parsed.path}: the same plan as {other} (<{parsed.iri}>): give each its own 文号 "
                        f"or title, or remove {other} first")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class BuildReport:
    loaded: list[Parsed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Parsed] = field(default_factory=list)

    @property
    def measures(self) -> int:
        return sum(p.measures for p in self.loaded)

    @property
    def warnings(self) -> int:
        return sum(p.warnings for p in self.loaded)


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
        """Every plan: its IRI, id, title and source hash, by title."""
        rows = self.oxi.select("""
            PREFIX kp: <https://w3id.org/kepugraph#> PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?plan ?title ?hash ?file ?doc_number WHERE { GRAPH ?plan { ?plan a kp:Plan ; dcterms:title ?title .
                OPTIONAL { ?plan kp:sourceHash ?hash } OPTIONAL { ?plan kp:sourceFile ?file }
                OPTIONAL { ?plan kp:docNumber ?doc_number } } }""")
        for r in rows:
            r["id"] = r["plan"][len(str(ID)):]
        return sorted(rows, key=lambda r: (r["title"], r["plan"]))

    def resolve_plan(self, plan_id: str) -> str:
        """The IRI of a plan given by id (slug), IRI, 文号, title or the name of the file it was
        built from (with or without its suffix).

        Raises:
            StoreError: no plan matches; the message names the closest ids ("did you mean").
        """
        plans = self.plans()
        for r in plans:
            file = r.get("file", "")
            if plan_id in (r["plan"], r["id"], r["title"], file, Path(file).stem) or slug(plan_id) == r["id"]:
                return r["plan"]
        near = closest(plan_id, [r["id"] for r in plans]) or closest(plan_id, [r["title"] for r in plans])
        raise StoreError(self.oxi.name, f"no plan {plan_id!r} in the store" +
                         (f"; did you mean {'、'.join(near)}?" if near else
                          f"; its plans: {'、'.join(r['id'] for r in plans)}" if plans else ""))

    def remove(self, plan_id: str) -> str:
        iri = self.resolve_plan(plan_id)
        title = next(compact(r["title"]) for r in self.plans() if r["plan"] == iri)
        for name in (iri, links_graph(iri)):
            if self.store.contains_named_graph(ox.NamedNode(name)):
                self.store.remove_graph(ox.NamedNode(name))
        self.link({}, gone={title})
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
        report = BuildReport()
        todo = self._changed(paths, report, progress, rehash=bool(aliases), max_bytes=max_bytes)
        workers = workers or min(len(todo), os.cpu_count() or 1) or 1
        parse = partial(_parse_one, aliases=aliases, max_bytes=max_bytes)
        pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(todo) > 1 else None
        try:
            results: Iterable[Parsed] = (
                pool.map(parse, todo, chunksize=max(1, min(16, len(todo) // (workers * 8)))) if pool
                else map(parse, todo))
            batch: list[Parsed] = []
            owners = self._owners()
            for parsed in results:
                _claim(parsed, owners)
                (report.failed if parsed.error else batch).append(parsed)
                if len(batch) >= 500:
                    self._load(batch, report)
                    batch = []
                if progress:
                    progress(parsed)
            if batch:
                if stage:
                    stage("loading")
                self._load(batch, report)
        finally:
            if pool is not None:
                pool.shutdown()
        complete = self.links_complete()
        if report.loaded or not complete:
            if stage:
                stage("linking")
            if report.loaded:
                vocabulary = ntriples(vocabulary_triples(s for p in report.loaded for s in p.stems))
                self.store.bulk_load(vocabulary.encode("utf-8"), ox.RdfFormat.N_TRIPLES,
                                     to_graph=ox.NamedNode(VOCABULARY))
            # links left unfinished (a build killed while linking): every plan's links again
            self.link({p.iri: p for p in report.loaded} if complete else None)
            for p in report.loaded:
                p.align = []
        return report

    def links_complete(self) -> bool:
        """Did the last linking of this store finish? (An empty store has nothing to link.)"""
        return self.store.contains_named_graph(ox.NamedNode(LINKS_DONE)) or not self.plans()

    def _owners(self) -> dict[str, str]:
        """Plan IRI → the source file name it was built from, for the plans in the store."""
        rows = self.oxi.select("""PREFIX kp: <https://w3id.org/kepugraph#>
            SELECT ?plan ?file WHERE { GRAPH ?plan { ?plan a kp:Plan ; kp:sourceFile ?file } }""")
        return {r["plan"]: r["file"] for r in rows}

    def _changed(self, paths: Sequence[Path], report: BuildReport, progress: Callable[[Parsed | str], None] | None,
                 rehash: bool, max_bytes: int | None = None) -> list[str]:
        """The paths whose bytes the store does not hold yet (all of them with ``rehash``);
        a file over ``max_bytes`` or not a regular file fails before it is hashed."""
        known = {r.get("hash") for r in self.plans()} if not rehash else set()
        todo = []
        for p in paths:
            try:
                if not Path(p).is_file():
                    report.failed.append(Parsed(path=str(p), error=f"{p}: not a regular file"))
                    continue
                size = Path(p).stat().st_size
                if max_bytes is not None and size > max_bytes:
                    report.failed.append(Parsed(path=str(p), error=f"{p}: file is {size} bytes, over the limit of "
                                                                   f"{max_bytes} bytes"))
                    continue
                digest = _sha(p)
            except OSError as exc:
                report.failed.append(Parsed(path=str(p), error=f"{p}: cannot read: {exc.strerror}"))
                continue
            if digest in known:
                report.skipped.append(str(p))
                if progress:
                    progress(str(p))
            else:
                todo.append(str(p))
        return todo

    def _load(self, batch: list[Parsed], report: BuildReport) -> None:
        """Replace each plan's named graph, then bulk-load the batch as N-Quads."""
        for parsed in batch:
            name = ox.NamedNode(parsed.iri)
            if self.store.contains_named_graph(name):
                self.store.remove_graph(name)
        quads = b"".join(p.nquads for p in batch)
        for p in batch:
            p.nquads = b""  # loaded: no need to hold it any longer
        # our own N-Quads, valid by construction: skip re-validating every IRI
        self.store.bulk_load(quads, ox.RdfFormat.N_QUADS, lenient=True)
        report.loaded.extend(batch)

    # -- links across plans -----------------------------------------------------------------------
    def link(self, changed: dict[str, Parsed] | None = None, gone: set[str] = frozenset()) -> dict[str, int]:
        """Recompute the links of the plans a build or removal touched (all when ``changed`` is None);
        see :func:`kepugraph.store.links.relink`. A mark (a graph of its own) is taken away
        first and set again when all links are written, so an interrupted linking is seen
        and redone by the next build."""
        mark = ox.NamedNode(LINKS_DONE)
        if self.store.contains_named_graph(mark):
            self.store.remove_graph(mark)
            self.store.flush()
        counts = relink(self.oxi, self.plans(), changed or {}, gone)
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
        """The tree of aligned measures through ``query``'s measure, from the top level down.

        Returns:
            (depth, node) pairs in print order; a node has plan_title, id, title,
            units and the score of its alignment to the level above.

        Raises:
            StoreError: no measure matches.
        """
        rows = {r.iri: r for r in self.rows()}
        titles = {r["plan"]: r["title"] for r in self.plans()}
        up: dict[str, tuple[str, float]] = {}
        down: dict[str, list[str]] = defaultdict(list)
        for r in self.oxi.select(f"""SELECT ?a ?b ?s WHERE {{
                ?n <{KP.alignmentFrom}> ?a ; <{KP.alignmentTo}> ?b ; <{KP.score}> ?s }}"""):
            up[r["a"]] = (r["b"], float(r["s"]))
            down[r["b"]].append(r["a"])
        start = self._find_measure(query, rows)
        root, seen = start, set()
        while root in up and root not in seen:
            seen.add(root)
            root = up[root][0]
        out: list[tuple[int, dict]] = []

        def visit(m: str, depth: int) -> None:
            row = rows.get(m)
            if row is None:
                return
            out.append((depth, {"iri": m, "plan_title": titles.get(row.plan, row.plan), "id": row.id,
                                "title": row.title, "units": row.units,
                                "score": up[m][1] if depth and m in up else None}))
            for child in sorted(down.get(m, []), key=lambda c: (titles.get(rows[c].plan, ""), rows[c].ordinal)
                                if c in rows else ("", 0)):
                visit(child, depth + 1)

        visit(root, 0)
        return out

    def _find_measure(self, query: str, rows: dict) -> str:
        if query in rows:
            return query
        if "#" in query:
            plan, _, mid = query.rpartition("#")
            iri = self.resolve_plan(plan)
            for r in rows.values():
                if r.plan == iri and r.id == mid:
                    return r.iri
        key = compact(query)
        found = [r for r in rows.values() if key and key in compact(r.title)]
        if not found:
            raise StoreError(self.oxi.name, f"no measure matches {query!r}")
        return sorted(found, key=lambda r: (r.plan, r.ordinal))[0].iri

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
