"""A corpus build's writing side: what it reports, and the plans parsed collected in temporary
files, then written into the store by one bulk load on a thread of its own."""

from __future__ import annotations

import pickle
import time
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterator

from kepugraph.store.links import Spill
from kepugraph.store.parsed import Parsed


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


class Writer:
    """Collects the plans parsed, their N-Quads and tallies in temporary files (about 320 KB a
    plan on disk, 1.4 KB in memory), and writes them all into the store with one bulk load,
    on a thread of its own (outside the GIL) while the build computes the links.

    One load, not a load a batch while the workers parse: every batch ingested into the store
    overlaps the keys of all the others (plans and measures are hashed), so each load costs
    more than the one before. Measured on this machine (2 cores): the N-Quads of 3,000 plans
    took 22.2 s (38.5 s of CPU) in the build's growing batches and 16.7 s (26.4 s) as one load;
    a 30,000-plan build spent 584 s writing its batches, where one load of its 9.5 GB took 167 s.
    A failure of the write is raised by ``close``."""

    def __init__(self, load: Callable[[list[Parsed], BuildReport, Spill, Mapping], None],
                 report: BuildReport):
        self.load, self.report = load, report
        self.added: list[Parsed] = []  # every plan handed in, written or not yet
        self.quads = Spill()
        self.tallies = Tallies()
        self.thread: ThreadPoolExecutor | None = None
        self.pending: Future | None = None

    def add(self, parsed: Parsed) -> None:
        self.quads.write(parsed.nquads)
        self.tallies.put(parsed.iri, parsed.tally)
        parsed.nquads, parsed.tally = b"", None  # on disk until the load
        self.added.append(parsed)

    @property
    def waiting(self) -> bool:
        """Are there plans not yet being written?"""
        return bool(self.added) and self.pending is None

    def flush(self) -> None:
        """Start writing every plan added (once: later plans are not taken)."""
        if self.waiting:
            self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kepugraph-load")
            self.pending = self.thread.submit(self._timed_load, list(self.added))

    def close(self) -> None:
        """Write every plan added and wait for the write to end."""
        self.flush()
        if self.pending is not None:
            started = time.perf_counter()
            self.pending.result()
            timings = self.report.timings
            timings["waiting for the store"] = timings.get("waiting for the store", 0.0) + time.perf_counter() - started

    def shutdown(self) -> None:
        """End the thread (a write under way ends first: RocksDB cannot be stopped midway) and
        remove the temporary files."""
        if self.thread is not None:
            self.thread.shutdown(wait=True)
        self.quads.close()
        self.tallies.close()

    def _timed_load(self, batch: list[Parsed]) -> None:
        started = time.perf_counter()
        self.load(batch, self.report, self.quads, self.tallies)
        timings = self.report.timings
        timings["writing into the store"] = timings.get("writing into the store", 0.0) + time.perf_counter() - started
