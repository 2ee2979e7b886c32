"""CPU time per plan of a corpus worker's three steps: reading, parsing, triples.

The steps are those of :func:`kepugraph.store.parsed.parse_one` (read_source,
parse_document, parsed_from), timed with ``time.process_time`` so that other load on the
machine counts less than in wall time. Two sets: N synthetic plans (bench/generate.py,
default 200) and the real dev excerpts of tests/data/dev. Each set is timed three times
after a warm-up of five plans; the median run is printed, in ms per plan.

    python bench/parse_cpu.py [--plans 200] [--seed 2021]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write  # noqa: E402

from kepugraph.errors import ParseError  # noqa: E402
from kepugraph.extraction.parser import parse_document  # noqa: E402
from kepugraph.reading.source import read_source  # noqa: E402
from kepugraph.store.parsed import parsed_from  # noqa: E402

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "dev"
STEPS = ("reading", "parsing", "triples")


def one_run(paths: list[Path]) -> tuple[float, float, float]:
    """Seconds of CPU spent on each step over ``paths``."""
    spent = [0.0, 0.0, 0.0]
    for path in paths:
        t0 = time.process_time()
        source = read_source(str(path))
        t1 = time.process_time()
        try:
            plan = parse_document(source)
        except ParseError:  # a dev excerpt without annotations: its parsing still counts
            plan = None
        t2 = time.process_time()
        if plan is not None:
            parsed_from(plan, str(path))
        t3 = time.process_time()
        spent[0] += t1 - t0
        spent[1] += t2 - t1
        spent[2] += t3 - t2
    return spent[0], spent[1], spent[2]


def measure(paths: list[Path], runs: int = 3) -> list[float]:
    """Median over ``runs`` of each step's CPU ms per plan (the median of the totals' run)."""
    one_run(paths[:5])  # warm-up: imports, compiled patterns, caches of the first plans
    timed = sorted((one_run(paths) for _ in range(runs)), key=sum)
    return [s * 1000 / len(paths) for s in timed[len(timed) // 2]]


def report(name: str, paths: list[Path]) -> None:
    ms = measure(paths)
    cells = "  ".join(f"{step} {v:6.2f}" for step, v in zip(STEPS, ms))
    print(f"{name:<28} {len(paths):>5} plans  {cells}  total {sum(ms):6.2f} ms/plan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"CPU ms per plan (time.process_time, median of 3 after a warm-up of 5); load average {load}")
    with tempfile.TemporaryDirectory(prefix="kepugraph-parse-cpu-") as tmp:
        paths = sorted(write(args.plans, tmp, args.seed))
        report(f"synthetic (seed {args.seed})", paths)
    report("dev excerpts", sorted(DEV.glob("*.txt")))
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
