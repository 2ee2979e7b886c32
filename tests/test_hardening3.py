"""The third adversarial round (issue #25): each case reproduced, each bounded in time or memory."""

import time

import pytest

from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.extraction.units import split_glued


def test_a_glued_cell_of_repeated_words_is_split_in_linear_time():
    # 街道办事 + 办事×30 + 处 took 8 s (each two characters doubled it); ×36 took 199 s
    cell = "街道办事" + "办事" * 36 + "处"
    text = f"序号\t工作任务\t责任单位\n1\t开展科普活动进社区\t区科协\n2\t推进科普阵地建设\t{cell}\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 20  # bounds for a busy machine: the figures are ms
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"], [cell]]
    start = time.monotonic()
    assert split_glued("街道办事" + "办事" * 2000 + "处", {"区科协"}) == ["街道办事" + "办事" * 2000 + "处"]
    assert time.monotonic() - start < 20
    # the split itself is as before: a known name on either side, or a part that splits again
    assert split_glued("派出所工商质监所文化馆", {"文化馆"}) == ["派出所", "工商质监所", "文化馆"]


def test_a_long_run_of_one_unit_name_is_scanned_once():
    # 一、重点任务 and 4,000 lines of one name (40 KB) took 37 s: each line began a header scan to the end
    text = "一、重点任务\n" + "区科学技术协会\n" * 4000 + "1.开展科普活动。（区科协负责）\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 15  # about 1 s
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"]]


@pytest.mark.parametrize("cite", ["依据：鲁政办字〔2021〕5号\n", "为落实省级方案（鲁政办字〔2021〕5号文件精神），制定本方案。\n",
                                  "（鲁政办字〔2021〕5号文件精神）\n", "按照鲁政办字〔2021〕5号要求，制定本方案。\n"],
                         ids=["basis-line", "in-sentence", "own-line-in-brackets", "as-required-by"])
def test_a_parent_plans_doc_number_in_other_wordings_is_not_the_plans_own(runner, tmp_path, cite):
    county = f"关于印发泰山区科普工作方案的通知\n{cite}一、任务\n1.开展活动。（区科协负责）\n"
    assert parse_text(county).meta.doc_number is None
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "county.txt").write_text(county, encoding="utf-8")
    (plans / "province.txt").write_text("鲁政办字〔2021〕5号\n关于印发山东省科普工作方案的通知\n一、任务\n1.开展活动。（省科协负责）\n",
                                        encoding="utf-8")
    result = runner.invoke(main, ["build", str(plans), "--store", f"oxigraph:{tmp_path / 's'}"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("2 plans loaded, 0 unchanged, 0 failed")


@pytest.mark.parametrize("head, number", [
    ("关于印发某区科普工作方案的通知\n（某政办字〔2024〕3号）\n", "某政办字〔2024〕3号"),
    ("某区人民政府办公室文件 某政办字〔2024〕3号 关于印发某区科普工作方案的通知\n", "某政办字〔2024〕3号"),
    ("关于印发某区科普工作方案的通知\n发文字号：某政办字〔2024〕3号\n", "某政办字〔2024〕3号"),
], ids=["brackets-under-title", "after-issuer", "labelled"])
def test_the_plans_own_doc_number_is_still_read(head, number):
    assert parse_text(head + "一、任务\n1.开展活动。（区科协负责）\n").meta.doc_number == number


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that counts who connects (a SERVICE that got through)."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(65536))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/", seen
    stop.set()
    thread.join(timeout=2)
    sock.close()


@pytest.fixture(scope="module")
def oxigraph_store(tmp_path_factory):
    spec = f"oxigraph:{tmp_path_factory.mktemp('ox') / 's'}"
    from click.testing import CliRunner
    assert CliRunner().invoke(main, ["build", "--store", spec]).exit_code == 0
    return spec


@pytest.mark.parametrize("store", ["memory", "oxigraph", "endpoint"])
def test_service_behind_a_carriage_return_is_refused_on_every_store(runner, listener, oxigraph_store, store):
    url, seen = listener
    query = f"SELECT * WHERE {{ # x\r SERVICE <{url}> {{ ?a ?b ?c }} \n }}"
    args = {"memory": [], "oxigraph": ["--store", oxigraph_store], "endpoint": ["--endpoint", url]}[store]
    result = runner.invoke(main, ["sparql", "-e", query, *args])
    assert result.exit_code == 2
    assert result.stderr == "Error: query: SERVICE is refused: it would query another endpoint (pass --allow-service)\n"
    assert seen == []


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_parameter_cannot_reach_into_a_string_of_the_query(runner, listener, oxigraph_store, store):
    url, seen = listener
    value = f"x=''' AS ?y) SERVICE <{url}> {{?a ?b ?c}} BIND('''"
    args = ["--store", oxigraph_store] if store == "oxigraph" else []
    result = runner.invoke(main, ["sparql", "-e", "SELECT * { BIND('''WHERE {''' AS ?x) }", "--param", value,
                                  "--format", "csv", *args])
    assert seen == []
    assert "Traceback" not in result.output
    # the value is a value, bound to ?x: rdflib's BIND then replaces it, Oxigraph's meets it bound (no row)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == {"memory": "x\nWHERE {\n", "oxigraph": "x\n"}[store]


def test_values_go_where_the_tokens_open_the_where_group():
    from kepugraph.sparql import bind, check

    # a WHERE { inside a string, a comment or an IRI is no place for the clause
    for query in ["SELECT * { BIND('''WHERE {''' AS ?x) }", 'SELECT * { BIND("WHERE {" AS ?x) } # WHERE {',
                  "SELECT * FROM <http://h/a#WHERE> { ?s ?p ?x }"]:
        bound = bind(query, {"x": "''' AS ?y) SERVICE <http://127.0.0.1:9/> {?a ?b ?c} BIND('''"})
        assert bound.startswith(query) and bound.endswith('") }\n')
        assert check(bound) == "SELECT"
    assert bind("SELECT ?s WHERE # c\n { ?s ?p ?x }", {"x": "1"}) == \
        'SELECT ?s WHERE # c\n {\n  VALUES (?x) { ("1") }\n ?s ?p ?x }'


CROSS3 = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_time_limit_holds_for_a_query_that_yields_no_row_until_it_ends(runner, oxigraph_store, store):
    args = ["--store", oxigraph_store] if store == "oxigraph" else []
    start = time.monotonic()
    result = runner.invoke(main, ["sparql", "-e", CROSS3, "--timeout", "1", *args])
    assert time.monotonic() - start < 8  # ran on past 40 s
    assert result.exit_code == 1
    assert result.stderr == "Error: query: stopped after 1 s, the time limit (raise it with --timeout)\n"


def test_a_query_past_the_memory_limit_is_stopped(tmp_path, oxigraph_store):
    from kepugraph import sparql
    from kepugraph.errors import QueryError
    from kepugraph.store import open_store

    with open_store(oxigraph_store) as store:
        start = time.monotonic()
        with pytest.raises(QueryError) as err:  # reached 7.9 GB in 30 s
            sparql.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i LIMIT 1", store,
                       limits=sparql.Limits(seconds=60, memory_bytes=200 * 2**20))
        assert time.monotonic() - start < 20
        assert str(err.value) == "query: stopped at 200 MB, the memory limit"
        # and a small query still answers, from a worker too
        assert sparql.run("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/kepugraph#Measure> }",
                          store).values() == [(31,)]


def test_a_runaway_query_as_a_command_stays_under_a_gigabyte(tmp_path, oxigraph_store):
    import resource
    import subprocess
    import sys

    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "kepugraph", "sparql", "-e",
                           "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i LIMIT 1",
                           "--timeout", "1", "--store", oxigraph_store], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 20
    assert proc.returncode == 1
    # whichever limit it meets first: on a quiet machine the sort reaches 768 MB within the second
    assert proc.stderr in ("Error: query: stopped after 1 s, the time limit (raise it with --timeout)\n",
                           "Error: query: stopped at 768 MB, the memory limit\n")
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KB: the worker is waited for


@pytest.fixture(scope="module")
def dirty_graph(tmp_path_factory):
    """The reference graph with a terminal escape and a NUL written into labels and a title."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("dirty")
    assert CliRunner().invoke(main, ["build", "-o", str(out / "g")]).exit_code == 0
    ttl = out / "g" / "taishan-kepu-plan-2021-2025.ttl"
    text = ttl.read_text(encoding="utf-8")
    assert text.count('"区科协"@zh') >= 1
    text = text.replace('"区科协"@zh', '"区科协\\u001B]0;PWNED\\u0007"@zh').replace(
        'dcterms:title "', 'dcterms:title "\\u0000', 1)
    dirty = out / "dirty.ttl"
    dirty.write_text(text, encoding="utf-8")
    return dirty


@pytest.mark.parametrize("command", [["matrix", "-o", "m.xlsx"], ["sheets", "-o", "s"],
                                     ["sheets", "-o", "d", "--format", "docx"],
                                     ["sparql", "workload", "--format", "xlsx", "-o", "q.xlsx"],
                                     ["workload"], ["workload", "--format", "md"]],
                         ids=["matrix", "sheets", "docx", "sparql-xlsx", "table", "md"])
def test_control_characters_in_a_graph_files_labels_are_cleaned(runner, tmp_path, dirty_graph, command):
    from openpyxl import load_workbook

    args = [tmp_path / a if a in ("m.xlsx", "s", "d", "q.xlsx") else a for a in command]
    result = runner.invoke(main, [*map(str, args), "--graph", str(dirty_graph)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output and "\x00" not in result.output
    if command[0] == "workload":
        assert "区科协 ]0;PWNED " in result.stdout  # cleaned as a document's text is when read
    books = sorted(tmp_path.rglob("*.xlsx"))
    cells = [c.value for b in books for ws in load_workbook(b).worksheets for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and ("\x1b" in v or "\x07" in v) for v in cells)
    assert (not books) or any(isinstance(v, str) and "区科协 ]0;PWNED " in v for v in cells) or command[0] == "sheets"


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_escape_sequences_from_an_endpoint_never_reach_the_terminal(runner, fmt):
    import http.server
    import threading

    body = ('{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", '
            '"value": "区科协\\u001b]0;PWNED\\u0007\\u001b[2J\\u009b31m局"}}]}}').encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = runner.invoke(main, ["sparql", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--format", fmt, "--endpoint",
                                      f"http://127.0.0.1:{server.server_address[1]}/query"])
    finally:
        server.shutdown()
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == {"table": "区科协局", "md": "| 区科协局 |"}[fmt]


def test_a_full_disk_during_a_corpus_build_is_one_line(tmp_path):
    import resource
    import signal
    import subprocess
    import sys

    from kepugraph.reading.source import BUNDLED_PLAN

    plans = tmp_path / "plans"
    plans.mkdir()
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    for i in range(1, 7):
        (plans / f"p{i}.txt").write_text(text.replace("泰山政办字〔2022〕7号", f"泰山政办字〔2022〕{i}0号"), encoding="utf-8")

    def small_files():  # every file the build writes stops at 150 KB, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    proc = subprocess.run([sys.executable, "-m", "kepugraph", "build", str(plans), "--store", f"oxigraph:{tmp_path / 's'}",
                           "--workers", "1"], preexec_fn=small_files, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1, proc.stderr
    # a first build streams its plans into the store: the store's file is the first to pass the limit
    assert proc.stderr.startswith(f"Error: oxigraph:{tmp_path / 's'}: cannot write the store: IO error: ")
    assert proc.stderr.rstrip().endswith("File too large; the plans of earlier builds stay, build again once there is "
                                         "room")


def test_no_room_for_a_builds_temporary_files_is_one_line(tmp_path, monkeypatch):
    import tempfile

    from kepugraph.errors import StoreError
    from kepugraph.reading.source import BUNDLED_PLAN
    from kepugraph.store.corpus import Corpus

    not_a_folder = tmp_path / "tmp"
    not_a_folder.write_text("", encoding="utf-8")
    with Corpus(tmp_path / "s") as corpus:
        monkeypatch.setattr(tempfile, "tempdir", str(not_a_folder))
        with pytest.raises(StoreError) as err:
            corpus.build([BUNDLED_PLAN])
        monkeypatch.undo()
        assert corpus.plans() == []
    assert str(err.value) == (f"oxigraph:{tmp_path / 's'}: cannot make a temporary file in {not_a_folder}: Not a "
                              "directory; build again once there is room there (or with TMPDIR set to a folder that "
                              "has it)")


def test_an_oxigraph_error_while_the_rows_are_read_is_one_line(runner, listener, oxigraph_store):
    url, seen = listener  # answers nothing: the SERVICE fails in the middle of the query
    result = runner.invoke(main, ["sparql", "-e", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
                                  "--allow-service", "--store", oxigraph_store])
    assert result.exit_code == 1 and len(seen) == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: {oxigraph_store}: query failed: ") or result.stderr.startswith(
        "Error: query: query failed: "), result.stderr


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_past_its_timeout_leaves_no_process_behind(tmp_path, monkeypatch):
    import tempfile
    from pathlib import Path

    from kepugraph.errors import SourceError
    from kepugraph.reading import office

    monkeypatch.setattr(office, "TIMEOUT", 1.5)  # soffice.bin has started (within 1 s) and works on
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its profile, and so its command line, under tmp_path
    doc = tmp_path / "plan.doc"
    with pytest.raises(SourceError) as err:
        office.convert(doc, ("一、任务\n" + "1.开展活动。（区科协负责）\n" * 20000).encode())
    assert str(err.value) == f"{doc}: LibreOffice did not convert it within 1.5 s"

    def ours():
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if str(tmp_path) in (proc / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(proc.name)
            except OSError:
                continue
        return found

    time.sleep(1)
    assert ours() == []


@pytest.fixture
def raw_server():
    """A server on 127.0.0.1 that answers every request with ``answer(sock)``, whatever it is."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    state = {"answer": None}
    stop = threading.Event()

    def serve(conn):
        try:
            conn.settimeout(60)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), b"0"))
            while len(body) < length:
                body += conn.recv(65536)
            state["answer"](conn)
        except OSError:
            pass
        finally:
            conn.close()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", state
    stop.set()
    sock.close()


def test_headers_a_byte_at_a_time_are_held_to_the_deadline(runner, raw_server):
    url, state = raw_server

    def drip(conn):  # headers that never end, a byte every 1.5 s (each read well within its timeout)
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nX-Pad: " + b"a" * 40:
            conn.sendall(bytes([byte]))
            time.sleep(1.5)

    state["answer"] = drip
    start = time.monotonic()
    result = runner.invoke(main, ["sparql", "-e", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", f"{url}/query",
                                  "--timeout", "2"])
    assert time.monotonic() - start < 6  # ran past 45 s
    assert result.exit_code == 1
    assert result.stderr == f"Error: {url}/query: no complete answer within 2 s, the time limit\n"


def test_push_to_an_endless_answer_stops_at_the_cap(runner, raw_server):
    url, state = raw_server

    def endless(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
        block = b"x" * 65536
        for _ in range(20_000):  # 1.3 GB if nothing stops it (it reached 8.4 GB)
            conn.sendall(block)

    state["answer"] = endless
    start = time.monotonic()
    result = runner.invoke(main, ["push", "--endpoint", f"{url}/query"])
    assert time.monotonic() - start < 20
    assert result.exit_code == 1
    assert result.stderr == f"Error: {url}/store: the answer is over 1048576 bytes, the size limit\n"


def test_a_huge_results_answer_is_read_only_to_the_row_limit(runner, raw_server):
    import resource
    import subprocess
    import sys

    url, state = raw_server
    row = b'{"x": {"type": "literal", "value": "' + b"\xe5\x8c\xba" * 300 + b'"}}'

    def huge(conn):  # 190 MB of bindings (40 s and 4.1 GB with --max-rows 10)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
                     b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + row)
        block = (b", " + row) * 1000
        for _ in range(200):
            conn.sendall(block)
        conn.sendall(b"]}}")

    state["answer"] = huge
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "kepugraph", "sparql", "-e", "SELECT ?x WHERE { ?x ?p ?o }",
                           "--endpoint", f"{url}/query", "--max-rows", "10", "--format", "csv"],
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - start < 20
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == ["x"] + ["区" * 300] * 10
    assert proc.stderr == "note: the first 10 rows of more (the row limit; raise it with --max-rows)\n"
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024


def xlsx_without_positions(rows: int, columns: int, sheets: int = 1) -> bytes:
    """A workbook whose cells carry no r= (so they compress ~100 times): the bomb of item 7."""
    import io
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                   'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                             f'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, sheets + 1)) + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets>'
                   + "".join(f'<sheet name="表{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                   'org/package/2006/relationships">' + "".join(
                       f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                       f'worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1)) + "</Relationships>")
        row = "<row>" + "".join(f"<c><v>{c}</v></c>" for c in range(columns)) + "</row>"
        for i in range(1, sheets + 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>' + row * rows
                       + "</sheetData></worksheet>")
    return buf.getvalue()


def test_an_xlsx_of_cells_without_positions_is_refused_at_the_row_limit(tmp_path):
    import resource
    import subprocess
    import sys

    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx_without_positions(40_000, 90, sheets=3))  # 10.8 M cells (79 s and 4.45 GB at 3× this)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "kepugraph", "extract", str(bomb)], capture_output=True, text=True,
                          timeout=120)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert proc.stderr == (f"Error: {bomb}: sheet '表1' has more than 400000 cells, over the limit of 20000 × 100\n")
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024


def pdf_with_content(content: bytes, filters: str = "") -> bytes:
    """A one-page PDF whose page content stream is ``content`` (encoded by ``filters``)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d %s>>\nstream\n" % (len(content), filters.encode()) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


@pytest.mark.parametrize("how", ["hex-over-flate", "a85-over-flate", "stream-cr"])
def test_a_flate_bomb_behind_another_filter_or_a_lone_cr_is_refused(tmp_path, how):
    import base64
    import zlib

    from kepugraph.errors import SourceError
    from kepugraph.reading.pdf import check_inflation

    bomb = zlib.compress(b"\0" * (40 * 1024 * 1024), 9)
    if how == "hex-over-flate":
        data = pdf_with_content(bomb.hex().encode() + b">", "/Filter [/ASCIIHexDecode /FlateDecode] ")
    elif how == "a85-over-flate":
        data = pdf_with_content(base64.a85encode(bomb, adobe=True), "/Filter [/ASCII85Decode /FlateDecode] ")
    else:
        data = pdf_with_content(bomb, "/Filter /FlateDecode ").replace(b"stream\n", b"stream\r", 1)
    path = tmp_path / "bomb.pdf"
    start = time.monotonic()
    with pytest.raises(SourceError) as err:
        check_inflation(path, data, limit=10 * 1024 * 1024)
    assert time.monotonic() - start < 10
    assert str(err.value) == f"{path}: PDF streams inflate to more than 10485760 bytes: refused as too large"


def test_a_pdf_of_endless_text_operators_is_cut_by_time(tmp_path):
    from kepugraph.errors import SourceError
    from kepugraph.reading.pdf import pdf_text

    ops = b"BT /F1 1 Tf 10 10 Td (x) Tj ET\n" * 400_000  # 12 MB of operators, uncompressed, under every size limit
    path = tmp_path / "ops.pdf"
    start = time.monotonic()
    with pytest.raises(SourceError) as err:
        pdf_text(path, pdf_with_content(ops), seconds=2)
    assert time.monotonic() - start < 10
    assert str(err.value) == f"{path}: PDF not read within 2 s: refused as too large"
    # a plain PDF still reads, through the same worker
    assert pdf_text(path, pdf_with_content(b"BT /F1 12 Tf 72 720 Td (1. Task) Tj ET")) == "1. Task\n"
