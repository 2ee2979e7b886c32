"""Follow-up (督办) over two rounds: progress sheets sent to the units of a real plan with a
完成时限 column (dev excerpt 121, 徐庄镇2017年度安全生产专项整治工作计划), returned by five
of them — one late, one never, one re-saved by LibreOffice, one as .docx — read back into
the graph; the counts, the overdue list and the units that did not report, exactly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kepugraph import api
from kepugraph.cli import main
from kepugraph.errors import SheetError, SourceError
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.shapes import validate

PLAN = Path(__file__).parent / "data" / "dev" / "121.txt"
TODAY = "2017-07-29"
HEAD = 3
R1, R2 = "2017年6月", "2017年7月"
ORDER = ["安监站", "安监所", "电管所", "民政所", "城建办", "文化站", "卫生院", "工商质监所", "派出所", "生态办", "林站",
         "超限站", "公路站", "交警六中队"]


def fill_xlsx(path: Path, answers: dict[str, dict[str, str]]) -> Path:
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[HEAD]]
    for row in ws.iter_rows(min_row=HEAD + 1):
        for column, value in answers.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    wb.save(path)
    return path


def fill_docx(path: Path, answers: dict[str, dict[str, str]]) -> Path:
    doc = Document(path)
    [table] = doc.tables
    header = [c.text for c in table.rows[0].cells]
    for row in table.rows[1:]:
        for column, value in answers.get(row.cells[0].text, {}).items():
            row.cells[header.index(column)].text = value
    doc.save(path)
    return path


def resave_with_libreoffice(path: Path, work: Path) -> Path:
    out = work / "resaved"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
                           "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return out / path.name


def sheets(graph: Path, folder: Path, round_: str, fmt: str = "xlsx") -> dict[str, Path]:
    written = api.progress_sheets(api.Source(graph), folder, round_, fmt=fmt)
    return {p.name.removesuffix(f"任务进展表.{fmt}"): p for p in written}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """The graph after two rounds, and the files each round returned."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed here")
    work = tmp_path_factory.mktemp("ledger")
    graph = api.build(PLAN, work / "graph").path
    one = sheets(graph, work / "r1", R1)
    round1 = [
        fill_xlsx(one["安监站"], {"m1": {"进展状态": "已完成", "完成日期": "2017年1月25日", "报送日期": "2017年6月5日",
                                        "联系人": "王强 6011"},
                                 "m2": {"进展状态": "已完成", "完成日期": "2017.2.27"},
                                 "m7": {"进展状态": "未启动"}}),
        fill_xlsx(one["文化站"], {"m6": {"进展状态": "推进中", "进展情况": "已检查卫生院2家", "报送日期": "2017-06-06"},
                                 "m8": {"进展状态": "未启动"}, "m10": {"进展状态": "未启动"}}),
        fill_xlsx(one["工商质监所"], {"m7": {"进展状态": "未启动", "报送日期": "6月7日"}, "m8": {"进展状态": "未启动"}}),
        fill_xlsx(one["民政所"], {"m4": {"进展状态": "推进中", "进展情况": "正在排查", "报送日期": "2017.6.8"}}),
    ]  # 城建办 returns nothing, in either round
    two = sheets(graph, work / "r2", R2)
    two_docx = sheets(graph, work / "r2docx", R2, fmt="docx")
    culture = fill_xlsx(two["文化站"], {"m6": {"进展状态": "已完成", "完成日期": "2017年6月28日", "报送日期": "2017年7月26日"},
                                       "m8": {"进展状态": "推进中"}, "m10": {"进展状态": "推进中"}})
    round2 = [
        fill_xlsx(two["安监站"], {"m7": {"进展状态": "推进中", "进展情况": "已排查特种设备12台", "报送日期": "7月25日"}}),
        resave_with_libreoffice(culture, work),
        fill_docx(two_docx["工商质监所"], {"m7": {"进展状态": "推进中", "报送日期": "2017年7月27日"},
                                          "m8": {"进展状态": "推进中"}}),
        fill_xlsx(two["民政所"], {"m4": {"进展状态": "滞后", "进展情况": "资金未到位", "报送日期": "2017年7月28日"}}),
    ]
    today = dt.date.fromisoformat(TODAY)
    first = api.import_progress(round1, graph=graph, today=today)
    second = api.import_progress(round2, graph=graph, today=today)
    return graph, round1, round2, first, second


def state(graph):
    return api.follow_up(api.Source(graph), today=dt.date.fromisoformat(TODAY))


def test_each_round_adds_its_reports(ledger):
    graph, _, _, first, second = ledger
    assert (first.files, first.sheets, first.reports, first.new) == (4, 4, 9, 9)
    assert (second.files, second.sheets, second.reports, second.new) == (4, 4, 7, 7)
    g = api.load(graph)
    assert len(set(g.subjects(RDF.type, KP.ProgressReport))) == 16  # the first round is kept
    assert validate(g) == []


def test_counts_per_unit_most_overdue_first(ledger):
    p = state(ledger[0])
    assert p.round == R2 and p.rounds == [R1, R2]
    got = [(u.unit, u.tasks, u.done, u.in_progress, u.not_started, u.behind, u.overdue, u.due_soon, u.not_reported)
           for u in p.units]
    assert got == [
        ("安监所", 2, 0, 0, 0, 0, 2, 0, 2),
        ("民政所", 1, 0, 0, 0, 1, 1, 0, 0),  # late: 4月份 passed, reported 滞后
        ("电管所", 1, 0, 0, 0, 0, 1, 0, 1),
        ("城建办", 1, 0, 0, 0, 0, 1, 0, 1),  # never returned its sheet
        ("卫生院", 1, 0, 0, 0, 0, 1, 0, 1),
        ("派出所", 1, 0, 0, 0, 0, 0, 0, 1),
        ("生态办", 1, 0, 0, 0, 0, 0, 0, 1),
        ("林站", 1, 0, 0, 0, 0, 0, 0, 1),
        ("超限站", 1, 0, 0, 0, 0, 0, 0, 1),
        ("公路站", 1, 0, 0, 0, 0, 0, 0, 1),
        ("交警六中队", 1, 0, 0, 0, 0, 0, 0, 1),
        ("安监站", 3, 2, 1, 0, 0, 0, 1, 0),  # m1, m2 closed in round 1 need no report again
        ("文化站", 3, 1, 2, 0, 0, 0, 0, 0),  # its round-2 sheet went through LibreOffice
        ("工商质监所", 2, 0, 2, 0, 0, 0, 1, 0),  # round 2 came back as .docx
    ]


def test_overdue_due_soon_and_not_reported_lists(ledger):
    p = state(ledger[0])
    assert [(t.id, t.unit, t.due, t.days, t.status) for t in p.overdue] == [
        ("m1", "安监所", "2017-01-31", 179, "未报送"),
        ("m2", "安监所", "2017-02-28", 151, "未报送"),
        ("m3", "电管所", "2017-03-31", 120, "未报送"),
        ("m4", "民政所", "2017-04-30", 90, "滞后"),
        ("m5", "城建办", "2017-05-31", 59, "未报送"),
        ("m6", "卫生院", "2017-06-30", 29, "未报送"),
    ]
    assert [(t.id, t.unit, t.days, t.status) for t in p.due_soon] == [("m7", "安监站", -2, "推进中"),
                                                                     ("m7", "工商质监所", -2, "推进中")]
    assert p.not_reported == ["安监所", "电管所", "城建办", "卫生院", "派出所", "生态办", "林站", "超限站", "公路站",
                              "交警六中队"]
    m6 = next(m for m in p.measures() if m["id"] == "m6")
    assert m6 == {"id": "m6", "title": "医疗机构", "deadline": "6月份", "due": "2017-06-30", "overdue": True,
                  "units": [("文化站", "已完成"), ("卫生院", "未报送")]}
    # the report read from a LibreOffice copy and from a .docx, with their dates read
    latest = {(t.id, t.unit): t.latest for t in p.tasks}
    assert (latest[("m6", "文化站")].completed, latest[("m6", "文化站")].reported) == ("2017-06-28", "2017-07-26")
    assert latest[("m8", "工商质监所")].reported == "2017-07-27"  # the date of the sheet's first filled row
    assert latest[("m1", "安监站")].completed == "2017-01-25" and latest[("m2", "安监站")].completed == "2017-02-27"
    assert latest[("m7", "安监站")].reported == "2017-07-25"  # 7月25日, in the year of --today


def test_an_earlier_round_still_answers_for_its_round(ledger):
    p = api.follow_up(api.Source(ledger[0]), today=dt.date(2017, 6, 10), round_=R1)
    assert p.not_reported == ["安监所", "电管所", "城建办", "卫生院", "派出所", "生态办", "林站", "超限站", "公路站",
                              "交警六中队"]
    assert [(t.id, t.unit) for t in p.overdue] == [("m1", "安监所"), ("m2", "安监所"), ("m3", "电管所"),
                                                 ("m4", "民政所"), ("m5", "城建办")]


def test_importing_the_same_files_again_changes_nothing(ledger, tmp_path):
    graph, round1, round2, *_ = ledger
    before = api.load(graph)
    again = api.import_progress(round1 + round2, graph=graph, today=dt.date.fromisoformat(TODAY))
    assert (again.reports, again.new) == (16, 0)
    assert isomorphic(before, api.load(graph))


def test_a_rebuild_keeps_the_reports(ledger, tmp_path):
    graph = ledger[0]
    copy = tmp_path / graph.name
    shutil.copy(graph, copy)
    api.build(PLAN, tmp_path)
    assert isomorphic(api.load(copy), api.load(graph))


def _bad(ledger, tmp_path, change, unit="安监站") -> str:
    graph = ledger[0]
    path = sheets(graph, tmp_path, R2)[unit]
    wb = load_workbook(path)
    change(wb.active)
    wb.save(path)
    before = api.load(graph)
    with pytest.raises(SheetError) as exc:
        api.import_progress([path], graph=graph, today=dt.date.fromisoformat(TODAY))
    assert isomorphic(before, api.load(graph))  # nothing added
    return str(exc.value).removeprefix(f"{path}: ")


def test_a_locked_cell_edited_is_an_error_naming_file_sheet_and_row(ledger, tmp_path):
    def edit(ws):
        ws["C5"] = "危险化学品（已改）"
        ws["H5"] = "推进中"

    assert _bad(ledger, tmp_path, edit) == "工作表「安监站」第 5 行：“任务及要求”列被改动（该列不可编辑，原为“危险化学品”）"


def test_an_unknown_id_or_another_units_task_is_an_error(ledger, tmp_path):
    assert _bad(ledger, tmp_path, lambda ws: ws.__setitem__("A4", "m99")) == \
        "工作表「安监站」第 4 行：编号 m99 不是方案中的任务"
    assert _bad(ledger, tmp_path, lambda ws: ws.__setitem__("A6", "m3")) == \
        "工作表「安监站」第 6 行：任务 m3 不是安监站的任务（安监站不在其责任单位中）"


def test_a_status_or_a_date_that_cannot_be_read_is_an_error(ledger, tmp_path):
    def status(ws):
        ws["H4"] = "差不多了"

    assert _bad(ledger, tmp_path, status) == \
        "工作表「安监站」第 4 行：进展状态“差不多了”不在列表中（未启动 / 推进中 / 已完成 / 滞后 / 不适用）"

    def date(ws):
        ws["H4"], ws["K4"] = "推进中", "下周"

    assert _bad(ledger, tmp_path, date) == \
        "工作表「安监站」第 4 行：报送日期“下周”不是可读的日期（如 2025年6月30日、2025.6.30）"

    def no_date(ws):
        ws["H4"] = "推进中"

    assert _bad(ledger, tmp_path, no_date) == "工作表「安监站」第 4 行：报送日期为空"


def test_a_sheet_that_is_not_a_progress_sheet_is_refused(ledger, tmp_path):
    assert _bad(ledger, tmp_path, lambda ws: ws.__setitem__("A1", "任务清单")) == \
        "工作表「安监站」第 1 行：标题“任务清单”不是“某单位任务进展表”（不是 kepugraph 发出的进展表）"


def test_the_progress_sheet_locks_all_but_the_input_columns(ledger, tmp_path):
    path = sheets(ledger[0], tmp_path, R2)["安监站"]
    ws = load_workbook(path).active
    assert ws["A1"].value == "安监站任务进展表"
    assert ws["A2"].value.split("\n")[1] == "报送轮次：2017年7月\u3000共 3 项任务：负责 3 项"
    assert [c.value for c in ws[HEAD]] == ["编号", "章节", "任务及要求", "本单位角色", "合作单位（角色）", "量化目标",
                                          "完成时限", "进展状态", "进展情况", "完成日期", "报送日期", "联系人"]
    assert [ws.cell(row=r, column=1).value for r in range(4, 7)] == ["m1", "m2", "m7"]
    assert ws.protection.sheet
    assert [ws.cell(row=4, column=c).protection.locked for c in range(1, 13)] == [True] * 7 + [False] * 5
    [dv] = ws.data_validations.dataValidation
    assert dv.formula1 == '"未启动,推进中,已完成,滞后,不适用"' and str(dv.sqref) == "H4:H6"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4


def test_progress_through_the_cli(ledger, runner):
    graph = str(ledger[0])
    result = runner.invoke(main, ["progress", "--graph", graph, "--today", TODAY, "--view", "overdue", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "方案：徐庄镇2017年度安全生产专项整治工作计划",  # every answer names its plan
        "编号,任务,完成时限,截止日期,逾期天数,单位,角色,最新进展",
        "m1,烟花爆竹,1月份,2017-01-31,179,安监所,负责,未报送",
        "m2,危险化学品,2月份,2017-02-28,151,安监所,负责,未报送",
        "m3,电力设施,3月份,2017-03-31,120,电管所,负责,未报送",
        "m4,养老机构,4月份,2017-04-30,90,民政所,负责,滞后",
        "m5,建筑施工及市政建设,5月份,2017-05-31,59,城建办,负责,未报送",
        "m6,医疗机构,6月份,2017-06-30,29,卫生院,负责,未报送",
    ]
    result = runner.invoke(main, ["progress", "--graph", graph, "--today", TODAY, "--view", "not-reported",
                                  "--format", "csv"])
    assert result.output.splitlines()[1:4] == ["单位,任务数,报送轮次", "安监所,2,2017年7月", "电管所,1,2017年7月"]
    result = runner.invoke(main, ["progress", "--graph", graph, "--today", TODAY, "--format", "docx"])
    assert result.exit_code == 2 and "--format docx writes the notice: give -o FILE.docx" in result.output
    result = runner.invoke(main, ["progress", "--graph", graph, "--today", "29/07/2017"])
    assert result.exit_code == 2 and "'29/07/2017' is not a date like 2025-07-01" in result.output


def test_progress_import_as_a_subprocess(ledger, tmp_path):
    graph, round1, *_ = ledger
    done = subprocess.run([sys.executable, "-m", "kepugraph", "progress", "import", *map(str, round1), "--graph",
                           str(graph), "--today", TODAY], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"4 files, 4 sheets: 9 reports, 0 new → {graph}\n"
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    done = subprocess.run([sys.executable, "-m", "kepugraph", "progress", "import", str(bad), "--graph", str(graph)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == f"Error: {bad}: not a .xlsx file (not a zip archive)\n"


def test_sheets_progress_through_the_cli(runner, tmp_path):
    result = runner.invoke(main, ["sheets", "--progress", "2025年6月", "-o", str(tmp_path), "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "示例方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）；建立自己的方案：kepugraph build 文件",
        f"25 progress sheets for 2025年6月 → {tmp_path}"]
    doc = Document(tmp_path / "区科协任务进展表.docx")
    assert [p.text for p in doc.paragraphs[:1]] == ["区科协任务进展表"]
    assert doc.paragraphs[2].text == "报送轮次：2025年6月\u3000共 27 项任务：牵头 1 项，负责 26 项"
    assert len(doc.tables[0].rows) == 28


def test_the_named_queries_answer_from_the_ledger(ledger, tmp_path):
    from kepugraph import sparql
    from kepugraph import store as stores

    g = api.load(ledger[0])
    oxigraph = stores.OxigraphStore(tmp_path / "ox")
    oxigraph.load_graph(g)
    for store in (stores.MemoryStore(g), oxigraph):
        assert sparql.run_named("overdue", store, today=TODAY).values() == [
            ("m1", "烟花爆竹", "1月份", "2017-01-31", "安监所", "未报送"),
            ("m2", "危险化学品", "2月份", "2017-02-28", "安监所", "未报送"),
            ("m3", "电力设施", "3月份", "2017-03-31", "电管所", "未报送"),
            ("m4", "养老机构", "4月份", "2017-04-30", "民政所", "滞后"),
            ("m5", "建筑施工及市政建设", "5月份", "2017-05-31", "城建办", "未报送"),
            ("m6", "医疗机构", "6月份", "2017-06-30", "卫生院", "未报送"),
        ]
        assert sparql.run_named("not-reported", store, round=R2).values() == [
            ("安监所", 2), ("交警六中队", 1), ("公路站", 1), ("卫生院", 1), ("城建办", 1), ("林站", 1), ("派出所", 1),
            ("生态办", 1), ("电管所", 1), ("超限站", 1)]  # most tasks first, then by code point
        # on its last day m6 is not yet overdue
        assert [r[0] for r in sparql.run_named("overdue", store, today="2017-06-30").values()] == [
            "m1", "m2", "m3", "m4", "m5"]


def test_follow_up_in_the_workspace(runner, tmp_path, monkeypatch):
    """Without --graph: the sheets come from the workspace's plan, the reports go beside it in
    the store, and a rebuild of the plan (which replaces its graph) keeps them."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEPUGRAPH_STORE", raising=False)
    monkeypatch.setattr("kepugraph.store.workspace.DEFAULT_FOLDER", "graph")  # the real default, here
    result = runner.invoke(main, ["progress", "import", str(PLAN)])
    assert result.exit_code == 1
    assert result.output == ("Error: no plan has been built yet: build one with 'kepugraph build FILE', or give "
                             "the graph the sheets belong to with --graph FILE.ttl\n")
    assert runner.invoke(main, ["build", str(PLAN)]).exit_code == 0
    result = runner.invoke(main, ["sheets", "--progress", R2, "-o", "s"])
    assert result.output.splitlines() == ["方案：徐庄镇2017年度安全生产专项整治工作计划", f"14 progress sheets for {R2} → s"]
    returned = [fill_xlsx(tmp_path / "s" / "民政所任务进展表.xlsx", {"m4": {"进展状态": "滞后", "报送日期": "2017年7月28日"}}),
                fill_xlsx(tmp_path / "s" / "安监所任务进展表.xlsx", {"m1": {"进展状态": "已完成", "报送日期": "2017.7.20"},
                                                              "m2": {"进展状态": "推进中"}})]
    result = runner.invoke(main, ["progress", "import", *map(str, returned), "--today", TODAY])
    assert result.output == "2 files, 2 sheets: 3 reports, 3 new → oxigraph:graph/store\n"
    result = runner.invoke(main, ["progress", "import", *map(str, returned), "--today", TODAY])
    assert result.output == "2 files, 2 sheets: 3 reports, 0 new → oxigraph:graph/store\n"
    assert runner.invoke(main, ["build", str(PLAN)]).exit_code == 0  # the plan rebuilt: its reports stay
    result = runner.invoke(main, ["progress", "--today", TODAY, "--view", "overdue", "--format", "csv"])
    assert [line.split(",")[0::5] for line in result.output.splitlines()[2:]] == [
        ["m1", "安监站"], ["m2", "安监站"], ["m2", "安监所"], ["m3", "电管所"], ["m4", "民政所"], ["m5", "城建办"],
        ["m6", "文化站"], ["m6", "卫生院"]]  # m1 done by 安监所 alone: 安监站 still owes it
    result = runner.invoke(main, ["viz", "--follow-up", "--today", TODAY, "-o", "p.html"])
    assert result.exit_code == 0 and "kp-status-legend" in (tmp_path / "p.html").read_text(encoding="utf-8")


def test_a_returned_file_of_another_kind_or_without_a_column_is_refused(ledger, tmp_path):
    graph = ledger[0]
    xls = tmp_path / "安监站任务进展表.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SourceError) as exc:
        api.import_progress([xls], graph=graph)
    assert str(exc.value) == f"{xls}: a returned sheet must be .xlsx or .docx (save a .xls/.et/.doc/.wps as one of them)"
    assert _bad(ledger, tmp_path, lambda ws: ws.delete_cols(12)) == "工作表「安监站」第 3 行：缺少列：联系人"


def test_a_docx_edited_in_its_locked_cells_names_its_table_and_row(ledger, tmp_path):
    graph = ledger[0]
    path = sheets(graph, tmp_path, R2, fmt="docx")["文化站"]
    doc = Document(path)
    row = doc.tables[0].rows[2]  # m8
    row.cells[3].text = "牵头"
    row.cells[7].text = "推进中"
    row.cells[10].text = "2017年7月1日"
    doc.save(path)
    with pytest.raises(SheetError) as exc:
        api.import_progress([path], graph=graph)
    assert str(exc.value) == f"{path}: 工作表「表格1」第 3 行：“本单位角色”列被改动（该列不可编辑，原为“负责”）"
