"""The benchmark's generator is deterministic, its plans parse, and bench/run.py runs."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate, level_counts, plans  # noqa: E402

from kepugraph.extraction.parser import parse_text  # noqa: E402


def test_generator_is_deterministic():
    a, b = generate(12, seed=7), generate(12, seed=7)
    assert a == b
    assert generate(12, seed=8) != a
    assert [name.split("-")[1] for name, _ in a][:4] == ["national.txt", "省", "市", "县"]


@pytest.mark.parametrize("n", [*range(1, 14), 120, 121, 299, 300])
def test_generator_ends_with_exactly_the_plans_asked_for(n):
    # --plans 120 looped for ever: the levels' rounded shares came to one plan short
    names = [name for name, _ in plans(n)]
    assert len(names) == len(set(names)) == n
    levels = Counter(name.split("-")[1] for name in names[1:])
    assert dict(levels) == {k: v for k, v in level_counts(n).items() if v}
    assert names[0] == "000-national.txt"


def test_level_counts_keep_the_cascades_shares():
    assert level_counts(1) == {"省": 0, "市": 0, "县": 0}
    assert level_counts(2) == {"省": 1, "市": 0, "县": 0}
    assert level_counts(120) == {"省": 1, "市": 12, "县": 106}
    assert level_counts(3000) == {"省": 29, "市": 312, "县": 2658}
    assert level_counts(30000) == {"省": 290, "市": 3118, "县": 26591}


def test_generator_is_lazy_and_linear():
    # one plan at a time: the 30,000th plan is made without holding the others
    it = plans(30000)
    first = [next(it) for _ in range(4)]
    assert [name.split("-")[1] for name, _ in first] == ["national.txt", "省", "市", "县"]


def test_generated_titles_stay_apart_past_the_31_provinces():
    # 3,500 plans hold 34 provinces: the 32nd is 山东乙 (the stems count: 甲 0, 乙 1), not a second 山东
    titles = [text.splitlines()[6] for _, text in plans(3500)]
    assert len(set(titles)) == 3500
    assert "山东乙省全民科学素质行动规划纲要实施方案（2021-2025年）" in titles


def test_generated_plans_parse_with_every_annotation_read():
    for name, text in generate(8, seed=3):
        plan = parse_text(text)
        assert len(plan.measures) == 30, name
        assert plan.warnings == []
        assert plan.meta.doc_number and plan.meta.title.endswith("实施方案（2021-2025年）")
        if not name.startswith("000"):
            assert len(plan.meta.cites) == 1


def test_bench_run_smoke(tmp_path):
    out = tmp_path / "r.json"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--plans", "5", "--json", str(out)],
                          capture_output=True, text=True, timeout=600, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kepugraph benchmark — 5 plans, 150 measures")
    assert "queries limited to 600 s and 8192 MB each, rows unlimited (the bench's own limits)" in done.stdout
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["plans"] == 5 and r["failed"] == 0 and r["triples"] > 0 and "error" not in r
    assert r["limits"] == {"query_seconds": 600.0, "rows": None, "memory_mb": 8192, "note": "the bench's own limits"}
    assert set(r["queries"]) == {"workload", "pairs", "tasks"}
    assert all(q["same_rows"] for q in r["queries"].values())
    assert set(r["build_split_s"]) == {"hashing", "reading", "parsing", "triples", "writing into the store",
                                       "waiting for the store", "links", "writing the links"}
    assert set(r["cli"]) == set(r["cli_after_baselines"]) == {"workload_s", "pairs_s", "tasks_s", "start_s"}
    assert r["totals"]["same_tasks"] and r["totals"]["tasks_texts_s"] >= r["totals"]["read_s"]
    assert set(r["one_plan"]) == {"add_s", "change_s", "remove_s"}
    for key in ("build_s", "turtle_load_memory_s", "turtle_load_oxigraph_s", "turtle_load_oxigraph_disk_s",
                "projection_s", "centrality_s"):
        assert isinstance(r[key], (int, float)) and 0 <= r[key] < 600, key  # seconds, within the run's timeout
    assert r["build_s"] > 0
    assert 50 < r["peak_rss_mb"] < 24 * 1024  # a Python process with rdflib, on this machine
    assert list(scratch.iterdir()) == []  # the temporary folder is gone


def test_bench_cleans_up_and_writes_its_json_when_stopped(tmp_path):
    out = tmp_path / "r.json"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "run.py"), "--plans", "400", "--no-memory",
                             "--json", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.monotonic() + 300
    while not any((d / "store").exists() for d in scratch.iterdir()):  # building: the store is there
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    stdout, _ = proc.communicate(timeout=300)
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(scratch.iterdir()) == []
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["plans"] == 400 and r["error"] == f"SystemExit: {128 + signal.SIGTERM}"
    assert "broke off: SystemExit: 143" in stdout
