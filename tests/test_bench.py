"""The benchmark's generator is deterministic, its plans parse, and bench/run.py runs."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from kepugraph.extraction.parser import parse_text  # noqa: E402


def test_generator_is_deterministic():
    a, b = generate(12, seed=7), generate(12, seed=7)
    assert a == b
    assert generate(12, seed=8) != a
    assert [name.split("-")[1] for name, _ in a][:4] == ["national.txt", "省", "市", "县"]


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
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--plans", "5", "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("kepugraph benchmark — 5 plans, 150 measures")
    r = json.loads(out.read_text(encoding="utf-8"))
    assert r["plans"] == 5 and r["failed"] == 0 and r["triples"] > 0
    assert set(r["queries"]) == {"workload", "pairs", "tasks"}
    assert all(q["same_rows"] for q in r["queries"].values())
    for key in ("build_s", "turtle_load_memory_s", "projection_s", "centrality_s"):
        assert isinstance(r[key], (int, float)) and 0 <= r[key] < 600, key  # seconds, within the run's timeout
    assert r["build_s"] > 0
    assert 50 < r["peak_rss_mb"] < 24 * 1024  # a Python process with rdflib, on this machine
