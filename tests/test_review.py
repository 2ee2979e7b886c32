"""The review workbook: written, corrected in Excel (openpyxl here, LibreOffice once), read
back exactly; every edit changes exactly its own facts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from glob import glob
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Literal, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from kepugraph import api
from kepugraph.cli import main
from kepugraph.errors import ParseError, SheetError
from kepugraph.outputs import review as writer
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.reading import review as reader

DEV = sorted(glob(str(Path(__file__).parent / "data" / "dev" / "*.txt")))
HEAD = 3  # the title, the line under it, then the header row


def _edit(book_path: Path, change) -> Path:
    wb = load_workbook(book_path)
    change(wb[writer.REVIEW_SHEET])
    wb.save(book_path)
    return book_path


def _column(name: str) -> int:
    return writer.REVIEW_HEADER.index(name) + 1


def _diff(g1, g2):
    _, only1, only2 = graph_diff(g1, g2)
    return set(only1), set(only2)


def test_reader_and_writer_agree_on_the_sheet():
    assert (reader.REVIEW_MARK, reader.REVIEW_SHEET, reader.PLAN_SHEET, reader.ROLE_COLUMNS) == (
        writer.REVIEW_MARK, writer.REVIEW_SHEET, writer.PLAN_SHEET, writer.ROLE_COLUMNS)
    assert set(reader.REQUIRED) <= set(writer.REVIEW_HEADER)


@pytest.mark.parametrize("path", [None] + DEV, ids=["sample"] + [Path(p).stem for p in DEV])
def test_build_of_the_review_is_the_plan(path, tmp_path):
    try:
        plan = api.parse(path)
    except ParseError as exc:  # nothing to review: the same error, and no workbook
        with pytest.raises(ParseError) as again:
            api.review(path, tmp_path / "r.xlsx")
        assert str(again.value) == str(exc)
        assert not (tmp_path / "r.xlsx").exists()
        return
    api.review(path, tmp_path / "r.xlsx")
    back = api.parse(tmp_path / "r.xlsx")
    g1, g2 = plan_to_graph(plan), plan_to_graph(back)
    assert isomorphic(g1, g2), _diff(g1, g2)
    assert [m.id for m in back.measures] == [m.id for m in plan.measures]


def test_the_sample_review_sheet_reads_as_an_office_would(tmp_path):
    api.review(None, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["任务审核", "单位", "解析警告", "方案"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "hidden", "visible", "hidden"]
    ws = wb["任务审核"]
    assert [c.value for c in ws[HEAD]] == writer.REVIEW_HEADER
    assert ws.cell(row=HEAD + 1, column=1).value == "m1"
    assert ws.cell(row=HEAD + 4, column=_column("负责单位")).value == "区教育和体育局、区科学技术局、区科协"
    assert ws.cell(row=HEAD + 4, column=_column("量化目标")).value == "每年培训科技辅导员不少于50人次"
    assert ws.cell(row=HEAD + 1, column=_column("章节")).value == "1.青少年科学素质提升行动"
    assert ws.max_row == HEAD + 31 + writer.SPARE_ROWS
    assert ws.protection.sheet and not ws.protection.deleteRows and not ws.protection.insertRows
    assert ws.cell(row=HEAD + 1, column=1).protection.locked
    assert not ws.cell(row=HEAD + 1, column=_column("牵头单位")).protection.locked
    assert ws.column_dimensions["L"].hidden
    [dv] = ws.data_validations.dataValidation
    assert dv.formula1 == "单位!$A$1:$A$25" and not dv.showErrorMessage
    assert str(dv.sqref) == f"E4:E{HEAD + 31 + 100} F4:F134 G4:G134"
    assert wb["方案"]["A1"].value == "kepugraph-review"
    assert "taishan-kepu-plan-2021-2025.txt" in ws["A2"].value


def test_a_unit_moved_from_support_to_lead_changes_that_role_only(tiny_plan, tmp_path):
    book = tmp_path / "r.xlsx"
    api.review(tiny_plan, book)

    def move(ws):
        row = HEAD + 1
        assert ws.cell(row=row, column=_column("配合单位")).value == "区科协、团区委"
        ws.cell(row=row, column=_column("牵头单位")).value = "区教育局、区科协"
        ws.cell(row=row, column=_column("配合单位")).value = "团区委"

    _edit(book, move)
    g1, g2 = plan_to_graph(api.parse(tiny_plan)), plan_to_graph(api.parse(book))
    m = URIRef("https://w3id.org/kepugraph/id/某政办字-2024-3号/measure/1")
    unit = URIRef("https://w3id.org/kepugraph/id/某政办字-2024-3号/unit/区科协")
    a = URIRef(f"{m}/assignment/2")
    assert _diff(g1, g2) == ({(m, KP.supportUnit, unit), (a, KP.role, KP.support)},
                             {(m, KP.leadUnit, unit), (a, KP.role, KP.lead)})


def test_a_deleted_row_removes_that_measure_only(tmp_path):
    book = tmp_path / "r.xlsx"
    api.review(None, book)
    _edit(book, lambda ws: ws.delete_rows(HEAD + 4))  # m4, with its target
    g1, g2 = plan_to_graph(api.parse()), plan_to_graph(api.parse(book))
    m4 = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号/measure/4"
    gone = {t for t in g1 if str(t[0]) == m4 or str(t[0]).startswith(m4 + "/")}
    assert len(gone) == 55  # the measure: 28 (3 role triples per unit), 3 assignments × 6, its target: 9
    assert _diff(g1, g2) == (gone, set())


def test_a_row_added_at_the_end_adds_one_measure(tmp_path):
    book = tmp_path / "r.xlsx"
    api.review(None, book)

    def add(ws):
        row = HEAD + 32
        for column, value in (("任务", "举办科普讲解大赛。"), ("全文", "举办科普讲解大赛。每年举办讲解大赛不少于2场。"),
                              ("牵头单位", "区科协"), ("配合单位", "区融媒体中心、区新闻中心"), ("完成时限", "2025年6月底前"),
                              ("量化目标", "每年举办讲解大赛不少于2场")):
            ws.cell(row=row, column=_column(column)).value = value

    _edit(book, add)
    g1, g2 = plan_to_graph(api.parse()), plan_to_graph(api.parse(book))
    removed, added = _diff(g1, g2)
    assert removed == set()
    p = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号"
    m = URIRef(f"{p}/measure/32")
    section = URIRef(f"{p}/section/4-1")  # the section of the last row above
    assert g1.value(URIRef(f"{p}/measure/31"), KP.section) == section
    new_unit = URIRef(f"{p}/unit/区新闻中心")
    own = {(s, pr, o) for s, pr, o in added if s == m}
    assert own == {
        (m, RDF.type, KP.Measure), (m, KP.inPlan, URIRef(p)), (m, DCTERMS.identifier, Literal("m32")),
        (m, KP.ordinal, Literal(32)), (m, DCTERMS.title, Literal("举办科普讲解大赛。", lang="zh")),
        (m, KP.text, Literal("举办科普讲解大赛。每年举办讲解大赛不少于2场。", lang="zh")),
        (m, KP.annotation, Literal("", lang="zh")), (m, KP.extraction, Literal("review")),
        (m, KP.spanStart, Literal(0)), (m, KP.spanEnd, Literal(0)), (m, KP.line, Literal(0)),
        (m, PROV.wasDerivedFrom, URIRef(p)), (m, KP.section, section), (m, DCTERMS.isPartOf, section),
        (m, KP.deadline, Literal("2025年6月底前", lang="zh")),
        (m, KP.responsibleUnit, URIRef(f"{p}/unit/区科协")), (m, KP.leadUnit, URIRef(f"{p}/unit/区科协")),
        (m, KP.responsibleUnit, URIRef(f"{p}/unit/区融媒体中心")), (m, KP.supportUnit, URIRef(f"{p}/unit/区融媒体中心")),
        (m, KP.responsibleUnit, new_unit), (m, KP.supportUnit, new_unit),
        (m, KP.assignment, URIRef(f"{m}/assignment/1")), (m, KP.assignment, URIRef(f"{m}/assignment/2")),
        (m, KP.assignment, URIRef(f"{m}/assignment/3")), (m, KP.target, URIRef(f"{m}/target/1")),
    }
    target = URIRef(f"{m}/target/1")
    assert g2.value(target, KP.value) == Literal("2.0", datatype=XSD.decimal)
    assert str(g2.value(target, KP.unitOfMeasure)) == "场"
    # beside the measure: its 3 assignments (6 triples each), its target (9), the new unit (7), and
    # the labels of the role 配合, which the sample did not use before (3)
    assert len(added) == len(own) + 18 + 9 + 7 + 3
    assert api.parse(book).measures[-1].units[2].name == "区新闻中心"


def _review_error(tmp_path, change) -> str:
    book = tmp_path / "r.xlsx"
    api.review(None, book)
    _edit(book, change)
    with pytest.raises(SheetError) as exc:
        api.parse(book)
    return str(exc.value)


@pytest.mark.parametrize("column, value, problem", [
    ("编号", "m99", "编号列被改动（原为 m3，现为 m99）；编号列不可编辑"),
    ("原文行", 1, "原文行列被改动（原为 32）；该列不可编辑"),
    ("数据", "{", "“数据”列被改动，无法读取（请勿编辑隐藏列）"),
    ("负责单位", None, "没有责任单位（牵头、配合、负责单位至少填一个）"),
    ("章节", "9.不存在的章节", "章节“9.不存在的章节”不在方案中"),
    ("任务", None, "任务为空（删去任务请删除整行）"),
    ("量化目标", "多多益善", "量化目标“多多益善”中没有可读的数量（如“不少于50人次”）"),
])
def test_a_cell_that_cannot_be_taken_names_file_sheet_and_row(tmp_path, column, value, problem):
    message = _review_error(tmp_path, lambda ws: setattr(ws.cell(row=HEAD + 3, column=_column(column)), "value", value))
    assert message == f"{tmp_path / 'r.xlsx'}: 工作表「任务审核」第 6 行：{problem}"


def test_an_id_typed_into_a_new_row_or_a_copied_row_is_refused(tmp_path):
    def typed(ws):
        ws.cell(row=HEAD + 32, column=1).value = "m40"
        ws.cell(row=HEAD + 32, column=_column("任务")).value = "新任务。"

    assert _review_error(tmp_path, typed).endswith("第 35 行：编号 m40 不是本表的任务（新增任务请把编号留空）")

    def copied(ws):
        for c in range(1, len(writer.REVIEW_HEADER) + 1):
            ws.cell(row=HEAD + 32, column=c).value = ws.cell(row=HEAD + 1, column=c).value

    assert _review_error(tmp_path, copied).endswith("第 35 行：编号 m1 与第 4 行重复")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_a_review_resaved_by_libreoffice_reads_back_the_same(tmp_path):
    api.review(None, tmp_path / "r.xlsx")
    out = tmp_path / "out"
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "xlsx", "--outdir", str(out), str(tmp_path / "r.xlsx")],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    g1, g2 = plan_to_graph(api.parse()), plan_to_graph(api.parse(out / "r.xlsx"))
    assert isomorphic(g1, g2), _diff(g1, g2)


def test_review_and_build_through_the_cli(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEPUGRAPH_STORE", raising=False)
    monkeypatch.setattr("kepugraph.store.workspace.DEFAULT_FOLDER", "graph")  # the real default, here
    from kepugraph.reading.source import BUNDLED_PLAN

    result = runner.invoke(main, ["build", str(BUNDLED_PLAN)])  # the plan, built into the workspace
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["review", str(BUNDLED_PLAN), "-o", "审核表.xlsx"])
    assert result.exit_code == 0, result.output
    assert result.output == "31 measures, 25 units, 0 warnings → 审核表.xlsx\n"
    _edit(tmp_path / "审核表.xlsx", lambda ws: ws.delete_rows(HEAD + 4))  # m4 goes
    result = runner.invoke(main, ["build", "审核表.xlsx"])
    assert result.exit_code == 0, result.output
    # the corrected plan replaces the graph of the plan it came from, and is the same plan in
    # the workspace: one plan, now of 30 measures
    assert result.output.splitlines()[0].startswith("泰山区全民科学素质行动规划纲要实施方案（2021-2025年）: 30 measures, "
                                                    "25 units, ")
    assert result.output.splitlines()[0].endswith(" → graph/taishan-kepu-plan-2021-2025.ttl")
    assert sorted(p.name for p in (tmp_path / "graph").iterdir()) == [
        "store", "taishan-kepu-plan-2021-2025.html", "taishan-kepu-plan-2021-2025.ttl"]
    result = runner.invoke(main, ["plans", "--format", "csv"])
    assert [line.split(",")[:3] for line in result.output.splitlines()] == [
        ["编号", "标题", "任务数"], ["泰山政办字-2022-7号", "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）", "30"]]
    result = runner.invoke(main, ["review", "-o", "x.csv"])
    assert result.exit_code == 2 and "must end in .xlsx" in result.output


def test_review_runs_as_a_subprocess_and_a_bad_row_exits_1(tmp_path):
    book = tmp_path / "r.xlsx"
    done = subprocess.run([sys.executable, "-m", "kepugraph", "review", "-o", str(book)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    _edit(book, lambda ws: setattr(ws.cell(row=HEAD + 2, column=1), "value", "m7"))
    done = subprocess.run([sys.executable, "-m", "kepugraph", "build", str(book), "-o", str(tmp_path / "g")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == f"Error: {book}: 工作表「任务审核」第 5 行：编号列被改动（原为 m2，现为 m7）；编号列不可编辑\n"
    assert not (tmp_path / "g").exists()


def test_a_review_sheet_without_a_column_or_not_a_review_is_refused(tmp_path):
    assert _review_error(tmp_path, lambda ws: ws.delete_cols(_column("负责单位"))) == (
        f"{tmp_path / 'r.xlsx'}: 工作表「任务审核」第 3 行：缺少列：负责单位")
    from openpyxl import Workbook

    from kepugraph.errors import SourceError

    with pytest.raises(SourceError) as exc:
        reader.read_review(tmp_path / "missing.xlsx")
    assert str(exc.value) == f"{tmp_path / 'missing.xlsx'}: no such file"
    Workbook().save(tmp_path / "plain.xlsx")
    with pytest.raises(SourceError) as exc:
        reader.read_review(tmp_path / "plain.xlsx")
    assert str(exc.value) == f"{tmp_path / 'plain.xlsx'}: not a review workbook (write one with 'kepugraph review')"
