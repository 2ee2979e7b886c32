"""The 20 real excerpts of tests/data/dev/ against their hand-made gold annotations.

A measure is matched by the first characters of its text (``text_start`` in the gold);
then its units and roles must equal the gold's, and so must the vague references.
"""

import json
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parent / "data" / "dev"
GOLD = sorted(DEV.glob("*.json"))


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_dev_excerpt(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    from kepugraph.extraction.parser import parse_source
    from kepugraph.reading.source import read_source

    plan = parse_source(read_source(gold_path.with_suffix(".txt")))
    assert len(plan.measures) == len(gold["measures"])
    for g, m in zip(gold["measures"], plan.measures):
        assert m.text.strip().startswith(g["text_start"].strip())
        got = {role: [u.name for u in m.units if u.role == role] for role in ("lead", "support", "joint")}
        assert {r: sorted(v) for r, v in got.items()} == {r: sorted(g[r]) for r in ("lead", "support", "joint")}
        assert sorted(m.generic_refs) == sorted(g["generic_refs"])
    assert plan.warnings == []


def test_dev_corpus_totals():
    """Over the whole corpus: how many gold unit mentions are found with the right role."""
    from kepugraph.extraction.parser import parse_source
    from kepugraph.reading.source import read_source

    gold_units = found = predicted = 0
    for gold_path in GOLD:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        plan = parse_source(read_source(gold_path.with_suffix(".txt")))
        predicted += sum(len(m.units) for m in plan.measures)
        for g in gold["measures"]:
            want = {(n, r) for r in ("lead", "support", "joint") for n in g[r]}
            gold_units += len(want)
            match = [m for m in plan.measures if m.text.strip().startswith(g["text_start"].strip())]
            if match:
                found += len(want & {(u.name, u.role) for u in match[0].units})
    assert gold_units == 128
    assert (found, predicted) == (128, 128)
