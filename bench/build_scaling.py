"""How `kepugraph build` grows with the size of one plan: parse, graph, Turtle, in seconds.

The plan is the bundled reference plan with its body repeated under new top-level
headings, to about 100, 200 and 400 KB (a State Council 分工 plan is 50–150 KB). Prints a
table and the ratio of the 400 KB time to the 100 KB time (goal: under ~3, i.e. linear).

    python bench/build_scaling.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepugraph.extraction.parser import parse_text  # noqa: E402
from kepugraph.rdf import plan_to_graph, serialize  # noqa: E402
from kepugraph.reading.source import BUNDLED_PLAN  # noqa: E402

HEADINGS = "四五六七八九十"


def plan_of(kilobytes: int) -> str:
    base = BUNDLED_PLAN.read_text(encoding="utf-8")
    body = base[base.index("三、"):]
    parts, i = [base], 0
    while sum(len(p.encode("utf-8")) for p in parts) < kilobytes * 1024:
        parts.append(body.replace("三、", f"{HEADINGS[i % len(HEADINGS)]}、", 1))
        i += 1
    return "\n".join(parts)


def timed(text: str) -> tuple[float, float, float, int]:
    t0 = time.perf_counter()
    plan = parse_text(text)
    t1 = time.perf_counter()
    graph = plan_to_graph(plan)
    t2 = time.perf_counter()
    serialize(graph)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, len(plan.measures)


def main() -> None:
    totals = {}
    print(f"{'size':>8} {'measures':>9} {'parse':>7} {'graph':>7} {'turtle':>7} {'total':>7}  (median of 3, s)")
    for kb in (100, 200, 400):
        text = plan_of(kb)
        runs = [timed(text) for _ in range(3)]
        parse, graph, turtle = (statistics.median(r[i] for r in runs) for i in range(3))
        totals[kb] = parse + graph + turtle
        print(f"{len(text.encode('utf-8')) // 1024:>6}KB {runs[0][3]:>9} {parse:>7.2f} {graph:>7.2f} {turtle:>7.2f} "
              f"{totals[kb]:>7.2f}")
    print(f"400 KB / 100 KB: {totals[400] / totals[100]:.1f}×")


if __name__ == "__main__":
    main()
