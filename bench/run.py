"""Benchmark a corpus side by side on Oxigraph and rdflib's in-memory graph.

    python bench/run.py --plans 3000 --json bench/results.json

Generates N synthetic plans (bench/generate.py), then measures in one run: parse+build
into an on-disk Oxigraph store (all cores) and peak memory; loading the corpus' Turtle
into rdflib and into Oxigraph; the workload, pairs and tasks-of-unit queries on both
stores; the unit projection and the centralities. Prints a table and writes the JSON.
Figures are wall-clock seconds of one run on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import write  # noqa: E402

from kepugraph import analysis, sparql  # noqa: E402
from kepugraph.corpus import Corpus  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(fn, *args, **kwargs):
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


def run(n_plans: int, workers: int | None = None, memory: bool = True, seed: int = 2021) -> dict:

    work = Path(tempfile.mkdtemp(prefix="kepugraph-bench-"))
    try:
        return _run(work, n_plans, workers, memory, seed)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # a 3,000-plan store takes gigabytes


def _run(work: Path, n_plans: int, workers: int | None, memory: bool, seed: int) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    files = write(n_plans, work / "plans", seed)
    out: dict = {"plans": n_plans, "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                               f"Python {platform.python_version()}"}
    with Corpus(work / "store") as corpus:
        report, out["build_s"] = timed(corpus.build, files, workers=workers)
        out["failed"] = len(report.failed)
        out["measures"] = report.measures
        out["peak_rss_mb"] = round(peak_rss_mb(), 1)
        store = corpus.store
        out["triples"] = len(store)
        # the corpus as one Turtle file, as a researcher would receive it
        turtle = ox.serialize((q.triple for q in store), format=ox.RdfFormat.TURTLE)
        out["turtle_mb"] = round(len(turtle) / 1e6, 1)
        _, out["turtle_load_oxigraph_s"] = timed(lambda: ox.Store().load(turtle, ox.RdfFormat.TURTLE))
        graph = None
        if memory:
            graph, out["turtle_load_memory_s"] = timed(lambda: Graph().parse(data=turtle.decode("utf-8"),
                                                                           format="turtle"))
        rows, out["rows_s"] = timed(corpus.rows)
        busiest = analysis.workload(rows)[0].unit
        oxi = corpus.oxi
        mem = sparql.MemoryStore(graph) if graph is not None else None
        out["queries"] = {}
        for name, params in (("workload", {}), ("pairs", {}), ("tasks", {"unit": busiest})):
            q = "tasks-of-unit" if name == "tasks" else name
            res, t_ox = timed(sparql.run_named, q, oxi, **params)
            entry = {"oxigraph_s": round(t_ox, 3), "rows": len(res.rows)}
            if mem is not None:
                res_m, t_mem = timed(sparql.run_named, q, mem, **params)
                entry["memory_s"] = round(t_mem, 3)
                entry["same_rows"] = res_m.values() == res.values()
            out["queries"][name] = entry
        g, out["projection_s"] = timed(analysis.projection, rows)
        out["units"] = g.number_of_nodes()
        (cent, note), out["centrality_s"] = timed(analysis.centrality, rows)
        out["centrality_note"] = note
        out["peak_rss_mb_total"] = round(peak_rss_mb(), 1)
    for k, v in list(out.items()):
        if isinstance(v, float):
            out[k] = round(v, 3)
    return out


def table(r: dict) -> str:
    lines = [f"kepugraph benchmark — {r['plans']} plans, {r['measures']} measures, {r['triples']} triples, "
             f"{r['units']} units ({r['machine']})",
             f"{'step':<34}{'oxigraph':>12}{'rdflib memory':>16}"]
    lines.append(f"{'parse + build + load (all cores)':<34}{r['build_s']:>11.2f}s{'':>16}")
    lines.append(f"{'peak memory after build':<34}{r['peak_rss_mb']:>10.0f}MB{'':>16}")
    mem = r.get("turtle_load_memory_s")
    lines.append(f"{'load Turtle (' + str(r['turtle_mb']) + ' MB)':<34}{r['turtle_load_oxigraph_s']:>11.2f}s"
                 + (f"{mem:>15.2f}s" if mem is not None else f"{'—':>16}"))
    for name, q in r["queries"].items():
        m = q.get("memory_s")
        lines.append(f"{name + ' query':<34}{q['oxigraph_s']:>11.3f}s" + (f"{m:>15.3f}s" if m is not None else f"{'—':>16}"))
    lines.append(f"{'measure rows from the store':<34}{r['rows_s']:>11.2f}s")
    lines.append(f"{'unit projection (networkx)':<34}{r['projection_s']:>11.3f}s")
    lines.append(f"{'centralities':<34}{r['centrality_s']:>11.2f}s   {r['centrality_note']}")
    lines.append(f"{'peak memory, whole run':<34}{r['peak_rss_mb_total']:>10.0f}MB")
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=300)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-memory", action="store_true", help="Skip rdflib's in-memory store (slow on large corpora).")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE", help="Write the figures as JSON (to FILE or stdout).")
    args = ap.parse_args()
    result = run(args.plans, args.workers, memory=not args.no_memory)
    print(table(result))
    if args.json == "-":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
