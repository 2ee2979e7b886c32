"""A corpus build's writing side: what it reports, and the plans parsed collected in temporary
files, then written into the store by one bulk load on a thread of its own."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterator

import pyoxigraph as ox

from kepugraph.store.links import Spill, load_spilled
from kepugraph.store.parsed import Parsed

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None


@dataclass
class BuildReport:
    loaded: list[Parsed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Parsed] = field(default_factory=list)
    #: where the build went, in seconds: the workers' reading, parsing and triples (summed
    #: over the workers: CPU time of their processes), and in this process (wall time) the
    #: hashing of the sources, writing into the store (on a thread of its own), waiting for
    #: that writing, computing the links (while the plans are written) and writing them
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def measures(self) -> int:
        return sum(p.measures for p in self.loaded)

    @property
    def warnings(self) -> int:
        return sum(p.warnings for p in self.loaded)


class Tallies(Mapping):
    """Plan IRI → its tally (see :func:`kepugraph.store.totals.tally`), kept in a temporary
    file until the totals are updated: about 11 KB a plan pickled, several times that as
    Python objects, which 30,000 plans held in memory would have made gigabytes."""

    def __init__(self):
        self.spill = Spill()
        self.at: dict[str, tuple[int, int]] = {}

    def put(self, iri: str, tally: dict | None) -> None:
        self.at[iri] = self.spill.write(pickle.dumps(tally, protocol=pickle.HIGHEST_PROTOCOL))

    def __getitem__(self, iri: str) -> dict | None:
        return pickle.loads(self.spill.read(self.at[iri]))

    def __iter__(self) -> Iterator[str]:
        return iter(self.at)

    def __len__(self) -> int:
        return len(self.at)

    def close(self) -> None:
        self.spill.close()


#: The pipes the builds of this process stream into their loads: a worker forked while one is
#: open closes its copies of both ends, or the load would never see the end of its input (and
#: a build whose load failed would wait on a pipe nobody reads).
_PIPES: set[int] = set()


def _close_pipes_in_child() -> None:
    for fd in _PIPES:
        try:
            os.close(fd)
        except OSError:
            pass
    _PIPES.clear()


if hasattr(os, "register_at_fork"):  # where workers are forked
    os.register_at_fork(after_in_child=_close_pipes_in_child)


class Writer:
    """Writes the plans parsed into the store with one bulk load, on a thread of its own
    (outside the GIL), then their source hashes and the totals (``finish``).

    Into a store holding no plan (``replace`` None) the plans stream through a pipe into
    the load as they come, so the store is written while the workers parse; into one that
    holds plans, they wait in a temporary file (about 320 KB a plan) until the last is in,
    then the plans they replace are removed (``replace``) and the file is loaded. Each plan's
    tally waits in a temporary file too, for the totals.

    One load, never a load a batch: each bulk load into a store costs more the larger the
    store is. Measured on this machine (2 cores): the 3,000-plan build spent 44.5 s writing
    its growing batches, against 16.7 s for the same N-Quads as one load; at 30,000 plans
    584 s, against 167 s for one load of the 9.5 GB. Streamed, the 3,000-plan build took
    40.8–43.2 s where the same build loading its temporary file at the end took 47.1–48.0 s.
    A failure of the write is raised by the next ``add`` or by ``close``."""

    def __init__(self, store: ox.Store, report: BuildReport,
                 finish: Callable[[list[Parsed], BuildReport, Mapping[str, dict | None], dict], None],
                 replace: Callable[[list[Parsed]], dict] | None = None,
                 prepare: Callable[[list[Parsed], Mapping[str, dict | None]], object] | None = None):
        self.store, self.report, self.finish, self.replace, self.prepare = store, report, finish, replace, prepare
        self.added: list[Parsed] = []  # every plan handed in, written or not yet
        self.tallies = Tallies()
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kepugraph-load")
        self.pending: Future | None = None  # the load, then the finish
        self.started = time.perf_counter()
        self.quads: Spill | None = None
        self.pipe = None
        #: the plans stream into the load (other N-Quads may join them until :meth:`flush`, see :meth:`write`)
        self.streams = replace is None
        if self.streams:
            read, write = os.pipe()
            _PIPES.update((read, write))
            if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux: 1 MB at a time, not 64 KB (fewer switches between the ends)
                try:
                    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 1 << 20)
                except OSError:
                    pass
            self.pipe = os.fdopen(write, "wb", buffering=1 << 20)
            self.loading = self.thread.submit(self._stream, os.fdopen(read, "rb", buffering=0))
        else:
            self.quads = Spill()

    def write(self, nquads: bytes) -> None:
        """N-Quads into the load beside the plans' (when it :attr:`streams`): a first build's
        links and vocabulary, so that nothing is loaded into the store after it."""
        try:
            self.pipe.write(nquads)
        except BrokenPipeError:  # the load stopped: its error
            self.loading.result()
            raise

    def add(self, parsed: Parsed) -> None:
        if self.pipe is not None:
            self.write(parsed.nquads)
        else:
            self.quads.write(parsed.nquads)
        self.tallies.put(parsed.iri, parsed.tally)
        parsed.nquads, parsed.tally = b"", None  # in the store, or on disk until the load
        self.added.append(parsed)

    @property
    def waiting(self) -> bool:
        """Are plans added still to be written?"""
        return bool(self.added) and self.pending is None

    def flush(self) -> None:
        """Every plan is in: end the stream (or start loading the file), then finish."""
        if self.pending is None:
            self._end_stream()
            batch = list(self.added)
            # streamed: what ``finish`` needs is prepared here while the load ends (its last
            # batch of a million quads, mostly on one core)
            ready = self.prepare(batch, self.tallies) if self.streams and self.prepare and batch else None
            self.pending = self.thread.submit(self._finish, batch, ready)

    def close(self) -> None:
        """Write every plan added and wait for the write to end."""
        self.flush()
        started = time.perf_counter()
        self.pending.result()
        timings = self.report.timings
        timings["waiting for the store"] = timings.get("waiting for the store", 0.0) + time.perf_counter() - started

    def shutdown(self) -> None:
        """End the stream and the thread (a load under way ends first: RocksDB cannot be stopped
        midway; the plans it wrote have no source hash, so the next build writes them again)
        and remove the temporary files."""
        try:
            self._end_stream()
        except OSError:
            pass
        self.thread.shutdown(wait=True)
        if self.quads is not None:
            self.quads.close()
        self.tallies.close()

    def _end_stream(self) -> None:
        if self.pipe is not None:
            pipe, self.pipe = self.pipe, None
            _PIPES.discard(pipe.fileno())
            try:
                pipe.close()
            except BrokenPipeError:
                self.loading.result()
                raise

    def _stream(self, reader) -> None:
        try:  # our own N-Quads, valid by construction: the IRIs are not checked again
            self.store.bulk_load(reader, ox.RdfFormat.N_QUADS, lenient=True)
        finally:
            _PIPES.discard(reader.fileno())
            reader.close()  # a failed load: the next write into the pipe fails at once

    def _finish(self, batch: list[Parsed], ready) -> None:
        before = {}
        if self.quads is not None:
            self.started = time.perf_counter()
            if batch:
                before = self.replace(batch)
                load_spilled(self.store, self.quads)
        else:
            self.loading.result()
        timings = self.report.timings
        timings["writing into the store"] = timings.get("writing into the store", 0.0) + \
            time.perf_counter() - self.started
        if batch:
            self.finish(batch, self.report, self.tallies, before, ready=ready)
