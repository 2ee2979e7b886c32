"""The files an office prints (issue #17): matrix and task sheets set up for paper, checked
with openpyxl and python-docx, and printed to PDF by LibreOffice, the real client."""

import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from kepugraph.cli import main

PLAN_LINE = "《泰山区全民科学素质行动规划纲要实施方案（2021-2025年）》（泰山政办字〔2022〕7号，2022年5月31日）"
# nothing built here: the sheets come from the bundled plan, and say it is the sample
SAMPLE_PLAN_LINE = f"示例方案 {PLAN_LINE}（建立自己的方案：kepugraph build 文件）"
M16 = ("深入贯彻落实新发展理念。切实找准将新发展理念转化为实践的切入点、结合点和着力点，提高领导干部和公务员科学履职水平，"
       "强化对科学素质建设重要性和紧迫性的认识。")


def _print_setup(ws) -> tuple:
    return (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight,
            ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows, ws.print_area, ws.freeze_panes)


@pytest.fixture(scope="module")
def matrix_book(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("matrix") / "任务分工.xlsx"
    assert CliRunner().invoke(main, ["matrix", "-o", str(out)]).exit_code == 0
    return out


def test_matrix_prints_landscape_one_page_wide_with_its_header_on_every_page(matrix_book):
    wb = load_workbook(matrix_book)
    assert _print_setup(wb["责任矩阵"]) == ("landscape", 9, 1, 0, True, "$3:$3", "'责任矩阵'!$A$1:$AB$34", "D4")
    assert _print_setup(wb["任务分工表"]) == ("landscape", 9, 1, 0, True, "$3:$3", "'任务分工表'!$A$1:$F$34", "A4")


def test_matrix_unit_headers_are_vertical_and_columns_narrow(matrix_book):
    ws = load_workbook(matrix_book)["责任矩阵"]
    units = [c for c in ws[3]][3:]
    assert len(units) == 25 and units[-1].value == "区政府"
    assert {c.alignment.text_rotation for c in units} == {255}
    assert {ws.column_dimensions[c.column_letter].width for c in units} == {4.5}
    # the header is as tall as the longest name stacked a character per line: 区人力资源和社会保障局
    assert ws.row_dimensions[3].height == 16 * 11 + 8
    assert [ws.cell(row=r, column=1).value for r in range(4, 35)] == list(range(1, 32))  # numbers, not text
    assert ws.cell(row=4, column=1).data_type == "n"


def test_division_table_has_the_columns_a_supervision_office_keeps(matrix_book):
    ws = load_workbook(matrix_book)["任务分工表"]
    assert [c.value for c in ws[3]] == ["序号", "任务", "牵头单位", "配合/责任单位", "完成时限", "量化目标"]
    row16 = [c.value for c in ws[19]]
    assert row16 == [16, M16, None, "区委组织部、区委宣传部、区委党校、区人力资源和社会保障局、区科学技术局、区科协", None, None]
    targets = [ws.cell(row=r, column=6).value for r in range(4, 35) if ws.cell(row=r, column=6).value]
    assert targets == ["每年培训科技辅导员不少于50人次", "培育高素质农民3000人次"]


def test_unit_sheet_xlsx_carries_full_texts_and_prints(runner, tmp_path):
    assert runner.invoke(main, ["sheets", "-o", str(tmp_path)]).exit_code == 0
    ws = load_workbook(tmp_path / "区委组织部.xlsx").active
    assert ws.title == "区委组织部"
    assert ws["A1"].value == "区委组织部任务清单"
    assert ws["A2"].value == f"依据：{SAMPLE_PLAN_LINE}　共 3 项任务：负责 3 项"
    assert [c.value for c in ws[4]] == [16, "三、工作重点与分工 > （一）提升行动 > 5.领导干部和公务员科学素质提升行动", M16, "负责",
                                        "区委宣传部（负责）、区委党校（负责）、区人力资源和社会保障局（负责）、区科学技术局（负责）、区科协（负责）",
                                        None, None]
    assert _print_setup(ws) == ("landscape", 9, 1, 0, True, "$3:$3", "'区委组织部'!$A$1:$G$6", "A4")
    assert ws.column_dimensions["C"].width == 70
    assert all(ws.cell(row=r, column=3).alignment.wrap_text for r in range(4, 7))
    # rows are tall enough for their wrapped text: m17's 192 characters in a 70-wide column
    assert ws.row_dimensions[5].height >= 15 * 4


def test_unit_sheet_docx_is_landscape_and_its_table_fits_the_page(runner, tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    assert runner.invoke(main, ["sheets", "-o", str(tmp_path), "--format", "docx"]).exit_code == 0
    doc = Document(tmp_path / "区委组织部.docx")
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    usable = section.page_width - section.left_margin - section.right_margin
    [table] = doc.tables
    widths = [c.width for c in table.rows[0].cells]
    assert sum(widths) <= usable and sum(widths) > 0.98 * usable
    assert max(widths) == widths[2]  # 任务及要求, the widest
    assert [p.text for p in doc.paragraphs[:3]] == ["区委组织部任务清单", f"依据：{SAMPLE_PLAN_LINE}", "共 3 项任务：负责 3 项"]
    assert [c.text for c in table.rows[0].cells] == ["序号", "章节", "任务及要求", "本单位角色", "合作单位（角色）", "量化目标",
                                                     "完成时限"]
    assert table.rows[1].cells[2].text == M16
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_prints_the_matrix_one_page_wide(matrix_book, tmp_path):
    from pypdf import PdfReader

    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(matrix_book)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    pdf = PdfReader(tmp_path / "任务分工.pdf")
    boxes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert boxes == {(842, 595)}  # A4 landscape, every page
    first = pdf.pages[0].extract_text()
    # the last unit column is on the first page: one page wide; the header repeats on page 2
    assert "责任矩阵" in first and "政" in first.split("区科协")[-1]
    assert "序号" in pdf.pages[1].extract_text()
