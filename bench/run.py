"""Benchmark a corpus side by side on Oxigraph and rdflib's in-memory graph.

    python bench/run.py --plans 3000 --no-memory --json bench/results-3000.json

Generates N synthetic plans (bench/generate.py), then measures in one run: the cold build
into an on-disk Oxigraph store (all cores), split by stage (reading, parsing, triples in the
workers; writing into the store on a thread of its own, beside the parsing; the main process
waiting for that writing; links) and its peak memory; the corpus dumped as one Turtle file
(streamed to disk) and loaded by Oxigraph itself, on disk and (below 10 M triples) in
memory, and by rdflib (unless --no-memory); the workload, pairs and tasks-of-unit SPARQL
queries on each; the same three answers from every plan's rows and from the corpus totals
(what the CLI reads), in process, and as a command (right after the build, and again after the
baselines took the page cache); the unit projection and the centralities; adding, changing
and removing one plan (each updates the totals).

Queries run under the bench's own limits (``--query-seconds``, rows unlimited, 8 GB of
memory for a query's worker: the machine has 24 GB, and the pairs query over 3,000 plans
passes the CLI's default of 768 MB), printed
with the figures: a side that passes them is reported as stopped, and the rest goes on.
The JSON is written whatever happens (with ``error`` when the run broke off), and the
temporary folder is removed on any exit, Ctrl-C and SIGTERM included. Figures are
wall-clock seconds of one run on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph as ox  # noqa: E402
from generate import plan_text, write  # noqa: E402

from kepugraph import analysis, sparql  # noqa: E402
from kepugraph import store as kstore  # noqa: E402
from kepugraph.errors import KepugraphError  # noqa: E402
from kepugraph.store import totals as ktotals  # noqa: E402
from kepugraph.store.corpus import Corpus  # noqa: E402

#: Above this many triples the corpus is not loaded into an in-memory Oxigraph store
#: (about 1 GB a million triples there: 30,000 plans would take the machine's memory).
MEMORY_LOAD_MAX_TRIPLES = 10_000_000
#: The memory a query's worker process may take in the bench (the CLI's default is 768 MB).
QUERY_MEMORY = 8 << 30


NATIONAL = "全民科学素质行动规划纲要实施方案（2021-2025年）"


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(fn, *args, **kwargs):
    _stop_if_signalled()
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    took = time.perf_counter() - t
    _stop_if_signalled()
    return result, took


_STOPPED: list[int] = []  # the signal that stopped the run, whatever the exception it became


def _raise_exit(signum, frame):  # noqa: ARG001
    _STOPPED.append(signum)
    raise SystemExit(128 + signum)  # unwinds through every finally: the temporary folder goes


def _stop_if_signalled() -> None:
    """Stop at the next step when a signal came and its SystemExit was swallowed on the way
    (raised where Python only reports an exception: a finaliser, a callback)."""
    if _STOPPED:
        raise SystemExit(128 + _STOPPED[0])


def run(n_plans: int, workers: int | None = None, memory: bool = True, seed: int = 2021,
        query_seconds: float = 600, out: dict | None = None) -> dict:
    """Run the benchmark; figures go into ``out`` as they are measured (so a caller holds
    what was measured when a step breaks off)."""
    out = {} if out is None else out
    out.update({"plans": n_plans, "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                              f"Python {platform.python_version()}",
                "load_average_before": [round(x, 2) for x in os.getloadavg()],
                "limits": {"query_seconds": query_seconds, "rows": None, "memory_mb": QUERY_MEMORY >> 20,
                           "note": "the bench's own limits"}})
    work = Path(tempfile.mkdtemp(prefix="kepugraph-bench-"))
    try:
        _run(work, out, n_plans, workers, memory, seed, query_seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # a 30,000-plan store takes gigabytes
        out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        for k, v in list(out.items()):
            if isinstance(v, float):
                out[k] = round(v, 3)
    return out


def _run(work: Path, out: dict, n_plans: int, workers: int | None, memory: bool, seed: int,
         query_seconds: float) -> None:
    limits = sparql.Limits(rows=10**9, seconds=query_seconds, answer_bytes=2**40, memory_bytes=QUERY_MEMORY)
    files, out["generate_s"] = timed(write, n_plans, work / "plans", seed)
    store_dir = work / "store"
    with Corpus(store_dir) as corpus:
        started = time.perf_counter()

        def step(parsed) -> None:  # how far the build got, kept when a run is broken off
            done = out.setdefault("build_progress", {"plans": 0})
            done["plans"] += 1
            done["seconds"] = round(time.perf_counter() - started, 1)
            done["peak_rss_mb"] = round(peak_rss_mb(), 1)

        report, out["build_s"] = timed(corpus.build, files, workers=workers, progress=step)
        out["build_split_s"] = {k: round(v, 3) for k, v in report.timings.items()}
        out["failed"] = len(report.failed)
        out["measures"] = report.measures
        out["peak_rss_mb"] = round(peak_rss_mb(), 1)
        out["triples"] = len(corpus.store)
        found = ktotals.usable(corpus.store)
        busiest = analysis.workload_of_totals(found)[0].unit if found else None
    # the commands as a user runs them once the build is done (the store as the build left it)
    if busiest is not None:
        out["cli"] = _cli(store_dir, busiest)
    with Corpus(store_dir) as corpus:
        turtle = work / "corpus.ttl"
        _, out["turtle_write_s"] = timed(_dump_turtle, corpus.store, turtle)
        out["turtle_mb"] = round(turtle.stat().st_size / 1e6, 1)
        baselines = _turtle_loads(work, turtle, out, memory)
        turtle.unlink()
        # what `kepugraph workload|pairs|tasks --store` do: rows (one digest per plan), then Python
        rows, out["rows_s"] = timed(corpus.rows)
        wl, t_wl = timed(analysis.workload, rows)
        pr, t_pr = timed(analysis.pairs, rows)
        busiest = wl[0].unit
        # the same rows again would double the memory at 30,000 plans: their reading is timed once
        tasks, t_tasks = timed(lambda held=rows: [r for r in held if any(n == busiest for n, _ in r.units)])
        out["commands"] = {"workload_s": round(out["rows_s"] + t_wl, 3), "pairs_s": round(out["rows_s"] + t_pr, 3),
                           "tasks_s": round(out["rows_s"] + t_tasks, 3), "workload_rows": len(wl), "pairs_rows": len(pr),
                           "tasks_rows": len(tasks), "busiest": busiest}
        out["totals"] = _totals(corpus, wl, pr, busiest, len(tasks))
        stores = {"oxigraph_s": corpus.oxi, **baselines}
        out["queries"] = {}
        for name, params in (("workload", {}), ("pairs", {}), ("tasks", {"unit": busiest})):
            out["queries"][name] = _query(name, params, stores, limits)
        for st in baselines.values():
            st.close()
        del baselines, stores
        _networks(rows, out)
        del rows
    # again after the Turtle files and stores of the baselines (gigabytes at 30,000 plans) took the
    # machine's page cache: what a command costs when the store is read from disk
    out["cli_after_baselines"] = _cli(store_dir, busiest)
    out["one_plan"] = _one_plan(work, store_dir)
    out["peak_rss_mb_total"] = round(peak_rss_mb(), 1)


def _totals(corpus: Corpus, wl: list, pr: list, busiest: str, n_tasks: int) -> dict:
    """What the CLI computes from the corpus totals (kepugraph/store/totals.py), in process:
    reading them, workload and pairs from them, the tasks of the busiest unit from the plans
    naming it only; and whether the answers are those of the rows."""
    found, read_s = timed(ktotals.usable, corpus.store)
    if found is None:
        return {"note": "no totals in the store: the CLI answers from the rows"}
    wl_t, t_wl = timed(analysis.workload_of_totals, found, None, corpus.kinds(found["units"]))
    pr_t, t_pr = timed(analysis.pairs_of_totals, found)
    # tasks reads each plan's kp:brief (no texts); the whole rows, texts and all, from the digests
    tasks, t_tasks = timed(ktotals.rows_naming, corpus.store, busiest, texts=False)
    whole, t_whole = timed(ktotals.rows_naming, corpus.store, busiest)
    kinds = corpus.kinds(found["units"])
    return {"read_s": round(read_s, 3), "workload_s": round(read_s + t_wl, 3), "pairs_s": round(read_s + t_pr, 3),
            "tasks_s": round(read_s + t_tasks, 3), "tasks_texts_s": round(read_s + t_whole, 3),
            "totals_mb": round(len(json.dumps(found, ensure_ascii=False)) / 1e6, 1),
            "same_workload": [(r.unit, r.measures, r.lead, r.support, r.joint, r.share) for r in wl_t] ==
                             [(r.unit, r.measures, r.lead, r.support, r.joint, r.share) for r in wl]
                             and all(kinds.get(r.unit, "") == r.kind for r in wl_t),
            "same_pairs": [(p.units, p.shared, p.jaccard) for p in pr_t] == [(p.units, p.shared, p.jaccard) for p in pr],
            "same_tasks": len(tasks) == n_tasks and [(r.iri, r.id, r.title, r.path, r.units) for r in tasks] ==
                          [(r.iri, r.id, r.title, r.path, r.units) for r in whole]}


def _dump_turtle(store, path: Path) -> None:
    """The corpus as one Turtle file, as a researcher would receive it: every graph's
    triples written straight to the file by Oxigraph (a triple kept in two graphs is
    written twice; a load keeps it once)."""
    with open(path, "wb") as f:
        for g in sorted(store.named_graphs(), key=lambda n: n.value):
            store.dump(f, ox.RdfFormat.TURTLE, from_graph=g)


def _turtle_loads(work: Path, turtle: Path, out: dict, memory: bool) -> dict:
    """Oxigraph's own load of the Turtle (on disk; in memory below the size limit) and rdflib's."""
    on_disk = ox.Store(str(work / "turtle-store"))
    _, out["turtle_load_oxigraph_disk_s"] = timed(on_disk.bulk_load, path=str(turtle), format=ox.RdfFormat.TURTLE)
    stores = {"oxigraph_turtle_disk_s": _LoadedOx(on_disk, "oxigraph on disk (Turtle load)")}
    if out["triples"] <= MEMORY_LOAD_MAX_TRIPLES:
        in_memory = ox.Store()
        _, out["turtle_load_oxigraph_s"] = timed(in_memory.bulk_load, path=str(turtle), format=ox.RdfFormat.TURTLE)
        stores["oxigraph_memory_s"] = _LoadedOx(in_memory, "oxigraph in memory")
    else:
        out["turtle_load_oxigraph_note"] = f"in memory skipped: over {MEMORY_LOAD_MAX_TRIPLES} triples"
    if memory:
        from rdflib import Graph

        graph, out["turtle_load_memory_s"] = timed(lambda: Graph().parse(str(turtle), format="turtle"))
        stores["memory_s"] = kstore.MemoryStore(graph)
    return stores


def _query(name: str, params: dict, stores: dict, limits) -> dict:
    q = "tasks-of-unit" if name == "tasks" else name
    # parsing the query (rdflib's parser, to refuse SERVICE and updates) is the
    # same for every store: timed apart, once
    named = sparql.named_queries()[q]
    _, t_check = timed(sparql.check, named.text)
    entry: dict = {"check_s": round(t_check, 3)}
    answers = []
    for key, st in stores.items():
        try:
            res, t = timed(sparql.run, named.text_for(st), st, params, named.params, q, limits=limits)
        except KepugraphError as exc:  # past the bench's time limit: said, and the run goes on
            entry[key], entry[key[:-2] + "_note"] = None, str(exc)
            continue
        entry[key] = round(t, 3)
        answers.append(res.values())
    entry["rows"] = len(answers[0]) if answers else None
    entry["same_rows"] = all(a == answers[0] for a in answers)
    return entry


def _networks(rows, out: dict) -> None:
    g, out["projection_s"] = timed(analysis.projection, rows)
    out["units"] = g.number_of_nodes()
    (_, note), out["centrality_s"] = timed(analysis.centrality, rows)
    out["centrality_note"] = str(note)
    if len(rows) > 200_000:  # 30,000 plans: 750,000 nodes apart, minutes and gigabytes in networkx
        out["per_plan_note"] = "units apart per plan: skipped above 200,000 measures"
        return
    # the same with each plan's units kept apart (县科协 of every county its own node)
    apart = [replace(r, units=[(f"{r.plan}·{n}", role) for n, role in r.units]) for r in rows]
    g, out["projection_per_plan_s"] = timed(analysis.projection, apart)
    out["units_per_plan"] = g.number_of_nodes()
    out["edges_per_plan"] = g.number_of_edges()
    del g
    (_, note), out["centrality_per_plan_s"] = timed(analysis.centrality, apart)
    out["centrality_per_plan_note"] = str(note)


def _kepugraph(*args: str) -> float:
    """Wall time of one CLI command as a user runs it (a new Python process)."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kepugraph", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise RuntimeError(f"kepugraph {' '.join(args)}: {done.stderr.strip()[-300:]}")
    return round(elapsed, 3)


def _cli(store_dir: Path, unit: str) -> dict:
    spec = f"oxigraph:{store_dir}"
    return {"workload_s": _kepugraph("workload", "--store", spec),
            "pairs_s": _kepugraph("pairs", "--store", spec),
            "tasks_s": _kepugraph("tasks", unit, "--store", spec),
            "start_s": _kepugraph("--help")}


def _one_plan(work: Path, store_dir: Path) -> dict:
    """Add one new county plan, change it, remove it, each with one CLI command."""
    import random

    spec = f"oxigraph:{store_dir}"
    new = work / "new-county.txt"
    # a county plan citing the national one, as a new county's plan would cite its city's
    text, title = plan_text(random.Random(7), "县", "新增", 999_999, NATIONAL)
    new.write_text(text, encoding="utf-8")
    added = _kepugraph("build", str(new), "--store", spec)
    new.write_text(text.replace("制定本实施方案", "制定本实施方案（修订）"), encoding="utf-8")
    changed = _kepugraph("build", str(new), "--store", spec)
    removed = _kepugraph("remove", title, "--store", spec)
    return {"add_s": added, "change_s": changed, "remove_s": removed}


class _LoadedOx(kstore.OxigraphStore):
    """An Oxigraph store holding the corpus' Turtle (all in the default graph)."""

    def __init__(self, store, name: str):
        self.store, self.name, self.plan_graph = store, name, None


def _s(v, width: int = 13, digits: int = 3) -> str:
    return f"{v:>{width}.{digits}f}s" if isinstance(v, (int, float)) else f"{'—':>{width + 1}}"


def table(r: dict) -> str:
    """The figures as a table (whatever part of the run was measured)."""
    lim = r.get("limits", {})
    lines = [f"kepugraph benchmark — {r['plans']} plans, {r.get('measures', '?')} measures, "
             f"{r.get('triples', '?')} triples, {r.get('units', '?')} unit names ({r['machine']})",
             f"load average {r.get('load_average_before')} before, {r.get('load_average_after')} after; "
             f"queries limited to {lim.get('query_seconds', 0):g} s and {lim.get('memory_mb', 0)} MB each, rows unlimited "
             "(the bench's own limits)",
             f"{'step':<36}{'oxigraph disk':>14}{'oxigraph mem':>14}{'rdflib mem':>12}"]
    if "build_s" in r:
        lines.append(f"{'generate the plans':<36}{_s(r.get('generate_s'), 13, 2)}")
        lines.append(f"{'parse + build + load (all cores)':<36}{_s(r['build_s'], 13, 2)}")
        for k, v in r.get("build_split_s", {}).items():
            lines.append(f"{'  ' + k.replace('_', ' '):<36}{_s(v, 13, 2)}")
        lines.append(f"{'peak memory after build':<36}{r.get('peak_rss_mb', 0):>11.0f} MB")
    if "turtle_load_oxigraph_disk_s" in r:
        lines.append(f"{'load Turtle (' + str(r['turtle_mb']) + ' MB)':<36}{_s(r['turtle_load_oxigraph_disk_s'], 13, 2)}"
                     f"{_s(r.get('turtle_load_oxigraph_s'), 13, 2)}{_s(r.get('turtle_load_memory_s'), 11, 2)}")
        base = r.get("turtle_load_oxigraph_s") or r["turtle_load_oxigraph_disk_s"]
        lines.append(f"{'build / Oxigraph Turtle load':<36}{r['build_s'] / r['turtle_load_oxigraph_disk_s']:>13.1f}×"
                     + (f"{r['build_s'] / base:>13.1f}×" if r.get("turtle_load_oxigraph_s") else ""))
    lines += _query_lines(r)
    if r.get("error"):
        lines.append(f"broke off: {r['error']}")
    return "\n".join(lines)


def _cli_lines(r: dict) -> list[str]:
    lines = []
    for key, when in (("cli", "after the build"), ("cli_after_baselines", "after the baselines")):
        for name, v in r.get(key, {}).items():
            label = "kepugraph --help (start-up)" if name == "start_s" else f"kepugraph {name[:-2]} --store"
            lines.append(f"{label:<36}{_s(v)}   {when}")
    return lines


def _query_lines(r: dict) -> list[str]:
    lines = []
    for name, q in r.get("queries", {}).items():
        lines.append(f"{'SPARQL ' + name:<36}{_s(q.get('oxigraph_s'))}{_s(q.get('oxigraph_memory_s'))}"
                     f"{_s(q.get('memory_s'), 11)}" + ("" if q.get("same_rows") else "   rows differ!"))
        for key in ("oxigraph", "oxigraph_memory", "memory"):
            if q.get(key + "_note"):
                lines.append(f"    {key}: {q[key + '_note']}")
    if "commands" in r:
        c = r["commands"]
        lines.append(f"{'rows from the store (digests)':<36}{_s(r['rows_s'])}")
        for name in ("workload", "pairs", "tasks"):
            lines.append(f"{'workload|pairs|tasks in process'.replace('workload|pairs|tasks', name):<36}"
                         f"{_s(c[name + '_s'])}")
    t = r.get("totals", {})
    if "read_s" in t:
        lines.append(f"{'totals read from the store':<36}{_s(t['read_s'])}   {t['totals_mb']} MB of JSON")
        # tasks reads the plans' briefs; the whole rows, texts and all, come from their digests
        for name in ("workload", "pairs", "tasks", "tasks_texts"):
            label = "tasks as whole rows (digests)" if name == "tasks_texts" else name + " from the totals, in process"
            lines.append(f"{label:<36}{_s(t.get(name + '_s'))}" + ("" if t.get("same_" + name, True) else "   answers differ!"))
    elif t.get("note"):
        lines.append(t["note"])
    lines += _cli_lines(r)
    for name, v in r.get("one_plan", {}).items():
        lines.append(f"{'one plan: ' + name[:-2]:<36}{_s(v)}")
    if "projection_s" in r:
        lines.append(f"{'unit projection (networkx)':<36}{_s(r['projection_s'])}")
        lines.append(f"{'centralities':<36}{_s(r['centrality_s'], 13, 2)}   {r['centrality_note']}")
    if "projection_per_plan_s" in r:
        lines.append(f"{'projection, units apart per plan':<36}{_s(r['projection_per_plan_s'])}   "
                     f"{r['units_per_plan']} units, {r['edges_per_plan']} ties")
        lines.append(f"{'centralities, units apart per plan':<36}{_s(r['centrality_per_plan_s'], 13, 2)}   "
                     f"{r['centrality_per_plan_note']}")
    elif r.get("per_plan_note"):
        lines.append(r["per_plan_note"])
    if "peak_rss_mb_total" in r:
        lines.append(f"{'peak memory, whole run':<36}{r['peak_rss_mb_total']:>11.0f} MB")
    return lines


def _write_json(dest: str, result: dict) -> None:
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if dest == "-":
        print(text, end="")
        return
    tmp = Path(dest).with_name(Path(dest).name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, dest)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=300)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--no-memory", action="store_true", help="Skip rdflib's in-memory store (slow on large corpora).")
    ap.add_argument("--query-seconds", type=float, default=600,
                    help="The bench's time limit for one query (default 600 s; rows are not limited).")
    ap.add_argument("--json", nargs="?", const="-", metavar="FILE", help="Write the figures as JSON (to FILE or stdout).")
    args = ap.parse_args()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_exit)
    result: dict = {}
    status = 0
    try:
        run(args.plans, args.workers, memory=not args.no_memory, seed=args.seed,
            query_seconds=args.query_seconds, out=result)
    except BaseException as exc:  # noqa: BLE001 - said in the JSON and the table, then the status
        # a signal landing inside a stage that rewraps what it catches still ends the run as a signal
        if _STOPPED and not isinstance(exc, SystemExit):
            exc = SystemExit(128 + _STOPPED[0])
        result["error"] = f"{type(exc).__name__}: {exc}"
        status = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 1
    else:
        if _STOPPED:  # a signal whose SystemExit was swallowed after the last step: still a stop
            status = 128 + _STOPPED[0]
            result["error"] = f"SystemExit: {status}"
    print(table(result))
    if args.json:
        _write_json(args.json, result)
    return status


if __name__ == "__main__":
    sys.exit(main())
