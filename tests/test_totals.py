"""The corpus totals (kepugraph/store/totals.py): workload, pairs and tasks answered from them
give exactly what the rows give, in every format, after a build and after adding, changing and
removing one plan; a store whose totals are missing or out of step answers from the rows."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from kepugraph import api
from kepugraph.cli import main
from kepugraph.cli.analysis import _totals
from kepugraph.reading.source import BUNDLED_PLAN
from kepugraph.store import totals
from kepugraph.store.corpus import Corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import plan_text, write  # noqa: E402

NATIONAL = "全民科学素质行动规划纲要实施方案（2021-2025年）"

DEV = Path(__file__).resolve().parent / "data" / "dev"
#: (arguments, what they are for): every command and format the totals answer
COMMANDS = [
    ["workload"], ["workload", "--format", "csv"], ["workload", "--format", "json"], ["workload", "--format", "md"],
    ["workload", "--by", "kind"], ["workload", "--by", "stem", "--format", "json"], ["workload", "--lang", "en"],
    ["units"], ["units", "--format", "csv"],
    ["pairs"], ["pairs", "--top", "7"], ["pairs", "--min-shared", "3"], ["pairs", "--lang", "en"],
    ["pairs", "--format", "json"],
    ["tasks", "县教育局"], ["tasks", "区科协", "--format", "json"], ["tasks", "县科学技术协会"],
    ["tasks", "县教育局", "--format", "csv"], ["tasks", "县教育局", "--format", "json"],
    ["tasks", "县教育局", "--format", "md"], ["tasks", "县教育局", "--lang", "en"],
    ["tasks", "教育局"], ["tasks", "no such unit"],
]


def _answers(runner, store: Path) -> list[tuple[int, str]]:
    out = []
    for args in COMMANDS:
        result = runner.invoke(main, [*args, "--store", f"oxigraph:{store}"])
        out.append((result.exit_code, result.output))
    return out


def _by_rows(runner, store: Path) -> list[tuple[int, str]]:
    """The answers with the totals taken away (the rows answer), then the totals put back."""
    with Corpus(store) as corpus:
        kept = totals.read(corpus.store)
        totals.write(corpus.store, None)
    try:
        return _answers(runner, store)
    finally:
        with Corpus(store) as corpus:
            totals.write(corpus.store, kept)


def _stored_are_recomputed(store: Path) -> dict:
    """The stored totals are those computed from every plan again, but that a removal may have
    left fewer first plans of a unit or pair (those kept are the first of the recomputed)."""
    with Corpus(store) as corpus:
        stored, again = totals.read(corpus.store), totals.recompute(corpus.store)
        assert totals.usable(corpus.store) == stored
        assert totals.plan_list(stored) == corpus.plans()  # the plans as the store lists them
    for part in ("units", "pairs"):
        assert stored[part].keys() == again[part].keys()
        for key, entry in stored[part].items():
            head = entry["head"]
            assert head == again[part][key]["head"][:len(head)] and len(head) >= min(entry["n"], totals.HEAD_MIN)
            assert {**entry, "head": []} == {**again[part][key], "head": []}
    assert {k: v for k, v in stored.items() if k not in ("units", "pairs")} == \
           {k: v for k, v in again.items() if k not in ("units", "pairs")}
    return stored


@pytest.fixture(scope="module", autouse=True)
def few_first_plans():
    """Keep the first 8 plans of each unit and pair (not 24): the 24 generated plans then show
    what the totals do when they keep some of a pair's plans only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(totals, "HEAD", 8)
        mp.setattr(totals, "HEAD_MIN", 6)
        yield


@pytest.fixture(scope="module")
def store(tmp_path_factory, few_first_plans):
    """24 generated plans (units named in many plans: the 方案 cells count the rest), six dev
    excerpts and the sample."""
    plans = write(24, tmp_path_factory.mktemp("plans"))
    files = plans + [DEV / f"{n}.txt" for n in (101, 102, 103, 104, 105, 106)] + [Path(BUNDLED_PLAN)]
    path = tmp_path_factory.mktemp("totals") / "store"
    with Corpus(path) as corpus:
        report = corpus.build(files, workers=1)
        assert not report.failed and len(report.loaded) == 31
    return path


def test_totals_answer_as_the_rows_do(runner, store):
    stored = _stored_are_recomputed(store)
    assert len(stored["plans"]) == 31 and not stored["without"]
    # a unit in more plans than the 方案 cell names, and pairs kept only in part
    assert max(u["n"] for u in stored["units"].values()) > 5
    assert any(len(p["head"]) < p["n"] for p in stored["pairs"].values())
    fast = _answers(runner, store)
    assert fast == _by_rows(runner, store)
    codes = [code for code, _ in fast]
    assert codes == [0] * (len(COMMANDS) - 2) + [1, 1]  # 教育局: 县教育局 or 市教育局?
    with api.Source(store=f"oxigraph:{store}") as source:  # and the totals did answer
        assert source.totals() is not None and _totals(source) is not None
    assert "等 " in fast[0][1] and " 份方案" in fast[0][1]  # the 方案 cell counts the rest


def test_one_plan_added_changed_and_removed(runner, store, tmp_path):
    new = tmp_path / "new-county.txt"
    text, title = plan_text(random.Random(7), "县", "新增", 999_999, NATIONAL)
    new.write_text(text, encoding="utf-8")
    steps = []
    with Corpus(store) as corpus:
        assert corpus.build([new], workers=1).loaded
    steps.append(_stored_are_recomputed(store))
    assert _answers(runner, store) == _by_rows(runner, store)
    new.write_text(text.replace("（县教育局", "（县科协、县教育局"), encoding="utf-8")
    with Corpus(store) as corpus:
        assert corpus.build([new], workers=1).loaded
    steps.append(_stored_are_recomputed(store))
    assert steps[1] != steps[0]
    assert _answers(runner, store) == _by_rows(runner, store)
    with Corpus(store) as corpus:
        corpus.remove(title)
    steps.append(_stored_are_recomputed(store))
    assert len(steps[2]["plans"]) == 31
    assert _answers(runner, store) == _by_rows(runner, store)


def test_totals_out_of_step_are_not_used_and_are_made_again(tmp_path):
    files = write(6, tmp_path / "plans")
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files[:5], workers=1)
        good = totals.read(corpus.store)
        # a store built before the totals: none, so the rows answer; the next build makes them
        totals.write(corpus.store, None)
        assert totals.usable(corpus.store) is None
        corpus.build(files, workers=1)
        assert totals.usable(corpus.store) == totals.recompute(corpus.store)
        # totals that miss a plan (written by other means) are not trusted, and taken away
        totals.write(corpus.store, good)
        assert totals.usable(corpus.store) is None and totals.read(corpus.store) is None
        corpus.remove(corpus.plans()[0]["id"])
        assert totals.usable(corpus.store) == totals.recompute(corpus.store)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_first_builds_totals_summed_while_it_loads_are_those_of_the_store(tmp_path, workers):
    files = write(12, tmp_path / "plans")
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files, workers=workers)
        stored = totals.read(corpus.store)
        assert len(stored["plans"]) == len(stored["catalog"]) == 12
        assert stored == totals.recompute(corpus.store) and totals.usable(corpus.store) == stored


def test_totals_are_not_summed_from_a_plan_without_a_tally():
    known = {"https://w3id.org/kepugraph/id/甲": ("ab12", ["甲方案", "", "甲.txt"])}
    assert totals.summed({"https://w3id.org/kepugraph/id/甲": None}, known) is None
    one = totals.summed({"https://w3id.org/kepugraph/id/甲": {"units": {}, "kind": {}, "stem": {}, "pairs": {}}}, known)
    assert one == {**totals.empty(), "plans": {"https://w3id.org/kepugraph/id/甲": "ab12"},
                   "catalog": {"https://w3id.org/kepugraph/id/甲": ["甲方案", "", "甲.txt"]}}


def test_a_removal_that_leaves_too_few_first_plans_recomputes(tmp_path, monkeypatch):
    monkeypatch.setattr(totals, "HEAD", 3)
    monkeypatch.setattr(totals, "HEAD_MIN", 2)
    files = write(8, tmp_path / "plans")
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files, workers=1)
        first = sorted(totals.read(corpus.store)["units"].items(), key=lambda kv: -kv[1]["n"])[0][1]
        assert len(first["head"]) == 3 < first["n"]
        for iri, _ in first["head"][:2]:
            corpus.remove(iri)
        stored = totals.read(corpus.store)
        assert stored == totals.recompute(corpus.store) and totals.usable(corpus.store) == stored


def test_first_plans_stay_the_first_after_a_removal_and_an_addition(tmp_path, monkeypatch):
    # a unit's first three plans kept; the first removed (two kept of more); then a plan past
    # the fourth removed and put back: not one of the first, the fourth comes before it
    monkeypatch.setattr(totals, "HEAD", 3)
    monkeypatch.setattr(totals, "HEAD_MIN", 1)  # no recomputing while one first plan is left
    files = write(10, tmp_path / "plans")
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files, workers=1)
        named = sorted(r.plan for r in corpus.rows() if any(n == "县科协" for n, _ in r.units))
        named = list(dict.fromkeys(named))
        assert len(named) >= 5
        file_of = {r["plan"]: r["file"] for r in corpus.plans()}
        corpus.remove(named[0])
        corpus.remove(named[4])
        corpus.build([p for p in files if p.name == file_of[named[4]]], workers=1)
        stored, again = totals.read(corpus.store), totals.recompute(corpus.store)
    assert [iri for iri, _ in stored["units"]["县科协"]["head"]] == named[1:3]
    for part in ("units", "pairs"):
        for key, entry in stored[part].items():
            assert entry["head"] == again[part][key]["head"][:len(entry["head"])]
            assert {**entry, "head": []} == {**again[part][key], "head": []}


def test_share_is_summed_exactly():
    assert totals.share({"3": 3}) == 1.0 and totals.share({3: 1, 6: 1}) == 0.5


def test_tasks_read_only_the_plans_naming_the_unit(store):
    with Corpus(store) as corpus:
        everything = [r for r in corpus.rows() if any(n == "县教育局" for n, _ in r.units)]
        assert totals.rows_naming(corpus.store, "县教育局") == everything
        assert totals.rows_naming(corpus.store, "no such unit") == []
        # for a task list: from each plan's kp:brief, the same measures without their texts
        brief = totals.rows_naming(corpus.store, "县教育局", texts=False)
        assert len(brief) == len(everything) > 24 and all(r.text == "" and r.targets == [] for r in brief)
        assert [(r.iri, r.id, r.ordinal, r.title, r.path, r.units, r.plan) for r in brief] == \
            [(r.iri, r.id, r.ordinal, r.title, r.path, r.units, r.plan) for r in everything]


def test_tasks_of_a_store_without_briefs_answer_from_the_digests(runner, store):
    """A store built before plans carried kp:brief: tasks decode the digests, same answers."""
    with_briefs = _answers(runner, store)
    with Corpus(store) as corpus:
        briefs = list(corpus.store.quads_for_pattern(None, totals._BRIEF, None, None))
        assert len(briefs) == 31
        for q in briefs:
            corpus.store.remove(q)
    try:
        assert _answers(runner, store) == with_briefs
        with Corpus(store) as corpus:
            assert totals.usable(corpus.store) is not None  # the totals still answered
            assert totals.rows_naming(corpus.store, "县教育局", texts=False) == \
                totals.rows_naming(corpus.store, "县教育局")
    finally:
        with Corpus(store) as corpus:
            corpus.store.extend(briefs)



def test_aliases_from_the_other_spellings_are_those_of_every_unit(tmp_path):
    query = """PREFIX kp: <https://w3id.org/kepugraph#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?alias ?label WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; skos:altLabel ?alias }"""
    with Corpus(tmp_path / "store") as corpus:
        corpus.build([Path(BUNDLED_PLAN), DEV / "101.txt"], workers=1,
                     aliases={"区科协": "泰安市泰山区科学技术协会", "区财政局": "泰安市泰山区财政局"})
        found = corpus.aliases()
        assert found == {r["alias"]: r["label"] for r in corpus.oxi.select(query)}
    assert found == {"区科协": "泰安市泰山区科学技术协会", "区财政局": "泰安市泰山区财政局"}


def test_a_unit_name_with_quotes_and_backslashes_finds_its_tasks():
    """The unit's name goes into the query and the brief as N-Triples and JSON write it; a name
    inside another name, or a title equal to the name, is not the unit."""
    import pyoxigraph as ox

    from kepugraph.rdf.rows import MeasureRow, rows_brief

    odd, plan = 'A"局\\科', "https://w3id.org/kepugraph/id/t"
    rows = [MeasureRow(iri=f"{plan}/measure/1", id="m1", ordinal=1, title=odd, path=["一、"], units=[("县" + odd, "lead")], plan=plan),
            MeasureRow(iri=f"{plan}/measure/2", id="m2", ordinal=2, title="二", path=["一、", "1."],
                       units=[("乙", "support"), (odd, "joint")], plan=plan)]
    store, g = ox.Store(), ox.NamedNode(plan)
    store.add(ox.Quad(g, totals._BRIEF, ox.Literal(rows_brief(rows)), g))
    for k, name in enumerate(["县" + odd, "乙", odd]):
        store.add(ox.Quad(ox.NamedNode(f"{plan}/unit/{k}"), totals._LABEL, ox.Literal(name, language="zh"), g))
    found = totals.rows_naming(store, odd, texts=False)
    assert [(r.id, r.title, r.path, r.units) for r in found] == [("m2", "二", ["一、", "1."], [("乙", "support"), (odd, "joint")])]
    assert [r.id for r in totals.rows_naming(store, "县" + odd, texts=False)] == ["m1"]
    assert totals.rows_naming(store, "丙", texts=False) == []
