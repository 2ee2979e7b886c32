"""The 任务分工表 in every form it comes in: the same table (written here, not copied) as a
Word file with merged cells, a web page with rowspan/colspan, an Excel sheet with merged
ranges, text with | or tabs, and text with one cell per line; all give the same measures.
Tables that are not task tables give no measure and one warning."""

import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from kepugraph.extraction.parser import parse_file, parse_text
from kepugraph.reading.source import read_source

HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "责任领导", "完成时限"]
SECTION_1, SECTION_2 = "一、优化营商环境", "二、推进科学普及"
ROWS = [  # the lead of rows 1 and 2 is one merged cell in the office formats
    ["1", "推行企业开办全程网上办理，压缩办理时间至1个工作日以内。", "市行政审批局", "市市场监管局、市税务局", "张三",
     "2025年6月底前"],
    ["2", "深化工程建设项目审批制度改革，实现审批事项清单化管理。", "市行政审批局", "市住建局", "李四", "2025年12月底前"],
    ["3", "每年举办科普讲座不少于50场，覆盖全市中小学校。", "市科协", "市教育局\n市科技局", "王五", "长期坚持"],
]
EXPECTED = [
    ("推行企业开办全程网上办理", [("市行政审批局", "lead"), ("市市场监管局", "support"), ("市税务局", "support")],
     "2025年6月底前", [SECTION_1]),
    ("深化工程建设项目审批制度改革", [("市行政审批局", "lead"), ("市住建局", "support")], "2025年12月底前", [SECTION_1]),
    ("每年举办科普讲座不少于50场", [("市科协", "lead"), ("市教育局", "support"), ("市科技局", "support")],
     "长期坚持", [SECTION_2]),
]
TITLE = "关于印发市营商环境和科普工作任务分工方案的通知"


def measures(plan):
    return [(m.title.split("，")[0], [(u.name, u.role) for u in m.units], m.deadline, m.path) for m in plan.measures]


def write_docx(path):
    d = Document()
    d.add_paragraph(TITLE)
    t = d.add_table(rows=len(ROWS) + 3, cols=len(HEADER))
    grid = [HEADER, [SECTION_1] + [""] * 5, ROWS[0], ROWS[1], [SECTION_2] + [""] * 5, ROWS[2]]
    t = d.tables[0]
    t.add_row()
    for r, values in enumerate(grid):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    t.cell(1, 0).merge(t.cell(1, 5))  # section rows: one cell across
    t.cell(4, 0).merge(t.cell(4, 5))
    t.cell(2, 2).merge(t.cell(3, 2))  # the lead of rows 1-2: one cell down
    t.cell(2, 2).text = "市行政审批局"
    d.save(path)


def write_html(path):
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    r1, r2, r3 = ROWS

    def cells(row, skip=()):
        return "".join(f"<td>{v.replace(chr(10), '<br>')}</td>" for i, v in enumerate(row) if i not in skip)
    body = (f"<tr>{head}</tr><tr><td colspan='6'>{SECTION_1}</td></tr>"
            f"<tr>{cells(r1[:2])}<td rowspan='2'>{r1[2]}</td>{cells(r1[3:])}</tr>"
            f"<tr>{cells(r2, skip=(2,))}</tr><tr><td colspan='6'>{SECTION_2}</td></tr><tr>{cells(r3)}</tr>")
    page = (f"<html><head><meta charset='utf-8'><title>t</title></head><body><div class='nav'>首页 | 政务公开</div>"
            f"<div class='content'><p>{TITLE}</p><table border='1'>{body}</table></div></body></html>")
    path.write_text(page, encoding="utf-8")


def write_xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append([TITLE])
    ws.append(HEADER)
    ws.append([SECTION_1])
    ws.merge_cells("A3:F3")
    ws.append([int(ROWS[0][0])] + ROWS[0][1:])
    ws.append([int(ROWS[1][0]), ROWS[1][1], None] + ROWS[1][3:])
    ws.merge_cells("C4:C5")
    ws.append([SECTION_2])
    ws.merge_cells("A6:F6")
    ws.append([int(ROWS[2][0])] + ROWS[2][1:])
    wb.save(path)


def text_rows(sep, end=""):
    lines = [TITLE, sep.join(HEADER) + end, SECTION_1]
    for row in ROWS[:2]:
        lines.append(sep.join(v.replace("\n", " ") for v in row) + end)
    lines.append(SECTION_2)
    lines.append(sep.join(v.replace("\n", " ") for v in ROWS[2]) + end)
    return "\n".join(lines) + "\n"


def stacked():
    lines = [TITLE, ""] + [h + "\n" for h in HEADER] + [SECTION_1 + "\n"]
    for row in ROWS[:2]:
        lines += [v + "\n" for v in row]
    lines += [SECTION_2 + "\n"] + [v + "\n" for v in ROWS[2]]
    return "\n".join(lines)


@pytest.mark.parametrize("form", ["docx", "html", "xlsx", "pipe", "tab", "stacked"])
def test_every_form_gives_the_same_measures(tmp_path, form):
    if form in ("docx", "html", "xlsx"):
        path = tmp_path / f"plan.{form}"
        {"docx": write_docx, "html": write_html, "xlsx": write_xlsx}[form](path)
    else:
        path = tmp_path / "plan.txt"
        path.write_text({"pipe": text_rows(" | ", " |"), "tab": text_rows("\t"), "stacked": stacked()}[form],
                        encoding="utf-8")
    plan = parse_file(path)
    assert measures(plan) == EXPECTED
    assert [(t.value, t.unit, t.comparator, t.period) for t in plan.measures[2].targets] == [(50.0, "场", ">=", "每年")]
    assert plan.warnings == []


def test_the_docx_table_is_written_as_rows(tmp_path):
    write_docx(tmp_path / "p.docx")
    lines = read_source(tmp_path / "p.docx").text.splitlines()
    assert lines[1:4] == ["序号 | 重点任务 | 牵头单位 | 配合单位 | 责任领导 | 完成时限 |", "一、优化营商环境 |  |  |  |  |  |",
                          "1 | 推行企业开办全程网上办理，压缩办理时间至1个工作日以内。 | 市行政审批局 | 市市场监管局、市税务局 | 张三 | "
                          "2025年6月底前 |"]
    assert lines[4].split(" | ")[2] == "市行政审批局"  # the merged lead, repeated in the row below


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_doc_round_trips_through_libreoffice(tmp_path):
    # the page with its merged cells, saved by LibreOffice as Word 97 (LibreOffice 7.4 drops the
    # tables of a python-docx file written straight to .doc, so the .doc is made from the page)
    write_html(tmp_path / "plan.html")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--infilter=HTML (StarWriter)", "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path),
                           str(tmp_path / "plan.html")], capture_output=True, timeout=180)
    assert done.returncode == 0 and (tmp_path / "plan.doc").is_file(), done.stderr
    assert measures(parse_file(tmp_path / "plan.doc")) == EXPECTED
    assert read_source(tmp_path / "plan.doc").encoding == "doc→docx"


def test_doc_without_libreoffice_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    path = tmp_path / "plan.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(Exception) as err:
        read_source(path)
    assert str(err.value) == f"{path}: a WPS Writer file: install LibreOffice (soffice) to read it, or save it as .docx"


@pytest.mark.parametrize("header, rows, reason", [
    ("序号 | 指标 | 目标值 | 评分部门 |", ["1 | 地区生产总值增速 | 6% | 市发改委 |", "2 | 研发投入强度 | 0.0038 | 市科技局 |"],
     "no task column (重点任务, 工作内容 …)"),
    ("序号 | 项目名称 | 金额(万元) | 资金来源 |", ["1 | 科普场馆运行 | 120 | 市财政 |", "2 | 科普讲座 | 30 | 自筹 |"],
     "no column of responsible units (牵头单位, 责任单位 …)"),
    ("序号 | 单位 | 联系人 | 电话 |", ["1 | 市科协 | 张三 | 12345678 |", "2 | 市教育局 | 李四 | 87654321 |"],
     "no task column (重点任务, 工作内容 …)"),
], ids=["indicators", "budget", "contacts"])
def test_tables_that_are_not_task_tables(header, rows, reason):
    plan = parse_text("\n".join(["附件", header, *rows]) + "\n")
    assert plan.measures == []
    assert [(w.line, w.message) for w in plan.warnings] == [(2, f"table skipped: {reason}")]


@pytest.mark.parametrize("header", ["序号 | 任务名称 | 承担", "序号 | 任务名称 | who", "序号 | 惠民事项 | 责任单位 | 完成时限"],
                         ids=["unknown-units-header", "foreign-units-header", "unknown-task-header"])
def test_a_header_that_names_some_columns_leaves_the_others_to_their_cells(header):
    """The header confirms, it never vetoes: a column it does not name is typed by its cells."""
    wide = header.count("|") == 3
    rows = ["1 | 新建城乡公益性公墓5处，完成农村公墓规范化整治 | 市民政局" + (" | 2023年12月底前" if wide else ""),
            "2 | 改造老旧小区30个，惠及居民4000户 | 市住建局、市财政局" + (" | 2023年10月底前" if wide else "")]
    plan = parse_text("\n".join(["某市2023年民生实事分工方案", header, *rows]) + "\n")
    assert [(m.title, [u.name for u in m.units], m.deadline) for m in plan.measures] == [
        ("新建城乡公益性公墓5处，完成农村公墓规范化整治", ["市民政局"], "2023年12月底前" if wide else None),
        ("改造老旧小区30个，惠及居民4000户", ["市住建局", "市财政局"], "2023年10月底前" if wide else None)]
    assert plan.warnings == []


@pytest.mark.parametrize("rule", ["|---|---|---|---|", "| :--: | --- | ---: | - |"], ids=["plain", "aligned"])
def test_a_markdown_rule_under_the_header_is_no_row(rule):
    plan = parse_text("\n".join(["某市科普重点任务分工表", "| 序号 | 工作任务 | 牵头单位 | 完成时限 |", rule,
                                 "| 1 | 开展全国科普日活动，举办科普讲座20场 | 市科协 | 2024年9月 |",
                                 "| 2 | 开展青少年科技创新大赛 | 市教育局 | 2024年6月 |"]) + "\n")
    assert [(m.id, m.title, [(u.name, u.role) for u in m.units], m.deadline) for m in plan.measures] == [
        ("m1", "开展全国科普日活动，举办科普讲座20场", [("市科协", "lead")], "2024年9月"),
        ("m2", "开展青少年科技创新大赛", [("市教育局", "lead")], "2024年6月")]


def test_deadlines_and_targets_from_their_columns_reach_the_matrix(tmp_path):
    from kepugraph import api
    from kepugraph.outputs.sheets import write_matrix
    from kepugraph.rdf import measure_rows, plan_to_graph

    path = tmp_path / "plan.txt"
    path.write_text("\n".join([TITLE, "序号 | 重点任务 | 牵头单位 | 完成时限 | 目标值 |",
                               "1 | 开展科普进校园活动。 | 市科协 | 2025年底前 | 不少于100场 |"]) + "\n", encoding="utf-8")
    plan = api.parse(path)
    m = plan.measures[0]
    assert (m.deadline, [(t.value, t.unit, t.comparator) for t in m.targets]) == ("2025年底前", [(100.0, "场", ">=")])
    rows = measure_rows(plan_to_graph(plan))
    write_matrix(rows, tmp_path / "m.xlsx")
    sheet = load_workbook(tmp_path / "m.xlsx")["任务分工表"]
    assert sheet["A1"].value == "任务分工表"  # no plan metadata given: no line under the title
    header = [c.value for c in sheet[2]]
    values = dict(zip(header, [c.value for c in sheet[3]]))
    assert values["完成时限"] == "2025年底前" and values["量化目标"] == "不少于100场"


def _two_row_header_docx(path):
    doc = Document()
    doc.add_paragraph("某区2024年重点任务分工表")
    table = doc.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    rows = [["序号", "重点任务", "责任单位", "", "完成时限"], ["", "", "牵头单位", "配合单位", ""],
            ["1", "开展科技活动周", "区科协", "区教育局、区文旅局", "2024年5月"],
            ["2", "建设科普基地", "区科学技术局", "区科协", "2024年底"]]
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    for col in (0, 1, 4):
        table.cell(0, col).merge(table.cell(1, col)).text = rows[0][col]
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    doc.save(path)


def _two_row_header_xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["某区2024年重点任务分工表"])
    ws.append(["序号", "重点任务", "责任单位", None, "完成时限"])
    ws.append([None, None, "牵头单位", "配合单位", None])
    ws.append([1, "开展科技活动周", "区科协", "区教育局、区文旅局", "2024年5月"])
    ws.append([2, "建设科普基地", "区科学技术局", "区科协", "2024年底"])
    for cells in ("A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3"):
        ws.merge_cells(cells)
    wb.save(path)


@pytest.mark.parametrize("kind", ["html", "docx", "xlsx", "txt"])
def test_a_header_in_two_rows(tmp_path, kind):
    """责任单位 over 牵头单位 | 配合单位: the second row names the columns, and is no task."""
    path = tmp_path / f"plan.{kind}"
    if kind == "html":
        path.write_text("""<html><body><p>某区2024年重点任务分工表</p><table border=1>
        <tr><td rowspan=2>序号</td><td rowspan=2>重点任务</td><td colspan=2>责任单位</td><td rowspan=2>完成时限</td></tr>
        <tr><td>牵头单位</td><td>配合单位</td></tr>
        <tr><td>1</td><td>开展科技活动周</td><td>区科协</td><td>区教育局、区文旅局</td><td>2024年5月</td></tr>
        <tr><td>2</td><td>建设科普基地</td><td>区科学技术局</td><td>区科协</td><td>2024年底</td></tr></table></body></html>""",
                        encoding="utf-8")
    elif kind == "docx":
        _two_row_header_docx(path)
    elif kind == "xlsx":
        _two_row_header_xlsx(path)
    else:
        path.write_text("某区2024年重点任务分工表\n序号 | 重点任务 | 责任单位 |  | 完成时限 |\n |  | 牵头单位 | 配合单位 |  |\n"
                        "1 | 开展科技活动周 | 区科协 | 区教育局、区文旅局 | 2024年5月 |\n"
                        "2 | 建设科普基地 | 区科学技术局 | 区科协 | 2024年底 |\n", encoding="utf-8")
    plan = parse_file(path)
    assert [(m.title, [(u.name, u.role) for u in m.units], m.deadline) for m in plan.measures] == [
        ("开展科技活动周", [("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")], "2024年5月"),
        ("建设科普基地", [("区科学技术局", "lead"), ("区科协", "support")], "2024年底")]
    assert plan.warnings == []


def test_a_unit_cell_that_says_the_roles_itself(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("某区2024年重点任务分工表\n序号 | 重点任务 | 责任单位 | 完成时限 |\n"
                    "1 | 开展科技活动周 | 牵头：区科协；配合：区教育局、区文旅局 | 2024年5月 |\n"
                    "2 | 建设科普基地 | 区科学技术局（牵头）、区科协 | 2024年底 |\n"
                    "3 | 培训科普志愿者 | 牵头单位：团区委 配合单位：区科协 | 2024年底 |\n"
                    "4 | 举办科普讲座 | 区科协牵头，区卫健委配合 | 全年 |\n"
                    "5 | 开展科普日活动 | 区科协、区科学技术局 | 9月 |\n", encoding="utf-8")
    plan = parse_file(path)
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [
        [("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")],
        [("区科学技术局", "lead"), ("区科协", "support")],
        [("团区委", "lead"), ("区科协", "support")],
        [("区科协", "lead"), ("区卫健委", "support")],
        [("区科协", "joint"), ("区科学技术局", "joint")]]  # no role said: the column's
    assert plan.warnings == []


def test_a_category_column_over_the_tasks(tmp_path):
    """主要任务 merged over its rows, 具体措施 beside it: each row's title is its own measure."""
    path = tmp_path / "plan.html"
    path.write_text("""<html><body><p>某区2024年科普工作任务分解表</p><table border=1>
    <tr><td>序号</td><td>主要任务</td><td>具体措施</td><td>牵头单位</td><td>配合单位</td></tr>
    <tr><td rowspan=2>1</td><td rowspan=2>提升青少年科学素质</td><td>开展科技活动进校园</td><td>区教育局</td><td>区科协</td></tr>
    <tr><td>举办青少年科技创新大赛</td><td>区科协</td><td>区教育局</td></tr>
    <tr><td>2</td><td>提升农民科学素质</td><td>开展农业技术培训</td><td>区农业农村局</td><td>区科协</td></tr>
    </table></body></html>""", encoding="utf-8")
    plan = parse_file(path)
    assert [(m.title, [u.name for u in m.units]) for m in plan.measures] == [
        ("开展科技活动进校园", ["区教育局", "区科协"]), ("举办青少年科技创新大赛", ["区科协", "区教育局"]),
        ("开展农业技术培训", ["区农业农村局", "区科协"])]


def _roles(measures_of):
    measures = getattr(measures_of, "measures", measures_of)
    return [[(u.name, u.role) for u in m.units] for m in measures]


def test_one_cell_per_line_with_header_cells_broken_over_lines():
    """Header cells broken over lines (资金 / 来源, 责任 / 单位), an amount column whose numbers
    are not row numbers, and a row whose name cell is broken over two lines."""
    text = ("附件\n\n序号\n\n项目名称\n\n建设内容\n\n建设起\n止年限\n\n总投资\n(万元)\n\n资金\n\n来源\n\n责任\n\n单位\n\n"
            "1\n\n城区绿道\n\n改造工程\n\n新建绿道12公里，改造沿线公园3处。\n\n2024.01-2024.12\n\n800\n\n政府投资\n\n住建局\n\n"
            "2\n\n乡村学校提升工程\n\n改造乡村小学5所，新增学位600个。\n\n2024.03-2024.10\n\n1500\n\n政府投资\n\n教育局\n")
    plan = parse_text(text)
    assert [m.text for m in plan.measures] == ["城区绿道改造工程新建绿道12公里，改造沿线公园3处。",
                                               "乡村学校提升工程改造乡村小学5所，新增学位600个。"]
    assert _roles(plan) == [[("住建局", "joint")], [("教育局", "joint")]]
    assert plan.warnings == []


def test_a_unit_column_beside_a_support_column_leads_and_a_cut_row_gives_no_unit():
    text = ("序号 | 实事项目 | 工作举措 | 责任单位 | 协助单位 |\n"
            "1 | 新建公园3个。 | 1.6月底前开工。2.12月底前建成。 | 城管局 | 财政局、规划分局,各街道 |\n"
            "2 | 新增托位200个。 | 1.9月底前完成。 |\n")
    plan = parse_text(text)
    assert [m.text for m in plan.measures] == ["新建公园3个。1.6月底前开工。2.12月底前建成。"]
    assert _roles(plan) == [[("城管局", "lead"), ("财政局", "support"), ("规划分局", "support"), ("各街道", "support")]]


def test_a_table_row_naming_only_a_vague_reference_is_a_measure_nobody_owns():
    text = "重点任务 | 工作内容 | 责任科室 |\n政策解读 | 对新出台的政策进行解读。 | 各业务科室 |\n信息发布 | 及时发布预决算信息。 | 有关科室 |\n"
    plan = parse_text(text)
    assert [(m.title, m.text, _roles([m])[0], m.generic_refs) for m in plan.measures] == [
        ("政策解读", "政策解读对新出台的政策进行解读。", [("各业务科室", "joint")], []),
        ("信息发布", "信息发布及时发布预决算信息。", [], ["有关科室"])]
    assert plan.warnings == []


def test_a_merged_lead_column_before_the_project_holds_for_its_sub_rows():
    """A web page's table as text, one cell per line ending in ' |', a line of pipes closing
    each row: the 牵头单位 column stands before the project and is printed once per group,
    sub-projects (1. 2.) sit under a parent project cell, and the owner column supports the lead."""
    text = "\n".join([
        "序号 |", "牵头单位 |", "项目数量 |", "项目名称 |", "业主单位 |", "进展情况 |", "||",
        "一 |", "市甲局 |", "项目(2个) |", "(一)道路畅通工程 |", "1.东环路 |", "市城投 |", "已完工 |", "|",
        "2.西环路 |", "市乙局 |", "在建 |", "||",
        "二 |", "市丙局 |", "项目(1个) |", "(一)公园提升项目 |", "市丙局 市水投 |", "已完工 |", "||",
        "三 |", "市丁局 |", "项目(1个) |", "(一)学校建设项目 |", "1.第一小学 |", "市丁局(市国资公司代建) |", "在建 |", "||",
        "2.第二小学 |", "甲房地产有限公司(开发商配建学校项目) |", "在建 |", "||",
    ])
    plan = parse_text(text)
    assert [m.text for m in plan.measures] == ["1.东环路", "2.西环路", "(一)公园提升项目", "1.第一小学", "2.第二小学"]
    # a merged lead comes after the row's own units: the row's annotation does not name it
    assert _roles(plan) == [
        [("市甲局", "lead"), ("市城投", "support")], [("市乙局", "support"), ("市甲局", "lead")],
        [("市丙局", "lead"), ("市水投", "support")], [("市丁局", "lead"), ("市国资公司", "support")],
        [("甲房地产有限公司", "support"), ("市丁局", "lead")]]
    assert [m.annotation for m in plan.measures][1] == "市乙局"
    assert [m.path for m in plan.measures] == [["(一)道路畅通工程"], ["(一)道路畅通工程"], [], ["(一)学校建设项目"],
                                               ["(一)学校建设项目"]]
    assert plan.warnings == []


@pytest.mark.parametrize("form", ["pipe", "stacked"])
def test_a_header_that_names_nothing_known_is_read_by_what_its_cells_hold(form):
    """栏目1 | 栏目2 …: no header word says which column is the task or the units; the cells do
    (numbers, sentences, dates, unit names), and the header confirms nothing."""
    header = ["栏目1", "栏目2", "栏目3", "栏目4"]
    rows = [["1", "推进老旧小区改造，完成改造小区30个。", "2025年6月底前", "市住建局、市财政局"],
            ["2", "新建城市公园5个，提升绿道20公里。", "2025年12月底前", "市城管局"],
            ["3", "开展全民健身活动不少于100场。", "长期坚持", "市体育局"]]
    if form == "pipe":
        text = "\n".join(" | ".join(r) + " |" for r in [header] + rows)
    else:
        text = "\n\n".join(c for r in [header] + rows for c in r)
    plan = parse_text("附件\n" + text + "\n")
    assert [m.text for m in plan.measures] == [r[1] for r in rows]
    assert _roles(plan) == [[("市住建局", "joint"), ("市财政局", "joint")], [("市城管局", "joint")], [("市体育局", "joint")]]
    assert [m.deadline for m in plan.measures] == ["2025年6月底前", "2025年12月底前", "长期坚持"]
    assert plan.warnings == []


@pytest.mark.parametrize("sep", [" | ", "\t"], ids=["pipe", "tab"])
@pytest.mark.parametrize("task", ["short", "sentence"])
def test_a_table_with_no_header_at_all_is_read_from_its_first_row(sep, task):
    """A page of a table whose header stands on the page before (or a sheet saved without it):
    numbered rows, the columns typed by their cells; the first row is a row, not a header."""
    tasks = (["开展科普进校园活动", "建设科普基地", "举办科技活动周"] if task == "short" else
             ["开展科普进校园活动，每年组织专家讲座不少于50场", "建设科普基地，新建市级基地10个以上", "举办科技活动周，组织活动100场次"])
    rows = [["4", tasks[0], "市教育局", "2024年底"], ["5", tasks[1], "市科协、市财政局", "长期"],
            ["6", tasks[2], "市科技局", "每年5月"]]
    plan = parse_text("\n".join(sep.join(r) for r in rows) + "\n")
    assert [m.text for m in plan.measures] == tasks
    assert _roles(plan) == [[("市教育局", "joint")], [("市科协", "joint"), ("市财政局", "joint")], [("市科技局", "joint")]]
    assert [m.deadline for m in plan.measures] == ["2024年底", "长期", "每年5月"]
    # numbered lines of a sheet of figures hold no task: no table
    assert parse_text("1 | 地区生产总值 | 8.5 | 亿元\n2 | 财政收入 | 1.2 | 亿元\n").measures == []


def test_a_progress_table_run_into_one_paragraph():
    """A table that lost every line and cell break: letter-spaced header words, then each row's
    unit cell (broken by spaces), its numbered tasks, and a person glued to the next column's 1."""
    text = ("现将第一季度落实情况通报如下. 附件 落实情况 承办 单位 任务目标 分管 领导 协办单位 落实情况 "
            "市科 技局 1.建设科技创新平台3个. 2.培育高新技术企业20家. 张明1.已认定平台1个. 2.已完成企业申报. "
            "市教 育局 1.新建中小学2所. 李华1.两所学校已开工. ")
    plan = parse_text(text)
    assert [m.text for m in plan.measures] == ["1.建设科技创新平台3个. 2.培育高新技术企业20家.", "1.新建中小学2所."]
    assert _roles(plan) == [[("市科技局", "lead")], [("市教育局", "lead")]]
    assert [m.annotation for m in plan.measures] == ["市科 技局", "市教 育局"]


def test_the_title_of_a_sheet_is_its_merged_title_cell(tmp_path):
    """An Excel plan: the sheet's name, then a title merged over the row, then the table. The
    title is the merged cell's text: no sheet name, no ' | ', no empty cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分工"
    title = "甲区2024年科普工作任务分工方案"
    sheet.append([title, None, None, None])
    sheet.merge_cells("A1:D1")
    sheet.append(["序号", "重点任务", "牵头单位", "配合单位"])
    sheet.append(["1", "建设科普示范社区3个，配备科普宣传栏。", "区科协", "区民政局"])
    book.save(tmp_path / "plan.xlsx")
    plan = parse_file(tmp_path / "plan.xlsx")
    assert plan.meta.title == title
    assert [(m.text, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("建设科普示范社区3个，配备科普宣传栏。", [("区科协", "lead"), ("区民政局", "support")])]

    document = Document()
    document.add_paragraph(title)
    table = document.add_table(rows=2, cols=4)
    for col, value in enumerate(["序号", "重点任务", "牵头单位", "配合单位"]):
        table.cell(0, col).text = value
    for col, value in enumerate(["1", "建设科普示范社区3个，配备科普宣传栏。", "区科协", "区民政局"]):
        table.cell(1, col).text = value
    document.save(tmp_path / "plan.docx")
    assert parse_file(tmp_path / "plan.docx").meta.title == title


def test_a_table_cut_by_a_page_break_repeats_its_header():
    """The header again after a page's number (— 2 —) is no row: four rows, lines as in the file."""
    plan = parse_text("任务分解表\n序号 | 任务内容 | 责任单位 | 完成时间\n1 | 完善科普设施 | 县科协 | 2024年6月\n"
                      "2 | 开展科普讲座 | 县卫健局 | 2024年8月\n— 2 —\n序号 | 任务内容 | 责任单位 | 完成时间\n"
                      "3 | 组织科普大篷车巡展 | 县科协、县教育局 | 2024年9月\n4 | 举办青少年科技创新大赛 | 县教育局 | 2024年11月\n")
    assert [(m.title, m.line, [u.name for u in m.units], m.deadline) for m in plan.measures] == [
        ("完善科普设施", 3, ["县科协"], "2024年6月"), ("开展科普讲座", 4, ["县卫健局"], "2024年8月"),
        ("组织科普大篷车巡展", 7, ["县科协", "县教育局"], "2024年9月"),
        ("举办青少年科技创新大赛", 8, ["县教育局"], "2024年11月")]


def test_a_word_table_whose_last_header_cell_spans_the_roles_below(tmp_path):
    """责任单位 merged over 牵头 | 配合, the last columns: the header row ends '| |' and its rows do
    not (they are not rows closed by '||'); three measures with their roles."""
    path = tmp_path / "plan.docx"
    doc = Document()
    doc.add_paragraph("某县科普工作任务分工表")
    table = doc.add_table(rows=5, cols=4)
    rows = [["序号", "工作任务", "责任单位", ""], ["", "", "牵头", "配合"], ["1", "开展科普日活动", "县科协", "县教育局、县科技局"],
            ["2", "建设科普基地", "县科技局", "县文旅局"], ["3", "科普培训", "县科协", "县人社局"]]
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    for col in (0, 1):
        table.cell(0, col).merge(table.cell(1, col)).text = rows[0][col]
    doc.save(path)
    plan = parse_file(path)
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展科普日活动", [("县科协", "lead"), ("县教育局", "support"), ("县科技局", "support")]),
        ("建设科普基地", [("县科技局", "lead"), ("县文旅局", "support")]),
        ("科普培训", [("县科协", "lead"), ("县人社局", "support")])]


def test_a_table_whose_columns_are_parted_by_runs_of_spaces():
    """Runs of spaces between short cells, on every line, are a table's columns, not the
    paragraph indentation of a page that lost its line breaks: three rows with both roles."""
    plan = parse_text("序号  工作任务            牵头单位    配合单位\n1     开展科普日活动      市科协      市教育局\n"
                      "2     建设科普基地        市科技局    市文旅局\n3     科普人才培训        市科协      市人社局\n")
    assert [(m.title, m.line, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展科普日活动", 2, [("市科协", "lead"), ("市教育局", "support")]),
        ("建设科普基地", 3, [("市科技局", "lead"), ("市文旅局", "support")]),
        ("科普人才培训", 4, [("市科协", "lead"), ("市人社局", "support")])]
