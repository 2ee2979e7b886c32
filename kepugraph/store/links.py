"""Links across plans and levels: which plan implements which, and each measure aligned with
the most similar measure of the plan it implements (Dice similarity of character bigrams)."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from itertools import repeat
from typing import Callable

import pyoxigraph as ox

from kepugraph.rdf.namespace import T
from kepugraph.rdf.rows import PREFIXES
from kepugraph.reading.textnorm import compact, normalize
from kepugraph.store.graphs import CATALOGUE, links_graph
from kepugraph.store.oxigraph import OxigraphStore

#: Below this similarity a measure is left unaligned.
ALIGN_THRESHOLD = 0.25
#: How much of a measure's text (after its title) the alignment compares.
ALIGN_CHARS = 120


def relink(oxi: OxigraphStore, changed: dict, gone: set[str] = frozenset(),
           removed: set[str] = frozenset()) -> dict[str, int]:
    """Recompute the links of the plans a build or removal touched (all when ``changed`` and
    ``gone`` are empty) and write them: :func:`plan_links`, then :func:`write_links`."""
    return write_links(oxi, plan_links(oxi, changed, gone, removed))


class SpillError(OSError):
    """A temporary file could not be written (its folder full, or a file size limit)."""


class Spill:
    """Bytes kept in an unnamed temporary file instead of memory (a 30,000-plan build held
    gigabytes of alignment texts and link N-Quads until its links were written); the file
    has no name on disk, so it goes when closed, or with the process however that ends."""

    def __init__(self):
        try:
            self.file = tempfile.TemporaryFile(prefix="kepugraph-")
        except OSError as exc:
            raise SpillError(f"cannot make a temporary file in {tempfile.gettempdir()}: {exc.strerror or exc}") from None
        self.size = 0

    def write(self, data: bytes) -> tuple[int, int]:
        """Append ``data``; where it was written: (offset, length)."""
        try:
            self.file.seek(self.size)
            self.file.write(data)
        except OSError as exc:
            raise SpillError(f"cannot write a temporary file in {tempfile.gettempdir()}: "
                             f"{exc.strerror or exc}") from None
        at = (self.size, len(data))
        self.size += len(data)
        return at

    def read(self, at: tuple[int, int]) -> bytes:
        self.file.seek(at[0])
        return self.file.read(at[1])

    def close(self) -> None:
        self.file.close()


def load_spilled(store: ox.Store, spill: Spill) -> None:
    """Bulk-load the N-Quads written to ``spill`` from its file, in one load: the loader reads
    the file as it goes (the links of 30,000 plans, 900 MB, were loaded 32 MB at a time to spare
    memory, and each load into a large store costs more than the one before)."""
    spill.file.seek(0)
    store.bulk_load(spill.file, ox.RdfFormat.N_QUADS, lenient=True)  # our own N-Quads: valid by construction


class AlignTexts:
    """The alignment texts of the plans a build parsed — (measure IRI, text compared) pairs
    for each, see :func:`alignment_text` — spilled to a temporary file as each plan comes
    and read back when its links are computed: held in memory they were the largest part of
    a large build (about 15 KB a plan, 460 MB at 30,000 plans)."""

    def __init__(self):
        self.spill = Spill()
        self.at: dict[str, tuple[int, int]] = {}  # plan IRI → where its texts are

    def put(self, plan: str, align: list[tuple[str, str]]) -> None:
        # one line a measure: the measure IRI after the plan's, a tab, the text (letters and
        # ideographs only, no tab or newline)
        cut = len(plan)
        lines = "\n".join(f"{m[cut:] if m.startswith(plan) else m}\t{text}" for m, text in align)
        self.at[plan] = self.spill.write(lines.encode("utf-8"))

    def __contains__(self, plan: str) -> bool:
        return plan in self.at

    def __getitem__(self, plan: str) -> list[tuple[str, str]]:
        data = self.spill.read(self.at[plan]).decode("utf-8")
        pairs = []
        for line in data.split("\n") if data else ():
            m, text = line.split("\t", 1)
            pairs.append((m if m.startswith(("http://", "https://")) else plan + m, text))
        return pairs

    def close(self) -> None:
        self.spill.close()


@dataclass
class Links:
    """The links of the plans a build or removal touched, computed and not yet written."""

    touched: list[str]  # plan IRIs whose links graphs are replaced
    quads: Spill | None  # the N-Quads of the new links (UTF-8), in a temporary file (None: written already)
    catalogue: dict[str, list]
    counts: dict[str, int]


def plan_links(oxi: OxigraphStore, changed: dict, gone: set[str] = frozenset(), removed: set[str] = frozenset(),
               fresh: bool = False, mapper: Callable = map, texts: AlignTexts | None = None,
               into=None) -> Links:
    """The links of the plans a build or removal touched (all when ``changed`` and ``gone``
    are empty), computed without writing: the store is only read (the catalogue, and the
    measures of plans not in ``changed``), so a build computes them while its last plans
    are still being written.

    A plan's links live in its own graph (``<plan/links>``): ``kp:implements`` to each
    plan of the corpus its preamble cites, and each of its measures aligned with the
    most similar measure of the nearest of those plans. Touched are the plans just
    loaded and every plan citing one of them or a removed plan (``gone``: compact titles).
    Which plan cites which is read from the store's catalogue (one value), kept up to date
    here; without one (a full relink), from every plan's triples.

    Args:
        changed: plan IRI → what was just parsed of it (its compact ``title``, ``cites`` and
            ``align``: (measure IRI, text compared) pairs), so its measures are not read back.
        removed: the IRIs of the plans removed.
        fresh: the store held no plan before ``changed``: the catalogue is theirs alone.
        mapper: ``map`` or a pool's, taking the tasks as they come (an executor's ``map``
            takes them all at once, and with them every plan's texts): the measures of each
            plan cited are aligned with those of the plans citing it as one task (:func:`align_group`).
        texts: the alignment texts of the plans in ``changed``, when not in their ``align``.
        into: where the links' N-Quads go (a first build's load, see
            :class:`~kepugraph.store.writer.Writer`), instead of a temporary file.
    """
    catalogue = _catalogue(oxi, changed, gone, removed, fresh)
    by_title = {title: plan for plan, (title, _) in sorted(catalogue.items(), key=lambda kv: (kv[1][0], kv[0]))}
    cites = {plan: titles for plan, (_, titles) in catalogue.items()}
    fresh_titles = {p.title for p in changed.values()} | set(gone)
    if changed or gone:
        touched = set(changed) | {p for p, titles in cites.items() if fresh_titles & set(titles)}
    else:
        touched = set(catalogue)
    cited = {p: {by_title[t] for t in titles if t in by_title and by_title[t] != p} for p, titles in cites.items()}
    heights: dict[str, int] = {}

    def height(plan: str, seen: frozenset = frozenset()) -> int:
        """How many levels lie above a plan in the corpus (省 0, 市 1, 区 2)."""
        if plan not in heights:
            ups = [t for t in cited.get(plan, ()) if t not in seen]
            heights[plan] = 1 + max(height(t, seen | {plan}) for t in ups) if ups else 0
        return heights[plan]

    def measures_of(plan: str) -> list[tuple[str, str]]:
        """A plan's measures in the order of their ordinals: of two equally similar measures
        the first is taken, whether the plan was just parsed or is read back from the store."""
        if plan in changed:
            found = texts[plan] if texts is not None and plan in texts else changed[plan].align
        else:
            found = [(r["m"], alignment_text(r["title"], r["text"])) for r in oxi.select(
                PREFIXES + f"SELECT ?m ?title ?text WHERE {{ GRAPH <{plan}> {{ ?m a kp:Measure ; "
                            f"dcterms:title ?title ; kp:text ?text }} }}")]
        return sorted(found, key=_ordinal)

    out = into if into is not None else Spill()
    try:
        implements = aligned = 0
        children: dict[str, list[str]] = {}  # plan cited → the touched plans aligned with it
        for plan in sorted(touched):
            targets = sorted(cited.get(plan, ()))
            if not targets:
                continue
            implements += 1
            tail = f" <{links_graph(plan)}> .\n"
            out.write("".join(f"<{plan}> <{T.implements}> <{t}>{tail}" for t in targets).encode("utf-8"))
            # a plan citing several levels (省 and 市) carries down the nearest one: the lowest
            children.setdefault(max(targets, key=height), []).append(plan)
        # one task at a time, each plan's texts read as its task is handed out, each result
        # written out as it comes back: nothing here grows with the number of plans
        tasks = ((measures_of(parent), [(plan, measures_of(plan)) for plan in plans])
                 for parent, plans in children.items())
        for group in mapper(align_group, tasks):
            for plan, pairs in group:
                tail = f" <{links_graph(plan)}> .\n"
                lines = []
                for m, best, score in pairs:
                    node = f"<{m}/alignment>"
                    lines += [f"<{m}> <{T.alignedWith}> <{best}>{tail}",
                              f"{node} <{T.alignmentFrom}> <{m}>{tail}",
                              f"{node} <{T.alignmentTo}> <{best}>{tail}",
                              f'{node} <{T.score}> "{score:.4f}"^^<http://www.w3.org/2001/XMLSchema#decimal>{tail}']
                aligned += len(pairs)
                out.write("".join(lines).encode("utf-8"))
    except BaseException:
        if into is None:
            out.close()
        raise
    return Links(sorted(touched), out if into is None else None, catalogue,
                 {"implements": implements, "aligned": aligned})


def _ordinal(measure: tuple[str, str]) -> int:
    return int(measure[0].rsplit("/", 1)[1])  # <plan/measure/7>


def align_group(task: tuple[list[tuple[str, str]], list[tuple[str, list[tuple[str, str]]]]]
                ) -> list[tuple[str, list[tuple[str, str, float]]]]:
    """Each measure of the plans citing one plan aligned with the most similar of its measures:
    (plan, [(measure, measure aligned with, score)]) for each, in order (runs in a worker)."""
    theirs_measures, plans = task
    theirs = _Signatures(theirs_measures)
    out = []
    for plan, measures in plans:
        pairs = []
        for m, text in measures:
            best, score = theirs.best(text)
            if best is not None and score >= ALIGN_THRESHOLD:
                pairs.append((m, best, score))
        out.append((plan, pairs))
    return out


def write_links(oxi: OxigraphStore, links: Links) -> dict[str, int]:
    """Replace the links graphs of the plans touched (unless loaded already with the plans of a
    first build), and the catalogue."""
    if links.quads is not None:
        try:
            for plan in links.touched:
                graph = ox.NamedNode(links_graph(plan))
                if oxi.store.contains_named_graph(graph):
                    oxi.store.remove_graph(graph)
            load_spilled(oxi.store, links.quads)
        finally:
            links.quads.close()
    write_catalogue(oxi, links.catalogue)
    oxi.store.flush()
    return links.counts


def _catalogue(oxi: OxigraphStore, changed: dict, gone: set[str], removed: set[str],
               fresh: bool = False) -> dict[str, list]:
    """The catalogue after a build or removal: the stored one updated, or (none stored, or a
    full relink) read from every plan; the plans just parsed alone when the store held none before."""
    catalogue = {} if fresh and changed else read_catalogue(oxi) if changed or gone else None
    if catalogue is None:
        return scan_catalogue(oxi)
    for plan in removed:
        catalogue.pop(plan, None)
    for plan, parsed in changed.items():
        catalogue[plan] = [parsed.title, sorted(parsed.cites)]
    return catalogue


def scan_catalogue(oxi: OxigraphStore) -> dict[str, list]:
    """Plan IRI → [compact title, compact titles it cites], read from every plan's triples."""
    catalogue: dict[str, list] = {r["plan"]: [compact(r["title"]), []] for r in oxi.select(PREFIXES + """
        SELECT ?plan ?title WHERE { GRAPH ?plan { ?plan a kp:Plan ; dcterms:title ?title } }""")}
    for r in oxi.select(PREFIXES + """SELECT ?plan ?cited WHERE { GRAPH ?plan {
            ?plan a kp:Plan ; kp:implements ?doc . ?doc dcterms:title ?cited } }"""):
        if r["plan"] in catalogue:
            catalogue[r["plan"]][1].append(compact(r["cited"]))
    for _, cites in catalogue.values():
        cites.sort()
    return catalogue


def read_catalogue(oxi: OxigraphStore) -> dict[str, list] | None:
    """The store's catalogue (see :func:`scan_catalogue`), or None when it has none."""
    node = ox.NamedNode(CATALOGUE)
    found = next(oxi.store.quads_for_pattern(node, ox.NamedNode(str(T.catalogue)), None, node), None)
    return json.loads(found.object.value) if found is not None else None


def write_catalogue(oxi: OxigraphStore, catalogue: dict[str, list]) -> None:
    node = ox.NamedNode(CATALOGUE)
    if oxi.store.contains_named_graph(node):
        oxi.store.remove_graph(node)
    text = json.dumps(catalogue, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    oxi.store.add(ox.Quad(node, ox.NamedNode(str(T.catalogue)), ox.Literal(text), node))


_NOT_WORD = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def alignment_text(title: str, text: str) -> str:
    """What the alignment compares of a measure: its title and the start of its text,
    normalised, ideographs, letters and digits only."""
    return _NOT_WORD.sub("", normalize(title + text[:ALIGN_CHARS]))


_NO_BIT = repeat(0)


def bigrams(t: str) -> set[str]:
    return set(map(str.__add__, t[:-1], t[1:]))


class _Signatures:
    """The measures of one plan as character-bigram sets, each kept as the bits of an int,
    so a Dice similarity is an AND and two bit counts."""

    def __init__(self, measures: list[tuple[str, str]]):
        self.bit: dict[str, int] = {}  # bigram → its bit, as an int
        self.rows: list[tuple[str, int, int]] = []  # (measure, mask, number of bigrams)
        for m, text in measures:
            grams = bigrams(text)
            for g in grams:
                if g not in self.bit:
                    self.bit[g] = 1 << len(self.bit)
            self.rows.append((m, sum(map(self.bit.__getitem__, grams)), len(grams)))

    def best(self, text: str) -> tuple[str | None, float]:
        """The most similar measure (the first of equals) and its Dice score."""
        grams = bigrams(text)
        if not grams:
            return None, 0.0
        # each bigram looked up (not ``grams.intersection(self.bit)``: that walks every bigram
        # of the plan's measures, for each measure aligned)
        mask = sum(map(self.bit.get, grams, _NO_BIT))
        n = len(grams)
        best, score = None, 0.0
        for m, theirs, k in self.rows:
            if k:
                s = 2 * (mask & theirs).bit_count() / (n + k)
                if s > score:
                    best, score = m, s
        return best, score
