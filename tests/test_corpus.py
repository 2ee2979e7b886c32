"""A small corpus: the reference plan under a synthetic city and province plan."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kepugraph.cli import main
from kepugraph.reading.source import BUNDLED_PLAN

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
TAIAN = "泰政办字-2022-12号"


def _plans(folder: Path) -> Path:
    d = folder / "plans"
    shutil.copytree(CORPUS, d)
    shutil.copy(BUNDLED_PLAN, d / "taishan.txt")
    return d


def _build(plans: Path, folder: Path) -> str:
    spec = f"oxigraph:{folder / 'store'}"
    result = CliRunner().invoke(main, ["build", str(plans), "--store", spec])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"3 plans loaded, 0 unchanged, 0 failed; 38 measures, 0 warnings → {spec}\n"
    return spec


@pytest.fixture
def plans_dir(tmp_path):
    """The corpus's files in a folder of the test's own, to change at will."""
    return _plans(tmp_path)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The corpus built once for the module's tests that only read it."""
    folder = tmp_path_factory.mktemp("corpus")
    return _build(_plans(folder), folder)


@pytest.fixture
def own_store(plans_dir, tmp_path):
    """A corpus of the test's own, for a test that changes it."""
    return _build(plans_dir, tmp_path)


def test_plans_and_implements_links(runner, store):
    data = json.loads(runner.invoke(main, ["plans", "--store", store, "--format", "json"]).stdout)
    assert [(d["id"], d["measures"], d["implements"]) for d in data] == [
        ("鲁政办字-2021-150号", 3, []), ("泰政办字-2022-12号", 4, ["鲁政办字-2021-150号"]),
        ("泰山政办字-2022-7号", 31, ["泰政办字-2022-12号", "鲁政办字-2021-150号"])]


def test_cascade_follows_a_measure_down_the_levels(runner, store):
    out = runner.invoke(main, ["cascade", "完善校内外科技教育合作联动机制", "--store", store]).stdout.splitlines()
    assert len(out) == 3
    assert out[0].startswith("山东省全民科学素质行动规划纲要实施方案（2021-2025年） m1 完善校内外科技教育合作联动机制  "
                             "[省教育厅(牵头)、省科协(牵头)、省科技厅(配合)]")
    assert out[1] == ("└─ 泰安市全民科学素质行动规划纲要实施方案（2021-2025年） m1 完善校内外科技教育合作联动机制 (0.78)  "
                      "[市教育局(牵头)、市科协(牵头)、市科技局(配合)]")
    assert out[2].startswith("   └─ 泰山区全民科学素质行动规划纲要实施方案（2021-2025年） m3 完善校内外科技教育合作联动机制 (0.52)  "
                             "[区教育和体育局(负责)")
    # starting from the district's measure finds the same tree
    again = runner.invoke(main, ["cascade", "泰山政办字-2022-7号#m3", "--store", store]).stdout.splitlines()
    assert again == out


def test_counterparts_and_workload_by_stem(runner, store):
    rows = json.loads(runner.invoke(main, ["workload", "--by", "stem", "--store", store, "--format", "json"]).stdout)
    kx = next(r for r in rows if r["unit"] == "科协")
    assert (kx["units"], kx["measures"], kx["lead"], kx["support"], kx["joint"]) == (3, 34, 4, 4, 26)
    q = ("PREFIX kp: <https://w3id.org/kepugraph#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
         "SELECT ?name WHERE { ?u kp:counterpart ?b ; skos:prefLabel ?l . ?b skos:prefLabel \"科协\"@zh "
         "BIND(STR(?l) AS ?name) } ORDER BY ?name")
    out = runner.invoke(main, ["sparql", "-e", q, "--store", store, "--format", "csv"]).stdout.splitlines()
    assert out == ["name", "区科协", "市科协", "省科协"]


def test_plan_filter_and_corpus_wide_analysis(runner, store):
    rows = json.loads(runner.invoke(main, ["workload", "--store", store, "--plan", TAIAN, "--format", "json"]).stdout)
    assert [(r["unit"], r["measures"], r["lead"], r["support"]) for r in rows[:2]] == [("市科协", 4, 2, 2),
                                                                                      ("市教育局", 2, 2, 0)]
    whole = json.loads(runner.invoke(main, ["units", "--store", store, "--format", "json"]).stdout)
    assert len(whole) == 25 + 8 + 6  # district, city, province units
    result = runner.invoke(main, ["tasks", "市科协", "--store", store, "--plan", "泰安市全民科学素质行动规划纲要实施方案（2021-2025年）",
                                  "--format", "json"])
    assert [t["id"] for t in json.loads(result.stdout)] == ["m1", "m2", "m3", "m4"]


def test_unchanged_sources_are_skipped_and_one_plan_replaced_alone(runner, own_store, plans_dir):
    store = own_store
    again = runner.invoke(main, ["build", str(plans_dir), "--store", store])
    assert again.stdout == f"0 plans loaded, 3 unchanged, 0 failed; 0 measures, 0 warnings → {store}\n"
    city = plans_dir / "taian-city.txt"
    city.write_text(city.read_text(encoding="utf-8").replace("（市科协牵头，市发展改革委、市财政局配合）",
                                                             "（市科协牵头，市财政局配合）"), encoding="utf-8")
    result = runner.invoke(main, ["build", str(plans_dir), "--store", store])
    assert result.stdout == f"1 plans loaded, 2 unchanged, 0 failed; 4 measures, 0 warnings → {store}\n"
    units = [r["unit"] for r in json.loads(runner.invoke(
        main, ["units", "--store", store, "--plan", TAIAN, "--format", "json"]).stdout)]
    assert "市发展改革委" not in units and "市财政局" in units
    total = json.loads(runner.invoke(main, ["plans", "--store", store, "--format", "json"]).stdout)
    assert [d["measures"] for d in total] == [3, 4, 31]


def test_remove_one_plan(runner, own_store):
    store = own_store
    result = runner.invoke(main, ["remove", TAIAN, "--store", store])
    assert result.stdout == "removed <https://w3id.org/kepugraph/id/泰政办字-2022-12号>\n"
    data = json.loads(runner.invoke(main, ["plans", "--store", store, "--format", "json"]).stdout)
    assert [(d["id"], d["implements"]) for d in data] == [("鲁政办字-2021-150号", []),
                                                          ("泰山政办字-2022-7号", ["鲁政办字-2021-150号"])]
    out = runner.invoke(main, ["cascade", "完善校内外科技教育合作联动机制", "--store", store]).stdout.splitlines()
    assert len(out) == 2 and out[1].startswith("└─ 泰山区")


def test_store_errors(runner, store, tmp_path):
    result = runner.invoke(main, ["workload", "--plan", TAIAN, "--graph", "x.ttl"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: --plan picks a plan of the workspace or of a store (--store oxigraph:DIR), "
                             "not of a --graph file or an endpoint\n")
    result = runner.invoke(main, ["workload", "--store", store, "--plan", "泰政办字-2099-1号"])
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: {store}: no plan '泰政办字-2099-1号' in the store")
    missing = f"oxigraph:{tmp_path / 'nothing'}"
    result = runner.invoke(main, ["workload", "--store", missing])
    assert result.stderr == (f"Error: {missing}: no store here; build one with 'kepugraph build PATH... --store "
                             f"{missing}'\n")
    # several files go into the workspace; a missing one stops the build before anything is written
    result = runner.invoke(main, ["build", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "g")])
    assert result.exit_code == 1 and result.stderr == f"Error: {tmp_path / 'a.txt'}: no such file\n"
    assert not (tmp_path / "g").exists()


def test_failed_files_are_reported_and_the_rest_loaded(runner, plans_dir, tmp_path):
    (plans_dir / "empty.txt").write_text("", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 's2'}"
    result = runner.invoke(main, ["build", str(plans_dir), "--store", spec, "--workers", "1"])
    assert result.exit_code == 0
    assert result.stderr == f"error: {plans_dir / 'empty.txt'}: file is empty\n"
    assert result.stdout == f"3 plans loaded, 0 unchanged, 1 failed; 38 measures, 0 warnings → {spec}\n"


def test_sparql_on_one_plan_of_the_corpus(runner, store):
    out = runner.invoke(main, ["sparql", "workload", "--store", store, "--plan", TAIAN, "--format", "csv"])
    assert out.stdout.splitlines()[:3] == ["unit,measures,lead,support,joint", "市科协,4,2,2,0", "市教育局,2,2,0,0"]
    whole = runner.invoke(main, ["sparql", "workload", "--store", store, "--format", "csv"]).stdout.splitlines()
    assert len(whole) == 1 + 39
    result = runner.invoke(main, ["sparql", "workload", "--plan", TAIAN, "--store", "memory"])
    assert result.exit_code == 2 and "--plan picks a plan of the workspace or of a store" in result.stderr


def test_corpus_build_loads_vague_measures_and_applies_aliases_and_size_limit(runner, plans_dir, tmp_path):
    (plans_dir / "vague.txt").write_text(
        "一、任务\n（一）开展科普活动。（牵头单位：有关部门）\n（二）推进科普工作。（县科协负责）\n", encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 's3'}"
    result = runner.invoke(main, ["build", str(plans_dir), "--store", spec])
    assert result.exit_code == 0
    # a measure whose only owner is vague (有关部门) is loaded as a task nobody in particular
    # owns (dev README, 162), not reported: 38 + 2
    assert result.stderr == ""
    assert result.stdout == f"4 plans loaded, 0 unchanged, 0 failed; 40 measures, 0 warnings → {spec}\n"
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,canonical\n市科协,泰安市科协\n", encoding="utf-8")
    again = runner.invoke(main, ["build", str(plans_dir), "--store", spec, "--aliases", str(aliases)])
    assert again.stdout.startswith("4 plans loaded, 0 unchanged")  # aliases may change names: all parsed again
    units = [r["unit"] for r in json.loads(runner.invoke(
        main, ["units", "--store", spec, "--plan", TAIAN, "--format", "json"]).stdout)]
    assert "泰安市科协" in units and "市科协" not in units
    small = runner.invoke(main, ["build", str(plans_dir / "vague.txt"), "--store", f"oxigraph:{tmp_path / 's4'}",
                                 "--max-bytes", "10"])
    assert small.exit_code == 1
    assert small.stderr.startswith(f"error: {plans_dir / 'vague.txt'}: ")
    assert small.stderr.splitlines()[0].endswith("bytes, over the limit of 10 bytes")


def test_progress_bar_on_a_terminal_only(plans_dir, tmp_path):
    """On a terminal stderr shows plans done, measures, warnings and the stages after
    parsing; through a pipe it stays quiet (the other tests)."""
    import os
    import subprocess
    import sys

    master, slave = os.openpty()
    spec = f"oxigraph:{tmp_path / 'tty'}"
    done = subprocess.run([sys.executable, "-m", "kepugraph", "build", str(plans_dir), "--store", spec],
                          stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace").replace("\r", "\n")
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == f"3 plans loaded, 0 unchanged, 0 failed; 38 measures, 0 warnings → {spec}\n"
    lines = [ln for ln in shown.splitlines() if "plans" in ln]
    assert any("100%" in ln and "38 measures, 0 warnings" in ln for ln in lines)
    assert any("linking…" in ln for ln in lines)
    assert "linking" not in lines[-1]  # the last picture is the finished bar


def test_named_queries_on_a_corpus_plan_match_its_full_graph(store, plans_dir):
    """The lean corpus profile keeps what every bundled query reads: on one plan of the
    corpus each answers exactly as on that plan's full graph in memory."""
    from kepugraph import sparql
    from kepugraph import store as stores
    from kepugraph.extraction.parser import parse_file
    from kepugraph.rdf import plan_to_graph
    from kepugraph.store.corpus import Corpus

    params = {"tasks-of-unit": {"unit": "区科协"}, "partners": {"unit": "区科协"}, "overdue": {"today": "2026-01-01"},
              "not-reported": {"round": "2025年6月"}}
    memory = stores.MemoryStore(plan_to_graph(parse_file(plans_dir / "taishan.txt")))
    with Corpus(stores.oxigraph_dir(store)) as corpus:
        corpus.oxi.plan_graph = corpus.resolve_plan("泰山政办字-2022-7号")
        for name in sparql.named_queries():
            expected = sparql.run_named(name, memory, **params.get(name, {})).values()
            assert expected or name == "overdue", name  # no deadlines and no reports: nothing overdue
            assert sparql.run_named(name, corpus.oxi, **params.get(name, {})).values() == expected, name


THREE = ("3 份方案：山东省全民科学素质行动规划纲要实施方案（2021-2025年）（鲁政办字〔2021〕150号）；"
         "泰安市全民科学素质行动规划纲要实施方案（2021-2025年）（泰政办字〔2022〕12号）；"
         "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）")


def test_matrix_and_sheets_of_a_corpus_and_of_one_plan(runner, store, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "all.xlsx"
    result = runner.invoke(main, ["matrix", "--store", store, "-o", str(out)])
    assert result.stdout == f"{THREE}\n38 measures × 39 units → {out}\n"
    ws = load_workbook(out)["任务分工表"]
    assert (ws["A1"].value, ws["A2"].value) == ("任务分工表", THREE)
    assert [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)] == list(range(1, 39))
    # several plans: a 方案 column (the 文号) after 序号
    assert [ws.cell(row=r, column=2).value for r in (3, 4, 38 + 3)] == ["方案", "泰山政办字〔2022〕7号", "鲁政办字〔2021〕150号"]
    result = runner.invoke(main, ["sheets", "--store", store, "--plan", TAIAN, "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "s" / "市科协.xlsx").active
    assert sheet["A2"].value.startswith("依据：《泰安市全民科学素质行动规划纲要实施方案（2021-2025年）》")
    assert sheet.max_row == 3 + 4  # title, source line, header, its four measures
