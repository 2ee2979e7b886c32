"""Benchmark a corpus side by side on Oxigraph and rdflib's in-memory graph.

    python bench/run.py --plans 3000 --json bench/results.json

Generates N synthetic plans (bench/generate.py), then measures in one run: parse+build
into an on-disk Oxigraph store (all cores) and peak memory; loading the corpus' Turtle
into rdflib and into an in-memory Oxigraph store; the workload, pairs and tasks-of-unit
SPARQL queries on the on-disk store, the in-memory Oxigraph store and rdflib; the same
three answers as the CLI computes them on a corpus (rows from the plans' digests, then
Python); the unit projection and the centralities. Prints a table and writes the JSON.
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
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import write  # noqa: E402

from kepugraph import analysis, sparql  # noqa: E402
from kepugraph import store as kstore  # noqa: E402
from kepugraph.store.corpus import Corpus  # noqa: E402


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
        copy = ox.Store()
        copy.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
        turtle = ox.serialize((q.triple for q in copy), format=ox.RdfFormat.TURTLE)
        del copy
        out["turtle_mb"] = round(len(turtle) / 1e6, 1)
        in_memory, out["turtle_load_oxigraph_s"] = timed(lambda: _ox_from(turtle))  # noqa: F821 (deleted below, after the call)
        graph = None
        if memory:
            graph, out["turtle_load_memory_s"] = timed(lambda: Graph().parse(data=turtle.decode("utf-8"),  # noqa: F821
                                                                           format="turtle"))
        del turtle
        # what `kepugraph workload|pairs|tasks --store` do: rows (one digest per plan), then networkx/Python
        rows, out["rows_s"] = timed(corpus.rows)
        wl, t_wl = timed(analysis.workload, rows)
        pr, t_pr = timed(analysis.pairs, rows)
        busiest = wl[0].unit
        tasks, t_tasks = timed(lambda: [r for r in corpus.rows() if any(n == busiest for n, _ in r.units)])
        out["commands"] = {"workload_s": round(out["rows_s"] + t_wl, 3), "pairs_s": round(out["rows_s"] + t_pr, 3),
                           "tasks_s": round(t_tasks, 3), "workload_rows": len(wl), "pairs_rows": len(pr),
                           "tasks_rows": len(tasks)}
        stores = {"oxigraph_s": corpus.oxi, "oxigraph_memory_s": _MemoryOx(in_memory)}
        if graph is not None:
            stores["memory_s"] = kstore.MemoryStore(graph)
        out["queries"] = {}
        for name, params in (("workload", {}), ("pairs", {}), ("tasks", {"unit": busiest})):
            q = "tasks-of-unit" if name == "tasks" else name
            # parsing the query (rdflib's parser, to refuse SERVICE and updates) is the
            # same for every store: timed apart, once
            _, t_check = timed(sparql.check, sparql.named_queries()[q].text)
            entry: dict = {"check_s": round(t_check, 3)}
            answers = []
            for key, st in stores.items():
                res, t = timed(sparql.run_named, q, st, **params)
                entry[key] = round(t, 3)
                answers.append(res.values())
            entry["rows"] = len(answers[0])
            entry["same_rows"] = all(a == answers[0] for a in answers)
            out["queries"][name] = entry
        g, out["projection_s"] = timed(analysis.projection, rows)
        out["units"] = g.number_of_nodes()
        (cent, note), out["centrality_s"] = timed(analysis.centrality, rows)
        out["centrality_note"] = str(note)
        # the same with each plan's units kept apart (县科协 of every county its own node)
        apart = [replace(r, units=[(f"{r.plan}·{n}", role) for n, role in r.units]) for r in rows]
        g, out["projection_per_plan_s"] = timed(analysis.projection, apart)
        out["units_per_plan"] = g.number_of_nodes()
        out["edges_per_plan"] = g.number_of_edges()
        del g
        (cent, note), out["centrality_per_plan_s"] = timed(analysis.centrality, apart)
        out["centrality_per_plan_note"] = str(note)
        out["peak_rss_mb_total"] = round(peak_rss_mb(), 1)
    for k, v in list(out.items()):
        if isinstance(v, float):
            out[k] = round(v, 3)
    return out


def _ox_from(turtle: bytes):
    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_load(turtle, ox.RdfFormat.TURTLE)
    return st


class _MemoryOx(kstore.OxigraphStore):
    """pyoxigraph's in-memory store holding the corpus' Turtle (all in the default graph)."""

    def __init__(self, store):
        self.store, self.name, self.plan_graph = store, "oxigraph in memory", None


def table(r: dict) -> str:
    lines = [f"kepugraph benchmark — {r['plans']} plans, {r['measures']} measures, {r['triples']} triples, "
             f"{r['units']} unit names ({r['machine']})",
             f"{'step':<36}{'oxigraph disk':>14}{'oxigraph mem':>14}{'rdflib mem':>12}"]
    lines.append(f"{'parse + build + load (all cores)':<36}{r['build_s']:>13.2f}s")
    lines.append(f"{'peak memory after build':<36}{r['peak_rss_mb']:>11.0f} MB")
    mem = r.get("turtle_load_memory_s")
    lines.append(f"{'load Turtle (' + str(r['turtle_mb']) + ' MB)':<36}{'':>14}{r['turtle_load_oxigraph_s']:>13.2f}s"
                 + (f"{mem:>11.2f}s" if mem is not None else f"{'—':>12}"))
    for name, q in r["queries"].items():
        m = q.get("memory_s")
        lines.append(f"{'SPARQL ' + name:<36}{q['oxigraph_s']:>13.3f}s{q['oxigraph_memory_s']:>13.3f}s"
                     + (f"{m:>11.3f}s" if m is not None else f"{'—':>12}"))
    c = r["commands"]
    lines.append(f"{'rows from the store (digests)':<36}{r['rows_s']:>13.3f}s")
    for name in ("workload", "pairs", "tasks"):
        lines.append(f"{'kepugraph ' + name + ' --store':<36}{c[name + '_s']:>13.3f}s")
    lines.append(f"{'unit projection (networkx)':<36}{r['projection_s']:>13.3f}s")
    lines.append(f"{'centralities':<36}{r['centrality_s']:>13.2f}s   {r['centrality_note']}")
    lines.append(f"{'projection, units apart per plan':<36}{r['projection_per_plan_s']:>13.3f}s   "
                 f"{r['units_per_plan']} units, {r['edges_per_plan']} ties")
    lines.append(f"{'centralities, units apart per plan':<36}{r['centrality_per_plan_s']:>13.2f}s   "
                 f"{r['centrality_per_plan_note']}")
    lines.append(f"{'peak memory, whole run':<36}{r['peak_rss_mb_total']:>11.0f} MB")
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
