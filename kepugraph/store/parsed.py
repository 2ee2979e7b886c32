"""The worker's half of a corpus build: one source file read, parsed and written as N-Quads
of the corpus profile, with the seconds each step took (see :class:`~kepugraph.store.corpus.Corpus`)."""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kepugraph.errors import KepugraphError
from kepugraph.extraction.parser import parse_document
from kepugraph.names import canonical, level_and_stem
from kepugraph.rdf.iris import measure_iri, plan_iri
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.rows import plan_rows
from kepugraph.rdf.triples import plan_ntriples
from kepugraph.reading.source import read_source
from kepugraph.reading.textnorm import compact
from kepugraph.store.links import alignment_text
from kepugraph.store.totals import tally


@dataclass
class Parsed:
    path: str
    iri: str = ""
    sha256: str = ""
    measures: int = 0
    nquads: bytes = b""  # the plan's triples in its named graph, but for its source hash ...
    hash_quad: bytes = b""  # ... written once all of them are in (see split_hash)
    error: str = ""
    title: str = ""  # compact form, as cited by other plans
    cites: list[str] = field(default_factory=list)  # compact titles of the documents it cites
    align: list[tuple[str, str]] = field(default_factory=list)  # (measure IRI, text compared)
    stems: list[str] = field(default_factory=list)  # body types of its units (科协 for 区科协)
    warning_lines: list[str] = field(default_factory=list)  # FILE:LINE:COL: message: text
    seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)  # reading, parsing, triples (CPU, in its worker)
    tally: dict | None = None  # its share of the corpus totals (see kepugraph.store.totals)
    catalog: list = field(default_factory=list)  # [title, 文号, file] as the totals list it (totals._info)

    @property
    def warnings(self) -> int:
        return len(self.warning_lines)


def parse_one(path: str, aliases: dict[str, str] | None = None, max_bytes: int | None = None) -> Parsed:
    """Parse one file into N-Quads of the corpus profile (runs in a worker process)."""

    started = time.thread_time()  # CPU time: a worker sharing its core is not charged the wait
    try:
        source = read_source(path) if max_bytes is None else read_source(path, max_bytes)
        read = time.thread_time()
        plan = parse_document(source)
    except KepugraphError as exc:
        return Parsed(path=path, error=str(exc))
    done = time.thread_time()
    result = parsed_from(plan, path, aliases)
    result.seconds = (read - started, done - read, time.thread_time() - done)
    return result


def parse_many(parse: Callable, paths: list) -> list:
    """``parse`` over a chunk of paths (one task of a worker; the link stage's tasks too)."""
    return [parse(p) for p in paths]


def bounded_map(pool: Executor, fn: Callable[[list], list], items: Iterable, chunk: int,
                window: int) -> Iterator:
    """``fn`` over chunks of ``items`` on the pool, results in order, at most ``window`` chunks
    submitted ahead: when loading falls behind parsing, the workers wait instead of the
    parsed N-Quads piling up in memory (``Executor.map`` submits every chunk at once), and
    ``items`` may be a generator, read as far as the chunks submitted."""
    it = iter(items)
    chunks = iter(lambda: list(islice(it, chunk)), [])
    pending = deque(pool.submit(fn, c) for c in islice(chunks, window))
    while pending:
        done = pending.popleft().result()
        for c in islice(chunks, 1):
            pending.append(pool.submit(fn, c))
        yield from done


def pooled(pool: Executor, window: int, fn: Callable, tasks: Iterable) -> Iterator:
    """``fn`` over ``tasks`` on the pool, results in order, taking the tasks as they are
    needed (eight at a time, ``window`` such chunks ahead; see :func:`bounded_map`)."""
    return bounded_map(pool, partial(parse_many, fn), tasks, 8, window)


def parsed_from(plan, path: str, aliases: dict[str, str] | None = None) -> Parsed:
    """A plan parsed already, as the N-Quads and link data :meth:`Corpus.put` loads."""
    iri = plan_iri(plan)
    rows = plan_rows(plan, aliases)  # read once: the plan's digest, its brief and its tally
    nquads, hash_quad = split_hash(plan_ntriples(plan, aliases, lean=True, graph=str(iri), rows=rows),
                                   str(iri), plan.sha256)
    return Parsed(path=path, iri=str(iri), sha256=plan.sha256, measures=len(plan.measures),
                  nquads=nquads, hash_quad=hash_quad,
                  warning_lines=[w.at(path) for w in plan.warnings],
                  title=compact(plan.meta.title), cites=[compact(t) for t in plan.meta.cites],
                  align=[(str(measure_iri(iri, m.ordinal)), alignment_text(m.title, m.text)) for m in plan.measures],
                  stems=sorted({level_and_stem(canonical(name, aliases or {}))[1] for name in plan.units()}),
                  tally=tally(rows),
                  catalog=[plan.meta.title, plan.meta.doc_number or "", Path(plan.path).name if plan.path else ""])


def split_hash(nquads: bytes, iri: str, sha256: str) -> tuple[bytes, bytes]:
    """A plan's N-Quads without the line of its source hash, and that line: a build skips a
    source whose hash the store holds, so the hash goes in only after the rest of the plan (a
    load broken off midway leaves a plan without one, parsed and replaced whole next time)."""
    line = f'<{iri}> <{KP.sourceHash}> "{sha256}" <{iri}> .\n'.encode("utf-8")
    at = nquads.find(line) if sha256 else -1
    if at < 0:
        return nquads, b""
    return nquads[:at] + nquads[at + len(line):], line


class Owners(dict):
    """Plan IRI → source file name, looked up in the store on first ask (see Corpus._owners)."""

    def __init__(self, lookup: Callable[[str], str | None]):
        super().__init__()
        self.lookup = lookup

    def setdefault(self, key: str, default: str) -> str:
        if key not in self:
            found = self.lookup(key)
            self[key] = default if found is None else found
        return self[key]


def claim(parsed: Parsed, owners: dict[str, str]) -> None:
    """Two different sources never share a plan IRI: the second is an error naming both
    (a new version of a file, under the same name, replaces its plan as before)."""
    if parsed.error:
        return
    name = Path(parsed.path).name
    other = owners.setdefault(parsed.iri, name)
    if other != name:
        parsed.error = (f"{parsed.path}: the same plan as {other} (<{parsed.iri}>): give each its own 文号 "
                        f"or title, or remove {other} first")



class Clock:
    """Adds the wall time of each ``with clock(name):`` to ``timings[name]``."""

    def __init__(self, timings: dict[str, float]):
        self.timings, self.name, self.started = timings, "", 0.0

    def __call__(self, name: str) -> "Clock":
        self.name = name
        return self

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.timings[self.name] = self.timings.get(self.name, 0.0) + time.perf_counter() - self.started
