"""A corpus build's writing side: what it reports, and the plans parsed written into the store
batch by batch on a thread of their own while the workers parse the next ones."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from kepugraph.store.parsed import Parsed


@dataclass
class BuildReport:
    loaded: list[Parsed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Parsed] = field(default_factory=list)
    #: where the build went, in seconds: the workers' reading, parsing and triples (summed
    #: over the workers: CPU time on their cores), and in this process the hashing of the
    #: sources, writing into the store and the link stage (wall time)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def measures(self) -> int:
        return sum(p.measures for p in self.loaded)

    @property
    def warnings(self) -> int:
        return sum(p.warnings for p in self.loaded)



#: A build writes the plans parsed into the store in batches of N-Quads this size at least
#: (each bulk load has a cost of its own) and at most (memory) ...
_BATCH_MIN, _BATCH_MAX = 8 << 20, 128 << 20
#: ... growing with what is loaded already, a fraction of it, so that a large build makes a few
#: dozen bulk loads and the last one, which nothing overlaps, stays small
_BATCH_GROWTH = 8

class Writer:
    """Writes the plans parsed into the store batch by batch, on a thread of its own: the
    bulk load runs outside the GIL while this process takes in the workers' next plans (a
    cold build on two cores left one idle for the whole of its single load). One batch is
    written while the next fills; a failure of the write is raised by the next ``add`` or ``close``."""

    def __init__(self, load: Callable[[list[Parsed], BuildReport], None], report: BuildReport):
        self.load, self.report = load, report
        self.batch: list[Parsed] = []
        self.added: list[Parsed] = []  # every plan handed in, written or not yet
        self.size = self.written = 0
        self.thread: ThreadPoolExecutor | None = None
        self.pending: Future | None = None

    def add(self, parsed: Parsed) -> None:
        self.added.append(parsed)
        self.batch.append(parsed)
        self.size += len(parsed.nquads)
        if self.size >= min(_BATCH_MAX, max(_BATCH_MIN, self.written // _BATCH_GROWTH)) and (
                self.pending is None or self.pending.done() or self.size >= _BATCH_MAX):
            # while a write is under way the batch grows on (to the most memory allows): this
            # process waiting for the store would leave the workers waiting too
            self._flush()

    def flush(self) -> None:
        """Start writing what is left."""
        if self.batch:
            self._flush()

    def close(self) -> None:
        """Write what is left and wait for every write to end."""
        self.flush()
        self._wait()

    def shutdown(self) -> None:
        if self.thread is not None:  # a write under way ends (RocksDB cannot be stopped midway)
            self.thread.shutdown(wait=True)

    def _flush(self) -> None:
        self._wait()
        if self.thread is None:
            self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kepugraph-load")
        batch, self.batch, self.written, self.size = self.batch, [], self.written + self.size, 0
        self.pending = self.thread.submit(self._timed_load, batch)

    def _wait(self) -> None:
        if self.pending is not None:
            started = time.perf_counter()
            pending, self.pending = self.pending, None
            pending.result()
            timings = self.report.timings
            timings["waiting for the store"] = timings.get("waiting for the store", 0.0) + time.perf_counter() - started

    def _timed_load(self, batch: list[Parsed]) -> None:
        started = time.perf_counter()
        self.load(batch, self.report)
        timings = self.report.timings
        timings["writing into the store"] = timings.get("writing into the store", 0.0) + time.perf_counter() - started
