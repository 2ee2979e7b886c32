"""Task lists saved as .csv/.tsv by Excel or WPS: records as table rows, whatever the separator
and the encoding, read like the same sheet as .xlsx."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kepugraph import api
from kepugraph.cli import main
from kepugraph.reading.delimited import delimiter_of

RECORDS = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
           ["1", "开展全国科普日活动，举办科普讲座20场", "市科协", "市教育局、市科技局", "2024年9月"],
           ["2", "建设社区科普e站10个,\n配备科普宣传栏", "市民政局", "", "2024年12月"]]

EXPECTED = [("开展全国科普日活动，举办科普讲座20场", [("市科协", "lead"), ("市教育局", "support"), ("市科技局", "support")],
             "2024年9月"),
            ("建设社区科普e站10个, 配备科普宣传栏", [("市民政局", "lead")], "2024年12月")]  # a line break in a cell: a space, as in .xlsx


def _write(path, sep, encoding):
    def cell(c):
        return f'"{c}"' if any(ch in c for ch in (sep, "\n", '"')) else c
    text = "\r\n".join(sep.join(cell(c) for c in row) for row in RECORDS) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _read(plan):
    return [(m.title, [(u.name, u.role) for u in m.units], m.deadline) for m in plan.measures]


@pytest.mark.parametrize("name, sep, encoding", [("plan.csv", ",", "utf-8-sig"), ("plan.csv", ";", "gb18030"),
                                                 ("plan.tsv", "\t", "utf-8"), ("plan.csv", "\t", "utf-16")],
                         ids=["excel-utf8-bom", "semicolon-gbk", "tsv", "tab-utf16"])
def test_a_saved_sheet_reads_as_its_table(tmp_path, name, sep, encoding):
    plan = api.parse(_write(tmp_path / name, sep, encoding))
    assert _read(plan) == EXPECTED
    assert [m.id for m in plan.measures] == ["m1", "m2"]


def test_the_separator_is_the_one_that_parts_records_evenly():
    assert delimiter_of('a,b;c\n"1,2";x;y\n', ".csv") == ";"
    assert delimiter_of("a,b,c\n1,2,3\n", ".csv") == ","
    assert delimiter_of("a,b\tc\n", ".tsv") == "\t"
    assert delimiter_of("一行文字\n", ".csv") == ","


def test_a_folder_of_csv_plans_goes_into_a_corpus(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    _write(folder / "plan.csv", ",", "utf-8-sig")
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", str(folder), "--store", f"oxigraph:{store}"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["workload", "--store", f"oxigraph:{store}", "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.lstrip("\ufeff").splitlines()
    assert lines[0] == "方案：plan"  # a saved sheet has no title line: the file names the plan
    assert lines[2:] == ["市民政局,政府部门,1,1,0,0,1", "市教育局,政府部门,1,0,1,0,0.3333", "市科协,群团组织,1,1,0,0,0.3333",
                         "市科技局,政府部门,1,0,1,0,0.3333"]


def test_extract_a_csv_as_a_command(tmp_path):
    path = _write(tmp_path / "plan.csv", ",", "utf-8-sig")
    done = subprocess.run([sys.executable, "-m", "kepugraph", "extract", str(path)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"name": "市科技局"' in done.stdout and '"deadline": "2024年12月"' in done.stdout
