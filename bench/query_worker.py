"""What running a query in a worker process costs (issue #25): a small named query on the
reference plan, in-process and in a forked worker, on rdflib and on Oxigraph, in ms.

The worker is what lets --timeout and the memory cap hold for every query shape; the
figure to watch is the added milliseconds per query (goal: tens of ms, not seconds).

    python bench/query_worker.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepugraph import api, sparql  # noqa: E402
from kepugraph.store import open_store  # noqa: E402

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/kepugraph#Measure> }"


def median_ms(store, isolated: bool, runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sparql.run(QUERY, store, limits=sparql.Limits(isolated=isolated))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        spec = f"oxigraph:{tmp}/s"
        subprocess.run([sys.executable, "-m", "kepugraph", "build", "--store", spec], check=True, capture_output=True)
        print(f"{'store':<10} {'in-process ms':>14} {'worker ms':>10} {'added ms':>9}")
        for name, opener in [("rdflib", lambda: open_store("memory", api.load())), ("oxigraph", lambda: open_store(spec))]:
            with opener() as store:
                inner, worker = median_ms(store, False), median_ms(store, True)
                print(f"{name:<10} {inner:>14.1f} {worker:>10.1f} {worker - inner:>9.1f}")


if __name__ == "__main__":
    main()
