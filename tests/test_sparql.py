"""Named queries, exports and the three stores; a real `oxigraph serve` is started here."""

import csv
import io
import json
import socket
import urllib.parse
import urllib.request

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.query import Result as RdflibResult

from kepugraph import sparql
from kepugraph import store as stores
from kepugraph.cli import main
from kepugraph.errors import QueryError
from kepugraph.rdf.namespace import KP

PARAMS = {"tasks-of-unit": {"unit": "区科协"}, "partners": {"unit": "区科协"}, "overdue": {"today": "2026-01-01"},
          "not-reported": {"round": "2025年6月"}}
# the follow-up queries read progress reports, which the reference plan has none of: every unit
# is not reported and nothing is overdue (tests/test_progress.py runs them on a ledger)
EMPTY_ON_THE_REFERENCE_PLAN = {"overdue"}


@pytest.fixture(scope="module")
def memory(graph):
    return stores.MemoryStore(graph)


@pytest.fixture(scope="module")
def oxigraph_store(graph, tmp_path_factory):
    store = stores.OxigraphStore(tmp_path_factory.mktemp("ox") / "store")
    store.load_graph(graph)
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory, oxigraph_serve):
    """A real Oxigraph SPARQL server on 127.0.0.1 and an ephemeral port."""
    with oxigraph_serve(tmp_path_factory.mktemp("srv")) as base:
        yield base


@pytest.fixture(scope="module")
def endpoint(server, runner_module):
    result = runner_module.invoke(main, ["push", "--endpoint", f"{server}/query"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ("示例方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）；"
                             "建立自己的方案：kepugraph build 文件\n"
                             f"2904 triples → {server}/store "
                             "(graph <https://w3id.org/kepugraph/id/泰山政办字-2022-7号>)\n")
    return stores.EndpointStore(f"{server}/query")


@pytest.fixture(scope="module")
def runner_module():
    from click.testing import CliRunner

    return CliRunner()


def test_named_queries_are_listed_with_parameters():
    qs = sparql.named_queries()
    assert sorted(qs) == ["no-lead", "not-reported", "overdue", "pairs", "partners", "sections", "single-unit",
                          "targets", "tasks-of-unit", "units-by-kind", "workload"]
    assert qs["tasks-of-unit"].params == {"unit": "the unit's name as written, e.g. 区科协"}
    assert all(q.description for q in qs.values())


def test_named_query_rows_on_the_reference_plan(memory):
    workload = sparql.run_named("workload", memory).values()
    assert workload[:2] == [("区科协", 27, 1, 0, 26), ("区科学技术局", 26, 0, 0, 26)]
    assert ("区教育和体育局", 13, 0, 0, 13) in workload and len(workload) == 25
    tasks = sparql.run_named("tasks-of-unit", memory, unit="区委组织部").values()
    assert [(t[1], t[2], t[4]) for t in tasks] == [
        ("m16", "joint", "深入贯彻落实新发展理念"), ("m17", "joint", "加强科学素质教育培训"),
        ("m28", "joint", "加强基层科普服务体系和专兼职科普队伍建设")]
    assert sparql.run_named("pairs", memory).values()[0] == ("区科协", "区科学技术局", 26)
    assert [r[1:] for r in sparql.run_named("partners", memory, unit="区委党校").values()] == [
        ("区人力资源和社会保障局", 2), ("区委组织部", 2), ("区科协", 2), ("区科学技术局", 2), ("区委宣传部", 1)]
    assert [r[0] for r in sparql.run_named("single-unit", memory).values()] == ["m30", "m31"]
    assert len(sparql.run_named("no-lead", memory).values()) == 29
    targets = sparql.run_named("targets", memory).values()
    assert [(t[0], t[1], int(t[2]), t[3], t[6]) for t in targets[:3]] == [
        ("m4", "每年培训科技辅导员不少于50人次", 50, "人次", "区教育和体育局"),
        ("m4", "每年培训科技辅导员不少于50人次", 50, "人次", "区科学技术局"),
        ("m4", "每年培训科技辅导员不少于50人次", 50, "人次", "区科协")]
    assert len(targets) == 3 + 8
    kinds = sparql.run_named("units-by-kind", memory).values()
    assert ("党委部门", "区委宣传部") in kinds and len(kinds) == 25
    sections = sparql.run_named("sections", memory).values()
    assert sections[0] == ("1.青少年科学素质提升行动", 4, 16) and len(sections) == 10


@pytest.mark.parametrize("name", sorted(sparql.named_queries()))
def test_three_stores_agree_row_for_row(name, memory, oxigraph_store, endpoint):
    expected = sparql.run_named(name, memory, **PARAMS.get(name, {})).values()
    assert bool(expected) != (name in EMPTY_ON_THE_REFERENCE_PLAN)
    assert sparql.run_named(name, oxigraph_store, **PARAMS.get(name, {})).values() == expected
    assert sparql.run_named(name, endpoint, **PARAMS.get(name, {})).values() == expected


def test_push_replaces_only_its_named_graph(server, endpoint, tiny_plan, runner_module):
    assert runner_module.invoke(main, ["push", "--endpoint", f"{server}/query", str(tiny_plan)]).exit_code == 0
    count = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/kepugraph#Plan> }"
    assert endpoint.query(count, "SELECT").values() == [(2,)]
    # pushing again replaces that plan's graph, it does not add to it
    assert runner_module.invoke(main, ["push", "--endpoint", f"{server}/query"]).exit_code == 0
    triples = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/kepugraph/id/泰山政办字-2022-7号> { ?s ?p ?o } }"
    assert endpoint.query(triples, "SELECT").values() == [(2904,)]
    # remove the tiny plan again, so later tests see the reference plan alone
    tiny = "https://w3id.org/kepugraph/id/某政办字-2024-3号"
    req = urllib.request.Request(f"{server}/store?graph={urllib.parse.quote(tiny, safe='')}", method="DELETE")
    urllib.request.urlopen(req, timeout=10).read()
    assert endpoint.query(count, "SELECT").values() == [(1,)]


def test_cli_on_the_endpoint_and_oxigraph_store(runner, endpoint, tmp_path):
    url = endpoint.url
    spec = f"oxigraph:{tmp_path / 'ox'}"
    # one meaning of --store everywhere: a store built by 'kepugraph build --store'
    assert runner.invoke(main, ["build", "--store", spec]).exit_code == 0
    a = runner.invoke(main, ["sparql", "workload", "--endpoint", url, "--format", "csv"])
    b = runner.invoke(main, ["sparql", "workload", "--store", spec, "--format", "csv"])
    c = runner.invoke(main, ["sparql", "workload", "--format", "csv"])
    assert a.exit_code == b.exit_code == c.exit_code == 0
    assert a.stdout == b.stdout == c.stdout


def test_sparql_on_an_empty_folder_says_so_and_loads_nothing(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    spec = f"oxigraph:{empty}"
    result = runner.invoke(main, ["sparql", "workload", "--store", spec])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {spec}: no store here; build one with 'kepugraph build PATH... --store {spec}'\n"
    assert list(empty.iterdir()) == []


def test_injection_cannot_change_the_query(memory):
    evil = '区科协" } ?m ?p ?o . FILTER(true) } #'
    result = sparql.run_named("tasks-of-unit", memory, unit=evil)
    assert result.values() == []
    assert len(sparql.run_named("tasks-of-unit", memory, unit="区科协").values()) == 27


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
     "query: SERVICE is refused: it would query another endpoint (pass --allow-service)"),
    ("LOAD <http://example.org/data.ttl>",
     "query: LOAD is refused: queries are read-only (pass --allow-update to change the store)"),
    ("DELETE WHERE { ?s ?p ?o }",
     "query: an update is refused: queries are read-only (pass --allow-update to change the store)"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }",
     "query: an update is refused: queries are read-only (pass --allow-update to change the store)"),
], ids=["service", "load", "delete", "insert"])
def test_refused_queries(runner, query, message, memory):
    result = runner.invoke(main, ["sparql", "-e", query])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    with pytest.raises(QueryError):
        sparql.run(query, memory)


def test_update_allowed_explicitly(graph):
    g = Graph()
    for t in graph:
        g.add(t)
    store = stores.MemoryStore(g)
    sparql.run("DELETE WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?o }", store, allow_update=True)
    assert len(g) == len(graph) - 25


def test_syntax_error_names_line_and_column(runner):
    result = runner.invoke(main, ["sparql", "-e", "SELECT ?s\nWHERE { ?s ?p }"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: query:2:")
    assert "syntax error" in result.stderr and result.stderr.count("\n") == 1


def test_unknown_named_query(runner):
    result = runner.invoke(main, ["sparql", "workloads"])
    assert result.exit_code == 2
    assert result.stderr == "Error: query: no named query 'workloads'; did you mean workload?\n"


def test_json_is_sparql_results_json(runner):
    out = runner.invoke(main, ["sparql", "tasks-of-unit", "--param", "unit=区科协", "--format", "json"]).stdout
    data = json.loads(out)
    assert data["head"]["vars"] == ["unit", "id", "role", "section", "title", "plan"]
    assert data["results"]["bindings"][0]["unit"] == {"type": "literal", "value": "区科协"}
    parsed = RdflibResult.parse(io.StringIO(out), format="json")
    assert len(parsed) == 27
    assert len(list(pyoxigraph.parse_query_results(out.encode(), pyoxigraph.QueryResultsFormat.JSON))) == 27


def test_tsv_is_sparql_results_tsv(runner):
    out = runner.invoke(main, ["sparql", "workload", "--format", "tsv"]).stdout
    assert out.splitlines()[0] == "?unit\t?measures\t?lead\t?support\t?joint"
    rows = list(pyoxigraph.parse_query_results(out.encode(), pyoxigraph.QueryResultsFormat.TSV))
    assert rows[0]["unit"].value == "区科协" and rows[0]["measures"].value == "27"


def test_csv_file_has_bom_and_expected_header(runner, tmp_path):
    out = tmp_path / "w.csv"
    assert runner.invoke(main, ["sparql", "workload", "--format", "csv", "-o", str(out)]).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["unit", "measures", "lead", "support", "joint"]
    assert rows[1] == ["区科协", "27", "1", "0", "26"]


def test_xlsx_and_md(runner, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "w.xlsx"
    assert runner.invoke(main, ["sparql", "workload", "--format", "xlsx", "-o", str(out)]).exit_code == 0
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["单位", "任务数", "牵头", "配合", "负责"]
    assert [c.value for c in ws[2]] == ["区科协", 27, 1, 0, 26]
    md = runner.invoke(main, ["sparql", "workload", "--format", "md"]).stdout.splitlines()
    assert md[0].startswith("示例方案：泰山区") and md[1] == ""  # what the answer is for, then the table
    assert md[2] == "| 单位 | 任务数 | 牵头 | 配合 | 负责 |"
    md = runner.invoke(main, ["sparql", "workload", "--format", "md", "--lang", "en"]).stdout.splitlines()
    assert md[0].startswith("Sample plan: 泰山区") and md[2] == "| unit | measures | lead | support | joint |"


def test_named_query_tables_speak_chinese_and_the_w3c_formats_keep_the_variables(runner):
    args = ["sparql", "tasks-of-unit", "--param", "unit=区委党校"]
    assert runner.invoke(main, args).stdout.splitlines()[1::2] == [
        "单位      序号  角色  章节                                任务",
        "区委党校  m16   负责  5.领导干部和公务员科学素质提升行动  深入贯彻落实新发展理念"]
    assert runner.invoke(main, [*args, "--lang", "en"]).stdout.splitlines()[1::2] == [
        "unit      id   role   section                             title",
        "区委党校  m16  joint  5.领导干部和公务员科学素质提升行动  深入贯彻落实新发展理念"]
    # the W3C formats keep every variable, the plan's too (a table shows it only for several plans)
    assert runner.invoke(main, [*args, "--format", "csv"]).stdout.splitlines()[:2] == [
        "unit,id,role,section,title,plan",
        "区委党校,m16,joint,5.领导干部和公务员科学素质提升行动,深入贯彻落实新发展理念,泰山政办字〔2022〕7号"]


@pytest.mark.parametrize("fmt, parse_as", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_exports(runner, fmt, parse_as):
    q = ("PREFIX kp: <https://w3id.org/kepugraph#> "
         "CONSTRUCT { ?m kp:leadUnit ?u } WHERE { ?m kp:leadUnit ?u }")
    result = runner.invoke(main, ["sparql", "-e", q, "--format", fmt])
    assert result.exit_code == 0
    # 200 joint mentions (a joint unit is a lead too) and one lead alone: 区科协 on measure 31
    plan = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号"
    got = Graph().parse(data=result.stdout, format=parse_as)
    assert len(got) == 201
    assert (URIRef(f"{plan}/measure/31"), KP.leadUnit, URIRef(f"{plan}/unit/区科协")) in got


def test_construct_refuses_table_formats(runner):
    result = runner.invoke(main, ["sparql", "-e", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "--format", "csv"])
    assert result.exit_code == 2
    assert result.stderr == "Error: query: a CONSTRUCT result exports as ttl, nt or jsonld, not csv\n"


def test_queries_command(runner):
    out = runner.invoke(main, ["queries", "--format", "json"]).stdout
    data = json.loads(out)
    assert [d["name"] for d in data][:4] == ["no-lead", "not-reported", "overdue", "pairs"]
    assert next(d for d in data if d["name"] == "partners")["params"] == ["unit: the unit's name as written, e.g. 区科协"]


def test_unreachable_endpoint(runner):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = runner.invoke(main, ["sparql", "workload", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: http://127.0.0.1:{port}/query: cannot reach the endpoint: ")


def test_engine_variants_are_the_same_query():
    """A variant written for Oxigraph's planner asks what the portable text asks."""
    queries = sparql.named_queries()
    with_variants = sorted(name for name, q in queries.items() if q.variants)
    assert with_variants == ["pairs", "workload"]
    for name in with_variants:
        q = queries[name]
        for engine, text in q.variants.items():
            assert engine == "oxigraph"
            assert sparql.check(text, name) == sparql.check(q.text, name) == "SELECT"
            assert text.splitlines()[0] == q.text.splitlines()[0]  # same name and description
