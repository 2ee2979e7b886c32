"""What an attacker, a careless user and a big file found (issue #16), each reproduced."""

import csv
import io

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
    assert link.is_symlink() and real.read_bytes().startswith("\ufeff单位,".encode())


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
    assert got and got[0].startswith("\ufeff单位,".encode()) and fifo.exists() and not fifo.is_file()


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
