"""What an attacker, a careless user and a big file found (issue #16), each reproduced."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.rdf import measure_rows, plan_to_graph

HOSTILE = ('一、任务\n1.=HYPERLINK("http://127.0.0.1/x","点击查看详情")开展活动。（区科协、=1+1局按职责分工负责）\n'
           "2.+SUM(A1)推进工作。（区教育局负责）\n")


def test_formula_text_is_never_a_formula_nor_a_unit(tmp_path, runner):
    plan = parse_text(HOSTILE)
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"], ["区教育局"]]
    assert [w.message for w in plan.warnings] == ["not a unit name: =1+1局"]
    src = tmp_path / "plan.txt"
    src.write_text(HOSTILE, encoding="utf-8")
    graph = tmp_path / "g"
    assert runner.invoke(main, ["build", str(src), "-o", str(graph)]).exit_code == 0
    ttl = str(graph / "plan.ttl")
    assert runner.invoke(main, ["matrix", "--graph", ttl, "-o", str(tmp_path / "m.xlsx")]).exit_code == 0
    assert runner.invoke(main, ["sheets", "--graph", ttl, "-o", str(tmp_path / "s")]).exit_code == 0
    assert runner.invoke(main, ["sparql", "-e", "SELECT ?t WHERE { ?m a <https://w3id.org/kepugraph#Measure> ; <http://purl.org/dc/terms/title> ?t }",
                                "--graph", ttl, "--format", "xlsx", "-o", str(tmp_path / "q.xlsx")]).exit_code == 0
    for book in [tmp_path / "m.xlsx", tmp_path / "q.xlsx", *sorted((tmp_path / "s").glob("*.xlsx"))]:
        wb = load_workbook(book)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert cells and all(c.data_type == "s" for c in cells), book.name
        assert any(c.value.startswith("=HYPERLINK") for c in cells) or "s" == book.parent.name
    out = runner.invoke(main, ["sparql", "-e", "SELECT ?t WHERE { ?m a <https://w3id.org/kepugraph#Measure> ; <http://purl.org/dc/terms/title> ?t }",
                               "--graph", ttl, "--format", "csv"]).stdout
    titles = [row[0] for row in csv.reader(io.StringIO(out))][1:]
    assert sorted(titles) == ["'+SUM(A1)推进工作", "'=HYPERLINK(\"http://127.0.0.1/x\",\"点击查看详情\")开展活动"]
    rows = measure_rows(plan_to_graph(plan))
    assert rows[0].title.startswith("=HYPERLINK")  # the graph keeps the text as written


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { BIND("\\u0022" AS ?x) SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } } # """ AS ?y)',
    "SELECT * WHERE { ?s ?p ?o } \\U0000007d",
])
def test_unicode_escapes_are_refused_before_any_store_opens(runner, query):
    result = runner.invoke(main, ["sparql", "-e", query])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: query:1:") and result.stderr.endswith(
        ": \\u and \\U escapes are refused: write the character itself\n")


def test_escapes_in_a_parameter_are_refused(runner):
    result = runner.invoke(main, ["sparql", "tasks-of-unit", "--param", "unit=区科协\\u0022"])
    assert result.exit_code == 2
    assert result.stderr == ("Error: tasks-of-unit: parameter 'unit': \\u and \\U escapes are refused: "
                             "write the character itself\n")


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(runner, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert runner.invoke(main, ["workload", "--format", "csv", "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and real.read_bytes().startswith("\ufeff示例方案：".encode())  # the sample, named


def test_output_to_a_device_or_fifo_is_written_in_place(runner, tmp_path):
    import os
    import threading

    result = runner.invoke(main, ["workload", "--format", "csv", "-o", "/dev/null"])
    assert result.exit_code == 0 and os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    full = runner.invoke(main, ["workload", "--format", "csv", "-o", "/dev/full"])
    assert full.exit_code == 1 and full.stderr == "Error: /dev/full: cannot write: No space left on device\n"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert runner.invoke(main, ["workload", "--format", "csv", "-o", str(fifo)]).exit_code == 0
    reader.join(timeout=10)
    assert got and got[0].startswith("\ufeff示例方案：".encode()) and fifo.exists() and not fifo.is_file()


def test_a_folder_in_the_way_changes_nothing(runner, tmp_path):
    out = tmp_path / "g"
    assert runner.invoke(main, ["build", "-o", str(out)]).exit_code == 0
    before = (out / "taishan-kepu-plan-2021-2025.ttl").read_bytes()
    (out / "taishan-kepu-plan-2021-2025.html").unlink()
    (out / "taishan-kepu-plan-2021-2025.html").mkdir()
    result = runner.invoke(main, ["build", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}/taishan-kepu-plan-2021-2025.html: is a directory, not a file\n"
    assert (out / "taishan-kepu-plan-2021-2025.ttl").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["taishan-kepu-plan-2021-2025.html", "taishan-kepu-plan-2021-2025.ttl"]


@pytest.mark.parametrize("name, content, message", [
    ("remote.jsonld", '{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "x"}',
     "a JSON-LD @context that names a document is refused: http://127.0.0.1:9/ctx.jsonld"),
    ("local.jsonld", '[{"@context": ["file:///etc/passwd"], "@id": "x"}]',
     "a JSON-LD @context that names a document is refused: ['file:///etc/passwd']"),
    ("laughs.rdf", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
     "a DTD or entity declaration is refused (it could expand without end or read files)"),
], ids=["remote-context", "file-context", "billion-laughs"])
def test_loading_a_graph_reaches_nothing_outside_the_file(runner, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(main, ["workload", "--graph", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"


def test_a_graph_over_the_size_limit_is_refused(tmp_path):
    from kepugraph.errors import GraphError
    from kepugraph.rdf.turtle import load_graph

    path = tmp_path / "big.ttl"
    path.write_text("# " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(GraphError) as err:
        load_graph(path, max_bytes=100)
    assert str(err.value) == f"{path}: file is 203 bytes, over the limit of 100 bytes"


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_sources_that_are_not_regular_files_are_refused(runner, tmp_path, target):
    import os

    if target == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
    result = runner.invoke(main, ["extract", target])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: not a regular file (a device, a pipe or a socket)\n"


def test_control_characters_are_replaced_and_reported_never_printed(runner, tmp_path):
    src = tmp_path / "plan.txt"
    # a NUL in the first 8 KB means a binary file; past them, a stray one in a text
    src.write_text("一、任务\n1.开展活动\x1b]0;PWNED\x07。（区科协、区教育局负责）\n" + "备注。\n" * 3000
                   + "2.推进\x00工作。（区科协负责）\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(src), "-o", str(tmp_path / "g")])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x00" not in result.output
    assert [line.split(": ")[2] for line in result.stderr.splitlines()] == [
        "control character U+001B replaced by a space", "control character U+0007 replaced by a space",
        "control character U+0000 replaced by a space"]
    assert runner.invoke(main, ["matrix", "--graph", str(tmp_path / "g" / "plan.ttl"), "-o",
                                str(tmp_path / "m.xlsx")]).exit_code == 0


def test_a_cited_doc_number_is_never_the_plans_own(runner, tmp_path):
    county = ("关于印发泰山区科普工作方案的通知\n为贯彻落实《泰安市全民科学素质行动规划纲要实施方案》（泰政办字〔2022〕12号），"
              "制定本方案。\n一、任务\n1.开展活动。（区科协负责）\n")
    assert parse_text(county).meta.doc_number is None
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "county.txt").write_text(county, encoding="utf-8")
    (plans / "city.txt").write_text("泰政办字〔2022〕12号\n关于印发泰安市科普工作方案的通知\n一、任务\n1.开展活动。（市科协负责）\n",
                                    encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 's'}"
    result = runner.invoke(main, ["build", str(plans), "--store", spec])
    assert result.exit_code == 0 and result.stdout.startswith("2 plans loaded, 0 unchanged, 0 failed")


def test_two_sources_of_one_plan_iri_is_an_error_naming_both(runner, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    text = "泰政办字〔2022〕12号\n关于印发泰安市科普工作方案的通知\n一、任务\n1.开展活动。（市科协负责）\n"
    (plans / "a.txt").write_text(text, encoding="utf-8")
    (plans / "b.txt").write_text(text.replace("开展活动", "推进工作"), encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 's'}"
    result = runner.invoke(main, ["build", str(plans), "--store", spec, "--workers", "1"])
    assert result.exit_code == 0
    iri = "https://w3id.org/kepugraph/id/泰政办字-2022-12号"
    assert result.stderr == (f"error: {plans / 'b.txt'}: the same plan as a.txt (<{iri}>): give each its own 文号 or "
                             f"title, or remove a.txt first\n")
    assert result.stdout.startswith("1 plans loaded, 0 unchanged, 1 failed")
    # later, from another build: still the same refusal
    (plans / "a.txt").unlink()
    again = runner.invoke(main, ["build", str(plans / "b.txt"), "--store", spec])
    assert again.stderr.startswith(f"error: {plans / 'b.txt'}: the same plan as a.txt")


@pytest.fixture
def fake_endpoint():
    """A local endpoint on 127.0.0.1 that answers every POST with the body it is given."""
    import http.server
    import threading

    answer = {"body": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(answer["body"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query", answer
    server.shutdown()


@pytest.mark.parametrize("body", [b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", '
                                  b'"value": "\xb2\xe2"}}]}}', b'{"results": {}}', b"[1, 2]", b"not json"],
                         ids=["not-utf8", "no-head", "a-list", "not-json"])
def test_an_endpoint_answering_nonsense_is_one_error(runner, fake_endpoint, body):
    url, answer = fake_endpoint
    answer["body"] = body
    result = runner.invoke(main, ["sparql", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", url])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {url}: the answer is not SPARQL results JSON in UTF-8\n"


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "http://[::1"], "Error: http://[::1: not a valid URL: Invalid IPv6 URL\n"),
    (["-e", 'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, "(")) }'],
     "Error: query: query failed: missing ), unterminated subpattern at position 0\n"),
], ids=["bad-url", "bad-regex"])
def test_query_failures_are_one_line(runner, args, message):
    result = runner.invoke(main, ["sparql", *(["workload"] if "-e" not in args else []), *args])
    assert result.exit_code != 0 and result.stderr == message


def test_a_damaged_store_is_one_error(runner, tmp_path):
    store = tmp_path / "s"
    store.mkdir()
    (store / "CURRENT").write_text("garbage\n")
    result = runner.invoke(main, ["sparql", "workload", "--store", f"oxigraph:{store}"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: oxigraph:{store}: cannot open the store: not an intact Oxigraph store")


def test_the_shapes_catch_what_analysis_cannot_read(runner, tmp_path):
    out = tmp_path / "g"
    assert runner.invoke(main, ["build", "-o", str(out)]).exit_code == 0
    ttl = out / "taishan-kepu-plan-2021-2025.ttl"
    text = ttl.read_text(encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace('kp:ordinal 1 ;', 'kp:ordinal "abc" ;', 1), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert "任务序号缺失或不是整数 (a measure's ordinal is missing or not an integer)" in result.stdout
    dated = tmp_path / "dated.ttl"
    dated.write_text(text.replace('dcterms:issued "2022-05-31"^^xsd:date', 'dcterms:issued "2022-02-31"^^xsd:date'),
                     encoding="utf-8")
    assert '"2022-05-31"^^xsd:date' in text
    result = runner.invoke(main, ["validate", str(dated)])
    assert result.exit_code == 1 and "方案日期不是有效日期 (the plan's date is not a valid xsd:date)" in result.stdout


@pytest.mark.parametrize("date", ["二〇二二年十十月一日", "2022年2月31日"])
def test_impossible_dates_are_no_date(date):
    plan = parse_text(f"关于印发某方案的通知\n某区人民政府\n{date}\n一、任务\n1.开展活动。（区科协负责）\n")
    assert plan.meta.date is None


def test_a_runaway_query_is_cut_by_rows_and_by_time(runner):
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    result = runner.invoke(main, ["sparql", "-e", cross, "--max-rows", "3", "--format", "csv"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1 + 3
    assert result.stderr == "note: the first 3 rows of more (the row limit; raise it with --max-rows)\n"
    slow = runner.invoke(main, ["sparql", "-e", cross, "--max-rows", "100000000", "--timeout", "1", "--format", "csv"])
    assert slow.exit_code == 1
    assert slow.stderr == "Error: query: stopped after 1 s, the time limit (raise it with --timeout)\n"


def test_an_endpoint_is_held_to_an_overall_deadline_and_a_size_cap():
    import http.server
    import threading
    import time

    from kepugraph import sparql
    from kepugraph.errors import StoreError
    from kepugraph.store import EndpointStore

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()
            for _ in range(30):  # a byte a second, for at most 30 s
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(1)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = EndpointStore(f"http://127.0.0.1:{server.server_address[1]}/query")
        started = time.monotonic()
        with pytest.raises(StoreError) as err:
            sparql.run("SELECT * WHERE { ?s ?p ?o }", store, limits=sparql.Limits(seconds=2))
        assert time.monotonic() - started < 6
        assert str(err.value).endswith("no complete answer within 2 s, the time limit")
        with pytest.raises(StoreError) as err:
            sparql.run("SELECT * WHERE { ?s ?p ?o }", store, limits=sparql.Limits(answer_bytes=0, seconds=10))
        assert str(err.value).endswith("the answer is over 0 bytes, the size limit")
    finally:
        server.shutdown()


def test_smaller_findings(runner, tmp_path):
    from kepugraph.errors import SourceError
    from kepugraph.names import read_aliases
    from kepugraph.reading.source import read_source

    # push only over http(s)
    result = runner.invoke(main, ["push", "--endpoint", "http://127.0.0.1:9/query", "--store-url", "file:///etc/x"])
    assert result.exit_code == 1
    assert result.stderr == "Error: file:///etc/x: a store is pushed to over http:// or https:// only\n"
    # aliases: chains followed, cycles refused
    aliases = tmp_path / "a.csv"
    aliases.write_text("甲局,乙局\n乙局,丙局\n", encoding="utf-8")
    assert read_aliases(aliases) == {"甲局": "丙局", "乙局": "丙局"}
    aliases.write_text("甲局,乙局\n乙局,甲局\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_aliases(aliases)
    assert str(err.value) == f"{aliases}: aliases form a cycle: 甲局 → 乙局 → 甲局"
    # UTF-16 without a BOM, Chinese throughout
    plain = tmp_path / "u16.txt"
    plain.write_bytes("一、任务\n1.开展活动。（区科协负责）\n".encode("utf-16-le"))
    assert read_source(plain).encoding == "utf-16-le"
    # a store goes in a folder of its own
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["build", "--store", f"oxigraph:{busy}"])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: oxigraph:{busy}: not an empty folder nor a store: a store goes in a folder "
                             "of its own\n")
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_a_corpus_build_skips_the_pages_kepugraph_wrote(runner, tmp_path):
    plans = tmp_path / "plans"
    assert runner.invoke(main, ["build", "-o", str(plans)]).exit_code == 0  # .ttl and its units page
    (plans / "plan.txt").write_text("一、任务\n1.开展活动。（区科协负责）\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(plans), "--store", f"oxigraph:{tmp_path / 's'}"])
    assert result.exit_code == 0 and result.stdout.startswith("1 plans loaded, 0 unchanged, 0 failed")


def test_a_store_in_use_says_so(tmp_path):
    from kepugraph.errors import StoreError
    from kepugraph.store import OxigraphStore

    first = OxigraphStore(tmp_path / "s")
    try:
        with pytest.raises(StoreError) as err:
            OxigraphStore(tmp_path / "s")
        assert str(err.value) == (f"oxigraph:{tmp_path / 's'}: the store is in use by another kepugraph command; "
                                  "try again when it has finished")
    finally:
        first.close()


def test_a_pdf_that_inflates_absurdly_is_refused_as_too_large(tmp_path):
    import zlib

    from kepugraph.errors import SourceError
    from kepugraph.reading.pdf import check_inflation

    bomb = b"%PDF-1.4\n1 0 obj << /Filter /FlateDecode >>\nstream\n" + zlib.compress(b"\0" * (40 * 1024 * 1024), 9) \
        + b"\nendstream\nendobj\n%%EOF\n"
    assert len(bomb) < 100_000
    with pytest.raises(SourceError) as err:
        check_inflation(tmp_path / "bomb.pdf", bomb, limit=10 * 1024 * 1024)
    assert str(err.value) == (f"{tmp_path / 'bomb.pdf'}: PDF streams inflate to more than 10485760 bytes: "
                              "refused as too large")


def test_a_docx_whose_document_unzips_too_large_is_refused(tmp_path, monkeypatch):
    import zipfile

    from kepugraph.errors import SourceError
    from kepugraph.reading import docx as docx_reader

    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "<w:document>" + "甲" * 200_000 + "</w:document>")
    docx_reader.check_zip(path, path.read_bytes(), ".docx")  # under the real limit: read
    monkeypatch.setattr(docx_reader, "MAX_PART", 100_000)  # the limit lowered, not the file grown
    with pytest.raises(SourceError) as err:
        docx_reader.check_zip(path, path.read_bytes(), ".docx")
    assert str(err.value) == (f"{path}: zip member word/document.xml unzips to 600025 bytes, over the limit of "
                              "100000: refused as too large")


def test_links_left_unfinished_are_redone_by_the_next_build(runner, tmp_path):
    import shutil as sh

    import pyoxigraph as ox

    from kepugraph.reading.source import BUNDLED_PLAN
    from kepugraph.store import Corpus
    from kepugraph.store.graphs import LINKS_DONE, links_graph

    plans = tmp_path / "plans"
    sh.copytree(Path(__file__).parent / "data" / "corpus", plans)
    sh.copy(BUNDLED_PLAN, plans / "taishan.txt")
    spec = f"oxigraph:{tmp_path / 's'}"
    assert runner.invoke(main, ["build", str(plans), "--store", spec]).exit_code == 0
    implements = json_plans(runner, spec)
    assert any(implements.values())
    with Corpus(tmp_path / "s") as corpus:  # what kill -9 while linking leaves: links gone, no mark
        for row in corpus.plans():
            name = ox.NamedNode(links_graph(row["plan"]))
            if corpus.store.contains_named_graph(name):
                corpus.store.remove_graph(name)
        corpus.store.remove_graph(ox.NamedNode(LINKS_DONE))
        assert not corpus.links_complete()
    assert not any(json_plans(runner, spec).values())
    again = runner.invoke(main, ["build", str(plans), "--store", spec])
    assert again.stdout.startswith("0 plans loaded, 3 unchanged, 0 failed")
    assert json_plans(runner, spec) == implements


def json_plans(runner, spec):
    import json

    return {r["id"]: r["implements"] for r in json.loads(runner.invoke(main, ["plans", "--store", spec, "--format",
                                                                              "json"]).stdout)}


def test_sheets_on_a_full_disk_leave_no_half_folder(runner, tmp_path, monkeypatch):
    import errno
    import os

    calls = {"n": 0}
    real = os.fsync

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 5:  # the fifth sheet finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr("kepugraph.outputs.files.os.fsync", fsync)
    out = tmp_path / "sheets"
    result = runner.invoke(main, ["sheets", "-o", str(out)])
    assert result.exit_code == 1 and result.stderr.endswith(": cannot write: No space left on device\n")
    assert not out.exists() or list(out.iterdir()) == []
