"""The third adversarial round (issue #25): each case reproduced, each bounded in time or memory."""

import time

import pytest

from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.extraction.units import split_glued


def test_a_glued_cell_of_repeated_words_is_split_in_linear_time():
    # 街道办事 + 办事×30 + 处 took 8 s (each two characters doubled it); ×36 took 199 s
    cell = "街道办事" + "办事" * 30 + "处"
    text = f"序号\t工作任务\t责任单位\n1\t开展科普活动进社区\t区科协\n2\t推进科普阵地建设\t{cell}\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 3
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"], [cell]]
    start = time.monotonic()
    assert split_glued("街道办事" + "办事" * 2000 + "处", {"区科协"}) == ["街道办事" + "办事" * 2000 + "处"]
    assert time.monotonic() - start < 3
    # the split itself is as before: a known name on either side, or a part that splits again
    assert split_glued("派出所工商质监所文化馆", {"文化馆"}) == ["派出所", "工商质监所", "文化馆"]


def test_a_long_run_of_one_unit_name_is_scanned_once():
    # 一、重点任务 and 4,000 lines of one name (40 KB) took 37 s: each line began a header scan to the end
    text = "一、重点任务\n" + "区科学技术协会\n" * 4000 + "1.开展科普活动。（区科协负责）\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 5
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
