"""Many plans in one Oxigraph store: one named graph per plan, links across plans and levels.

A build parses files on every core, bulk-loads each plan into its own named graph
(replacing that graph only), skips a source whose bytes were loaded before, then
recomputes the links graph: which plan implements which (a preamble's 《…》 title that
is a plan of the corpus), each measure aligned with the most similar measure of the plan
it implements, and each unit tied to the body type it shares with its counterparts at
other levels (区科协, 市科协, 省科协 → 科协).
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import KepugraphError, SourceError, StoreError
from .namespace import ID, KP
from .rdf import _nt, plan_iri, plan_ntriples, slug
from .textnorm import compact

SUFFIXES = {".txt", ".text", ".docx", ".html", ".htm", ".pdf"}
LINKS = ID["links"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Below this similarity a measure is left unaligned.
ALIGN_THRESHOLD = 0.25


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The plan files named by ``paths``: files as given, folders searched recursively.

    Raises:
        SourceError: a path that does not exist.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise SourceError(p, "no such file")
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                              and not f.name.startswith(".")))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


@dataclass
class Parsed:
    path: str
    iri: str = ""
    sha256: str = ""
    measures: int = 0
    warnings: int = 0
    nt: bytes = b""
    error: str = ""


def _parse_one(path: str) -> Parsed:
    """Parse one file into N-Triples (runs in a worker process)."""
    from .parse import parse_file

    try:
        plan = parse_file(path)
    except KepugraphError as exc:
        return Parsed(path=path, error=str(exc))
    return Parsed(path=path, iri=str(plan_iri(plan)), sha256=plan.sha256, measures=len(plan.measures),
                  warnings=len(plan.warnings), nt=plan_ntriples(plan, lean=True))


def _sha(path: Path) -> str:
    import hashlib

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
        from .sparql import OxigraphStore

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
            SELECT ?plan ?title ?hash WHERE { GRAPH ?plan { ?plan a kp:Plan ; dcterms:title ?title .
                OPTIONAL { ?plan kp:sourceHash ?hash } } }""")
        for r in rows:
            r["id"] = r["plan"][len(str(ID)):]
        return sorted(rows, key=lambda r: (r["title"], r["plan"]))

    def resolve_plan(self, plan_id: str) -> str:
        """The IRI of a plan given by id (slug), IRI, 文号 or title."""
        plans = self.plans()
        for r in plans:
            if plan_id in (r["plan"], r["id"], r["title"]) or slug(plan_id) == r["id"]:
                return r["plan"]
        from .units import closest

        near = closest(plan_id, [r["id"] for r in plans])
        raise StoreError(self.oxi.name, f"no plan {plan_id!r} in the store" + (f"; closest: {'、'.join(near)}" if near else ""))

    def remove(self, plan_id: str) -> str:
        import pyoxigraph as ox

        iri = self.resolve_plan(plan_id)
        self.store.remove_graph(ox.NamedNode(iri))
        self.link()
        return iri

    # -- building -----------------------------------------------------------------------------
    def build(self, paths: Sequence[Path], workers: int | None = None,
              progress: Callable[[Parsed | str], None] | None = None) -> BuildReport:
        """Parse and load ``paths``; unchanged sources (same hash) are skipped."""
        import pyoxigraph as ox

        report = BuildReport()
        known = {r.get("hash") for r in self.plans()}
        todo = []
        for p in paths:
            try:
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
        workers = workers or min(len(todo), os.cpu_count() or 1) or 1
        results: Iterable[Parsed]
        if workers > 1 and len(todo) > 1:
            pool = ProcessPoolExecutor(max_workers=workers)
            results = pool.map(_parse_one, todo, chunksize=max(1, len(todo) // (workers * 8)))
        else:
            pool = None
            results = map(_parse_one, todo)
        try:
            batch: list[Parsed] = []
            for parsed in results:
                if parsed.error:
                    report.failed.append(parsed)
                else:
                    batch.append(parsed)
                    if len(batch) >= 200:
                        self._load(batch, ox)
                        report.loaded.extend(batch)
                        batch = []
                if progress:
                    progress(parsed)
            if batch:
                self._load(batch, ox)
                report.loaded.extend(batch)
        finally:
            if pool is not None:
                pool.shutdown()
        if report.loaded:
            self.link()
        return report

    def _load(self, batch: list[Parsed], ox) -> None:
        """Replace each plan's named graph, then bulk-load the batch as N-Quads."""
        for parsed in batch:
            name = ox.NamedNode(parsed.iri)
            if self.store.contains_named_graph(name):
                self.store.remove_graph(name)
        quads = b"".join(_to_quads(p.nt, p.iri) for p in batch)
        # our own N-Quads, valid by construction: skip re-validating every IRI
        self.store.bulk_load(quads, ox.RdfFormat.N_QUADS, lenient=True)
        self.store.flush()

    # -- links across plans -----------------------------------------------------------------------
    def link(self) -> dict[str, int]:
        """Recompute the links graph: implements, alignments, counterparts."""
        import pyoxigraph as ox

        links = ox.NamedNode(str(LINKS))
        if self.store.contains_named_graph(links):
            self.store.remove_graph(links)
        lines: list[str] = []
        plans = self.plans()
        by_title = {compact(r["title"]): r["plan"] for r in plans}
        cited: dict[str, set[str]] = defaultdict(set)
        for r in self.oxi.select("""
                PREFIX kp: <https://w3id.org/kepugraph#> PREFIX dcterms: <http://purl.org/dc/terms/>
                SELECT ?plan ?cited WHERE { ?plan a kp:Plan ; kp:implements ?doc . ?doc dcterms:title ?cited }"""):
            target = by_title.get(compact(r["cited"]))
            if target and target != r["plan"]:
                lines.append(f"<{r['plan']}> <{KP.implements}> <{target}> .")
                cited[r["plan"]].add(target)

        def height(plan: str, seen: frozenset = frozenset()) -> int:
            """How many levels lie above a plan in the corpus (省 0, 市 1, 区 2)."""
            ups = [t for t in cited.get(plan, ()) if t not in seen]
            return 1 + max(height(t, seen | {plan}) for t in ups) if ups else 0

        # a plan citing several levels (省 and 市) carries down the nearest one: the lowest
        implements = {plan: max(sorted(targets), key=lambda t: height(t)) for plan, targets in cited.items()}
        measures: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in self.oxi.select("""
                PREFIX kp: <https://w3id.org/kepugraph#> PREFIX dcterms: <http://purl.org/dc/terms/>
                SELECT ?m ?plan ?title ?text WHERE { ?m a kp:Measure ; kp:inPlan ?plan ; dcterms:title ?title ;
                    kp:text ?text }"""):
            measures[r["plan"]].append((r["m"], r["title"] + r["text"][:120]))
        aligned = 0
        for child, parent in implements.items():
            grams = [(m, _bigrams(t)) for m, t in measures.get(parent, [])]
            for m, text in measures.get(child, []):
                mine = _bigrams(text)
                best, score = None, 0.0
                for pm, theirs in grams:
                    s = _dice(mine, theirs)
                    if s > score:
                        best, score = pm, s
                if best is not None and score >= ALIGN_THRESHOLD:
                    node = f"{m}/alignment"
                    lines += [f"<{m}> <{KP.alignedWith}> <{best}> .",
                              f"<{node}> <{RDF_TYPE}> <{KP.Alignment}> .",
                              f"<{node}> <{KP.alignmentFrom}> <{m}> .",
                              f"<{node}> <{KP.alignmentTo}> <{best}> .",
                              f'<{node}> <{KP.score}> "{score:.4f}"^^<http://www.w3.org/2001/XMLSchema#decimal> .']
                    aligned += 1
        stems = 0
        for r in self.oxi.select("""
                PREFIX kp: <https://w3id.org/kepugraph#>
                SELECT ?u ?stem WHERE { ?u a kp:Unit ; kp:stem ?stem }"""):
            body = f"{ID}body/{slug(r['stem'], 80)}"
            lines += [f"<{r['u']}> <{KP.counterpart}> <{body}> .", f"<{body}> <{RDF_TYPE}> <{KP.BodyType}> .",
                      f"<{body}> <http://www.w3.org/2004/02/skos/core#prefLabel> {_nt(_zh(r['stem']))} ."]
            stems += 1
        if lines:
            data = "\n".join(dict.fromkeys(lines)) + "\n"
            self.store.bulk_load(data.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=links)
            self.store.flush()
        return {"implements": len(implements), "aligned": aligned, "counterparts": stems}

    def plan_summary(self) -> list[dict]:
        """Per plan: id, title, measure count and the corpus plan it implements."""
        counts = {r["plan"]: int(r["n"]) for r in self.oxi.select("""
            PREFIX kp: <https://w3id.org/kepugraph#>
            SELECT ?plan (COUNT(?m) AS ?n) WHERE { ?m a kp:Measure ; kp:inPlan ?plan } GROUP BY ?plan""")}
        ups = defaultdict(list)
        for r in self.oxi.select(f"SELECT ?a ?b WHERE {{ GRAPH <{LINKS}> {{ ?a <{KP.implements}> ?b }} }}"):
            ups[r["a"]].append(r["b"])
        ids = {r["plan"]: r["id"] for r in self.plans()}
        return [{"id": r["id"], "title": r["title"], "measures": counts.get(r["plan"], 0),
                 "implements": [ids.get(u, u) for u in ups.get(r["plan"], [])]} for r in self.plans()]

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
        for r in self.oxi.select(f"""SELECT ?a ?b ?s WHERE {{ GRAPH <{LINKS}> {{
                ?n <{KP.alignmentFrom}> ?a ; <{KP.alignmentTo}> ?b ; <{KP.score}> ?s }} }}"""):
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
        """Measures with their units, for the whole corpus or one plan."""
        from .rdf import measure_rows

        rows = measure_rows(select=self.oxi.select)
        if plan:
            iri = self.resolve_plan(plan)
            rows = [r for r in rows if r.plan == iri]
        return rows

    def graph(self, plan: str | None = None):
        """An rdflib graph of one plan (or of everything) copied out of the store."""
        from rdflib import Graph

        from .sparql import _from_ox

        import pyoxigraph as ox

        g = Graph()
        if plan:
            names = [ox.NamedNode(self.resolve_plan(plan))]
        else:
            names = [ox.NamedNode(r["plan"]) for r in self.plans()]
        for name in names:
            for q in self.store.quads_for_pattern(None, None, None, name):
                g.add((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object)))
        return g


def _zh(text: str):
    from rdflib import Literal

    return Literal(text, lang="zh")


def _to_quads(nt: bytes, graph: str) -> bytes:
    suffix = f" <{graph}> .\n".encode("utf-8")
    return b"".join(line[:-2] + suffix for line in nt.splitlines(keepends=True) if line.strip())


def _bigrams(text: str) -> set[str]:
    t = "".join(ch for ch in compact(text) if "\u3400" <= ch <= "\u9fff" or ch.isalnum())
    return {t[i:i + 2] for i in range(len(t) - 1)}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0
