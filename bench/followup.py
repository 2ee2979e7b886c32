"""Follow-up (督办) timings: the review workbook written and read back, the progress sheets
written for every unit, all of them returned and imported, and the answer of `progress`.

Plans: the bundled reference plan (31 measures, 25 units) and the same plan repeated to
about 100 and 400 KB (bench/build_scaling.py's plans). Every unit fills in every row.
Prints a table in seconds; nothing is asserted (goal: a 400 KB plan's round in well under a
minute on a laptop).

    python bench/followup.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_scaling import plan_of  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from kepugraph import api  # noqa: E402
from kepugraph.reading.source import BUNDLED_PLAN  # noqa: E402


def fill(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb.active
    for row in ws.iter_rows(min_row=4):
        if row[0].value:
            row[7].value, row[10].value = "推进中", "2025年6月30日"
    wb.save(path)


def run(source: Path, work: Path) -> dict[str, float]:
    out = {}
    t = time.perf_counter()
    plan, book = api.review(source, work / "review.xlsx")
    out["review"] = time.perf_counter() - t
    t = time.perf_counter()
    api.parse(book)
    out["read back"] = time.perf_counter() - t
    graph = api.build(book, work / "graph").path
    t = time.perf_counter()
    sheets = api.progress_sheets(api.Source(graph), work / "sheets", "2025年6月")
    out["sheets"] = time.perf_counter() - t
    for s in sheets:
        fill(s)
    t = time.perf_counter()
    result = api.import_progress(sheets, graph=graph, today=dt.date(2025, 7, 1))
    out["import"] = time.perf_counter() - t
    t = time.perf_counter()
    p = api.follow_up(api.Source(graph), today=dt.date(2025, 7, 1))
    out["progress"] = time.perf_counter() - t
    out.update(measures=len(plan.measures), units=len(sheets), reports=result.new, tasks=len(p.tasks))
    return out


def main() -> None:
    cases = [("reference", BUNDLED_PLAN)]
    with tempfile.TemporaryDirectory() as tmp:
        for kb in (100, 400):
            path = Path(tmp) / f"plan-{kb}k.txt"
            path.write_text(plan_of(kb), encoding="utf-8")
            cases.append((f"{kb} KB", path))
        print(f"{'plan':<10} {'measures':>8} {'units':>5} {'reports':>7}  {'review':>7} {'read':>6} {'sheets':>7} "
              f"{'import':>7} {'progress':>8}  (seconds)")
        for name, path in cases:
            work = Path(tmp) / name.replace(" ", "")
            work.mkdir()
            r = run(path, work)
            print(f"{name:<10} {r['measures']:>8} {r['units']:>5} {r['reports']:>7}  {r['review']:>7.2f} "
                  f"{r['read back']:>6.2f} {r['sheets']:>7.2f} {r['import']:>7.2f} {r['progress']:>8.2f}")


if __name__ == "__main__":
    main()
