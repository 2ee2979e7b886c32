"""Every bad input: one exact line on stderr, a non-zero exit, earlier outputs byte-identical."""

import errno
import hashlib
import zipfile

import pytest

from kepugraph.cli import main
from kepugraph.outputs.sheets import safe_filename
from kepugraph.rdf import load_graph

GOOD = "一、任务\n1.开展活动。（区科协牵头，区教育局配合）\n"


def _pdf(path, encrypted):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    if encrypted:
        w.encrypt("secret")
    with open(path, "wb") as fh:
        w.write(fh)


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


# name, setup(tmp) → args (with {out} for the output folder), exit code, expected stderr (format with paths)
CASES = [
    ("missing path", lambda d: ["build", str(d / "nope.txt")], 1, "Error: {d}/nope.txt: no such file"),
    ("directory", lambda d: (d / "plans").mkdir() or ["build", str(d / "plans")], 1,
     "Error: {d}/plans: is a directory, not a file (a folder of plans goes into a corpus: add --store oxigraph:DIR)"),
    ("csv with an unclosed quote", lambda d: (d / "p.csv").write_text('序号,任务\n1,"未闭合\n', encoding="utf-8")
     and ["build", str(d / "p.csv")], 1, "Error: {d}/p.csv: not a readable CSV file: unexpected end of data (record 2)"),
    ("empty file", lambda d: (d / "e.txt").write_bytes(b"") and None or ["build", str(d / "e.txt")], 1,
     "Error: {d}/e.txt: file is empty"),
    ("binary file", lambda d: (d / "b.txt").write_bytes(bytes(range(256)) * 4) and ["build", str(d / "b.txt")], 1,
     "Error: {d}/b.txt: binary file, not a text document"),
    ("undecodable", lambda d: (d / "u.txt").write_bytes("一、任务".encode() + b"\x80\xff\x80\xff")
     and ["build", str(d / "u.txt")], 1, "Error: {d}/u.txt: cannot decode: not UTF-8 (bad byte at 12) and not GB18030"),
    ("too large", lambda d: (d / "big.txt").write_text(GOOD * 20, encoding="utf-8")
     and ["build", str(d / "big.txt"), "--max-bytes", "100"], 1,
     "Error: {d}/big.txt: file is 1460 bytes, over the limit of 100 bytes"),
    ("docx not a zip", lambda d: (d / "p.docx").write_bytes(b"hello") and ["build", str(d / "p.docx")], 1,
     "Error: {d}/p.docx: not a .docx file (not a zip archive)"),
    ("docx without document", lambda d: _zip(d / "p.docx", {"a.txt": "x"}) or ["build", str(d / "p.docx")], 1,
     "Error: {d}/p.docx: not a .docx file (no word/document.xml inside)"),
    ("encrypted pdf", lambda d: _pdf(d / "p.pdf", True) or ["build", str(d / "p.pdf")], 1,
     "Error: {d}/p.pdf: encrypted PDF: cannot read its text"),
    ("image-only pdf", lambda d: _pdf(d / "p.pdf", False) or ["build", str(d / "p.pdf")], 1,
     "Error: {d}/p.pdf: PDF has no text layer (a scanned image?)"),
    ("no measure", lambda d: (d / "n.txt").write_text("一、总体要求\n提高素质。\n", encoding="utf-8")
     and ["build", str(d / "n.txt")], 1, "Error: {d}/n.txt: no measure with a responsibility annotation found (looked for （A、B按职责分工负责）, 牵头单位：A, a table with a 责任单位 column, 由A会同B负责)"),
    ("invalid turtle", lambda d: (d / "g.ttl").write_text("<a> <b> .", encoding="utf-8") and
     ["units", "--graph", str(d / "g.ttl")], 1, "Error: {d}/g.ttl: invalid turtle: "),
    ("sparql syntax", lambda d: ["sparql", "-e", "SELECT * WHERE { ?s ?p }"], 2,
     "Error: query:1:18: syntax error: unexpected '?s ?p }}'"),
    ("unknown unit", lambda d: ["tasks", "区科协会"], 1, "Error: no unit named '区科协会'; closest: 区科协"),
    ("unknown query", lambda d: ["sparql", "workloads"], 2,
     "Error: query: no named query 'workloads'; did you mean workload?"),
    ("output not writable", lambda d: (d / "file").write_text("x") and ["build", str(d / "ok.txt"), "-o",
                                                                          str(d / "file" / "out")], 1,
     "Error: {d}/file/out: cannot write here: Not a directory"),
]


@pytest.fixture
def workdir(tmp_path, runner):
    """A folder with a good plan already built into out/: what must survive."""
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(main, ["build", str(tmp_path / "ok.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    return tmp_path


def _snapshot(folder):
    # the files written; the workspace store beside them (out/store) is a folder of Oxigraph's own
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("make, code, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(runner, workdir, make, code, message):
    before = _snapshot(workdir / "out")
    args = make(workdir)
    if "-o" not in args and args[0] == "build":
        args += ["-o", str(workdir / "out")]
    result = runner.invoke(main, args)
    assert result.exit_code == code
    expected = message.format(d=workdir)
    assert result.stderr.count("\n") == 1
    if expected.endswith(": "):
        assert result.stderr.startswith(expected)
    else:
        assert result.stderr == expected + "\n"
    assert _snapshot(workdir / "out") == before


def _fail_fsync(exc):
    def fsync(fd):
        raise exc
    return fsync


def test_full_disk(runner, workdir, monkeypatch):
    before = _snapshot(workdir / "out")
    monkeypatch.setattr("kepugraph.outputs.files.os.fsync", _fail_fsync(OSError(errno.ENOSPC, "No space left on device")))
    result = runner.invoke(main, ["build", str(workdir / "ok.txt"), "-o", str(workdir / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {workdir}/out/ok.ttl: cannot write: No space left on device\n"
    assert _snapshot(workdir / "out") == before


def test_ctrl_c_during_build(runner, workdir, monkeypatch):
    before = _snapshot(workdir / "out")
    monkeypatch.setattr("kepugraph.outputs.files.os.fsync", _fail_fsync(KeyboardInterrupt()))
    result = runner.invoke(main, ["build", str(workdir / "ok.txt"), "-o", str(workdir / "out")])
    assert result.exit_code == 1
    assert "Aborted!" in result.output
    assert _snapshot(workdir / "out") == before  # no partial or temporary file
    assert len(load_graph(workdir / "out" / "ok.ttl")) > 0


def test_ctrl_c_between_the_graph_and_its_page(runner, workdir, monkeypatch):
    """Both files change together: an interrupt after the first rename leaves... none renamed."""
    before = _snapshot(workdir / "out")
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 2:  # the page, after the graph was written
            raise KeyboardInterrupt
    monkeypatch.setattr("kepugraph.outputs.files.os.fsync", fsync)
    (workdir / "ok.txt").write_text(GOOD + "2.建设基地。（区科协负责）\n", encoding="utf-8")
    result = runner.invoke(main, ["build", str(workdir / "ok.txt"), "-o", str(workdir / "out")])
    assert result.exit_code == 1
    assert _snapshot(workdir / "out") == before


@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "etc_passwd.xlsx"), ("/etc/passwd", "etc_passwd.xlsx"), ("a\x00b", "ab.xlsx"),
    ("..", "unit.xlsx"), ("区科协/办公室", "区科协_办公室.xlsx"), ("CON", "_CON.xlsx"),
    ("nul.txt", "_nul.txt.xlsx"), ("COM1.xlsx", "_COM1.xlsx.xlsx"), ("CONIN$", "_CONIN$.xlsx"),
    ("区科\u202exslx.exe局", "区科xslx.exe局.xlsx"), ("区\u2066科协\u2069", "区科协.xlsx"),
    ("科" * 300, "科" * 35 + "-" + hashlib.sha256(("科" * 300).encode()).hexdigest()[:8] + ".xlsx"),
])
def test_output_names_stay_in_their_folder(name, expected):
    assert safe_filename(name, ".xlsx") == expected


def test_long_names_stay_apart_and_fit_a_file_system():
    a, b = safe_filename("科" * 84 + "甲", ".docx"), safe_filename("科" * 84 + "乙", ".docx")
    assert a != b and len(a.encode()) <= 120 and len(b.encode()) <= 120


def test_sheet_files_from_hostile_unit_names_stay_inside(runner, tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text("一、任务\n1.开展活动。（../../逃逸局、/etc/区科协牵头）\n", encoding="utf-8")
    assert runner.invoke(main, ["build", str(plan), "-o", str(tmp_path / "g")]).exit_code == 0
    out = tmp_path / "sheets"
    result = runner.invoke(main, ["sheets", "--graph", str(tmp_path / "g" / "p.ttl"), "-o", str(out)])
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["etc_区科协.xlsx", "逃逸局.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g", "p.txt", "sheets"]
