"""Each input format and layout, from fixtures made here: exact measures, units and roles."""

import shutil

import pytest
from docx import Document

from kepugraph.errors import SourceError
from kepugraph.extraction.parser import parse_file, parse_text
from kepugraph.reading.source import read_source

ROWS = [("1", "开展科技节活动，每年举办不少于2场。", "区教育局", "区科协、团区委", "2025年底前"),
        ("2", "建设科普基地。", "区科协", "", "长期坚持")]


def units(plan):
    return [[(u.name, u.role) for u in m.units] for m in plan.measures]


def test_docx_task_table(tmp_path):
    d = Document()
    d.add_paragraph("关于印发某区科普工作任务分工方案的通知")
    d.add_paragraph("一、重点任务")
    t = d.add_table(rows=1 + len(ROWS), cols=5)
    for c, h in zip(t.rows[0].cells, ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        c.text = h
    for row, values in zip(t.rows[1:], ROWS):
        for c, v in zip(row.cells, values):
            c.text = v
    path = tmp_path / "plan.docx"
    d.save(path)
    plan = parse_file(path)
    assert [m.title for m in plan.measures] == ["开展科技节活动，每年举办不少于2场", "建设科普基地"]
    assert units(plan) == [[("区教育局", "lead"), ("区科协", "support"), ("团区委", "support")], [("区科协", "lead")]]
    assert [m.deadline for m in plan.measures] == ["2025年底前", "长期坚持"]
    assert plan.measures[0].path == ["一、重点任务"]
    assert plan.measures[0].targets[0].value == 2


def test_docx_automatic_numbering(tmp_path):
    d = Document()
    d.add_paragraph("一、重点任务")
    d.add_paragraph("开展科技节活动。（区教育局牵头，区科协配合）", style="List Number")
    d.add_paragraph("建设科普基地。（区科协负责）", style="List Number")
    path = tmp_path / "numbered.docx"
    d.save(path)
    assert read_source(path).text == ("一、重点任务\n1.开展科技节活动。（区教育局牵头，区科协配合）\n"
                                      "2.建设科普基地。（区科协负责）\n")
    plan = parse_file(path)
    assert [m.label for m in plan.measures] == ["1.", "2."]
    assert units(plan) == [[("区教育局", "lead"), ("区科协", "support")], [("区科协", "joint")]]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a .docx file (not a zip archive)"),
    (lambda p: _zip(p, {"hello.txt": b"hi"}), "not a .docx file (no word/document.xml inside)"),
    (lambda p: _zip(p, {"word/document.xml": b"<w:document/>", "[Content_Types].xml": b"<x/>"}), None),
    (lambda p: _zip(p, {"word/document.xml": b"0" * 50_000_000}),
     "zip member word/document.xml expands 1028 times: refused"),
], ids=["not-zip", "no-document", "corrupt", "zip-bomb"])
def test_bad_docx(tmp_path, make, message):
    path = tmp_path / "bad.docx"
    make(path)
    with pytest.raises(SourceError) as info:
        read_source(path)
    text = str(info.value)
    assert "\n" not in text
    if message:
        assert text == f"{path}: {message}"
    else:
        assert text.startswith(f"{path}: corrupt .docx: ")


def test_docx_xml_entities_are_not_expanded(tmp_path):
    """A billion-laughs / XXE document.xml is read without expanding its entities."""
    d = Document()
    d.add_paragraph("一、任务")
    d.add_paragraph("1.开展活动。（区科协负责）")
    good = tmp_path / "good.docx"
    d.save(good)
    import zipfile

    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                head, rest = text.split("?>", 1)
                doctype = ('<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                           '<!ENTITY x SYSTEM "file:///etc/passwd">]>')
                data = (head + "?>" + doctype + rest.replace("区科协负责", "区科协负责&b;&x;")).encode()
            dst.writestr(item, data)
    text = read_source(evil).text
    assert "aaaaaaaaaa" not in text and "root:" not in text


def _zip(path, members):
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_html_page_with_navigation(tmp_path):
    page = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    <title>某区人民政府</title><script>var x = "（区财政局负责）";</script></head><body>
    <div id="nav"><ul><li>首页</li><li>政务公开</li></ul></div>
    <div class="breadcrumb">当前位置：首页 &gt; 政策文件</div>
    <div class="TRS_Editor"><p>一、重点任务</p>
    <p>1.开展科普活动。（区科协牵头，区教育局&amp;区文旅局配合）</p>
    <p>2.建设科普基地。<br/>（责任单位：区科协）</p>""" + "<p>" + "说明。" * 80 + """</p></div>
    <div class="footer">主办单位：某区人民政府办公室（区政府办负责）</div></body></html>"""
    path = tmp_path / "plan.html"
    path.write_bytes(page.encode("gb18030"))
    plan = parse_file(path)
    assert units(plan) == [[("区科协", "lead"), ("区教育局&区文旅局", "support")], [("区科协", "joint")]]
    assert "首页" not in plan.text and "主办单位" not in plan.text and "var x" not in plan.text


@pytest.fixture(scope="module")
def chromium_pdf():
    """A real PDF printed by headless Chromium, with a running header and page numbers."""
    from playwright.sync_api import sync_playwright

    def make(html: str, path):
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = b.new_page()
            page.set_content(html)
            page.pdf(path=str(path), format="A5", display_header_footer=True,
                     header_template='<div style="font-size:9px;width:100%;text-align:center">某区人民政府文件</div>',
                     footer_template='<div style="font-size:9px;width:100%;text-align:center">'
                                     '<span class="pageNumber"></span></div>',
                     margin={"top": "60px", "bottom": "60px"})
            b.close()

    return make


def test_pdf_layout_lines_joined_and_furniture_dropped(tmp_path, chromium_pdf):
    filler = "".join(f"<p>{i}.开展第{i}项科普宣传活动，面向社区居民普及科学知识，提升公众科学素质和应急避险能力。"
                     f"（区科协牵头，区教育局、区卫生健康局配合）</p>" for i in range(1, 13))
    html = f"""<html><body style="font-family:'Noto Sans CJK SC';font-size:14px">
    <p>一、重点任务</p>{filler}</body></html>"""
    path = tmp_path / "plan.pdf"
    chromium_pdf(html, path)
    text = read_source(path).text
    assert "某区人民政府文件" not in text
    plan = parse_file(path)
    assert len(plan.measures) == 12
    assert all(units_ == [("区科协", "lead"), ("区教育局", "support"), ("区卫生健康局", "support")]
               for units_ in units(plan))
    assert plan.measures[0].title == "开展第1项科普宣传活动，面向社区居民普及科学知识，提升公众科学素质和应急避险能力"


def test_encrypted_and_image_only_pdf(tmp_path):
    from pypdf import PdfWriter

    blank = PdfWriter()
    blank.add_blank_page(width=200, height=200)
    p1 = tmp_path / "image-only.pdf"
    with open(p1, "wb") as fh:
        blank.write(fh)
    with pytest.raises(SourceError) as info:
        read_source(p1)
    assert str(info.value) == f"{p1}: PDF has no text layer (a scanned image?)"
    enc = PdfWriter()
    enc.add_blank_page(width=200, height=200)
    enc.encrypt("secret")
    p2 = tmp_path / "encrypted.pdf"
    with open(p2, "wb") as fh:
        enc.write(fh)
    with pytest.raises(SourceError) as info:
        read_source(p2)
    assert str(info.value) == f"{p2}: encrypted PDF: cannot read its text"


def test_gbk_text_file(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("一、任务\r\n1.开展活动。（区科协牵头，区教育局配合）\r\n".encode("gbk"))
    assert units(parse_file(path)) == [[("区科协", "lead"), ("区教育局", "support")]]


def test_traditional_characters_keep_names_as_written():
    plan = parse_text("一、推進重大基礎設施建設\n1.抓住國家加快鐵路建設機遇。（省發改委、鐵路辦、相關市、縣政府負責）\n"
                      "2.推進民航建設。（牽頭單位：省交通運輸廳；配合單位：哈爾濱、黑河、綏芬河市政府）\n")
    assert units(plan) == [[("省發改委", "joint"), ("鐵路辦", "joint")],
                           [("省交通運輸廳", "lead"), ("哈爾濱、黑河、綏芬河市政府", "support")]]
    assert plan.measures[0].generic_refs == ["相關市、縣政府"]


@pytest.mark.parametrize("text, expected", [
    ("一、任务\n（1）开展活动。（区科协负责）\n", [[("区科协", "joint")]]),
    ("一、任务\n(1)开展活动。(区科协负责)\n", [[("区科协", "joint")]]),
    ("一、任务\n①开展活动。（区科协负责）\n", [[("区科协", "joint")]]),
    ("一、任务\n1、开展活动。（区科协负责）\n", [[("区科协", "joint")]]),
    ("一、任务\n——开展活动。（区科协负责）\n", [[("区科协", "joint")]]),
    ("一、任务\n1.开展活动。\n（区科协、区教育局按职责分工负责）\n", [[("区科协", "joint"), ("区教育局", "joint")]]),
    ("一、任务\n1.开展活动。（区科协牵头负责）\n", [[("区科协", "lead")]]),
    ("一、任务\n1.开展活动。（区科协牵头，区教育局协助）\n", [[("区科协", "lead"), ("区教育局", "support")]]),
    ("一、任务\n1.开展活动。（各县（市、区）政府负责）\n", [[("各县（市、区）政府", "joint")]]),
    ("一、任务\n1.开展活动。（各成员单位）\n", [[("各成员单位", "joint")]]),
    ("说明（排名第一的为牵头单位，下同）\n一、任务\n1.开展活动。（区科协、区教育局）\n", [[("区科协", "lead"), ("区教育局", "support")]]),
    ("一、任务\n1.开展活动。（由区科协牵头，区教育局配合）\n", [[("区科协", "lead"), ("区教育局", "support")]]),
    ("一、任务\n1.开展活动。（市教育局、市科协按职责分别负责）\n", [[("市教育局", "joint"), ("市科协", "joint")]]),
    ("一、任务\n1.开展活动。\n【牵头单位】区科协\n【配合单位】区教育局、区文旅局\n",
     [[("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")]]),
    ("一、任务\n1.开展活动。（责任单位：市发展改革委（牵头）、市财政局）\n",
     [[("市发展改革委", "lead"), ("市财政局", "support")]]),
    ("一、任务\n1.开展活动。（牵头单位：市科协，责任单位：各县区政府，完成时限：2023年底）\n",
     [[("市科协", "lead"), ("各县区政府", "support")]]),
], ids=["paren-num", "ascii-paren-num", "circled", "num-dunhao", "dash", "next-line", "lead-responsible", "assist",
        "county-governments", "member-units", "first-is-lead-preamble", "you-lead", "fenbie-fuze", "bracket-labels",
        "lead-marked-on-name", "deadline-inside"])
def test_layouts(text, expected):
    assert units(parse_text(text)) == expected


def test_yishi_erhshi_runs():
    plan = parse_text("一、任务\n（一）加强科普阵地建设。一是建设科技馆（区科协负责）；二是建设科普基地"
                      "（区教育局、区文旅局负责）；三是开展宣传活动。\n")
    assert [(m.title, [u.name for u in m.units]) for m in plan.measures] == [
        ("一是建设科技馆", ["区科协"]), ("二是建设科普基地", ["区教育局", "区文旅局"])]
    assert plan.measures[0].path == ["一、任务"]


def test_deadline_inside_an_annotation_is_kept():
    plan = parse_text("一、任务\n1.开展活动。（牵头单位：市科协，责任单位：各县区政府，完成时限：2023年底）\n")
    assert plan.measures[0].deadline == "2023年底"


def test_run_in_label_closing_a_paragraph():
    plan = parse_text("一、任务\n1.开展活动。责任单位：区科协、区教育局。\n2.建设基地。牵头单位：区科协；配合单位：区财政局\n")
    assert units(plan) == [[("区科协", "joint"), ("区教育局", "joint")], [("区科协", "lead"), ("区财政局", "support")]]
    assert plan.measures[0].annotation == "责任单位：区科协、区教育局"


def test_people_are_never_units():
    plan = parse_text("一、任务\n1.开展活动。（牵头领导：张三；牵头单位：区科协）\n2.建设基地。\n责任领导：李四\n牵头单位：区财政局\n")
    assert units(plan) == [[("区科协", "lead")], [("区财政局", "lead")]]
    assert plan.warnings == []


PAGE = """<html><head><style>@page {{ size: A5; margin: 20mm }} body {{ font-family: 'Noto Sans CJK SC';
font-size: 14px; margin: 0 }} td, th {{ border: 1px solid #000; padding: 2px }} table {{ border-collapse: collapse }}
</style></head><body>{}</body></html>"""


def test_pdf_ruled_table_is_read_cell_by_cell(tmp_path, chromium_pdf):
    # narrow cells wrap inside names (区科 / 协); the last row lists a unit a line
    rows = "".join(f"<tr><td>{i}</td><td>开展第{i}项科普活动，面向社区居民普及科学知识</td><td>区科协</td>"
                   f"<td>{'区教育局<br>区卫生健康局' if i == 4 else '区教育局、区卫生健康局'}</td></tr>" for i in range(1, 5))
    path = tmp_path / "table.pdf"
    chromium_pdf(PAGE.format("<p>一、重点任务分工</p><table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th>"
                             f"<th>配合单位</th></tr>{rows}</table>"), path)
    text = read_source(path).text
    assert "序号 | 重点任务 | 牵头单位 | 配合单位 |" in text
    plan = parse_file(path)
    assert [m.title for m in plan.measures] == [f"开展第{i}项科普活动，面向社区居民普及科学知识" for i in range(1, 5)]
    assert units(plan) == [[("区科协", "lead"), ("区教育局", "support"), ("区卫生健康局", "support")]] * 4


def test_pdf_lines_join_only_where_the_page_width_broke_them(tmp_path, chromium_pdf):
    """A line that stops short is never joined (a stacked table's cells, its lone row
    numbers); a number that a wrap left at a line's start does not open an item."""
    wide = "推进馆校合作鼓励中小学利用科技馆博物馆等科普场所开展科技学习活动" * 2  # several full lines
    path = tmp_path / "plan.pdf"
    chromium_pdf(PAGE.format(
        "<p>一、重点任务</p>"
        f"<p>1.{wide[:28]}110、科普之冬等做法。（区科协牵头，区教育局配合）</p>"
        f"<p>2.{wide}。（区科协、区科学技术局按职责分工负责）</p>"
        "<p>二、任务分解表</p><p>序号</p><p>工作任务</p><p>责任单位</p>"
        "<p>1</p><p>开展科普日活动。</p><p>区科协</p><p>2</p><p>建设科普基地。</p><p>区科学技术局</p>"), path)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        lines = [ln["text"] for ln in pdf.pages[0].extract_text_lines()]
    assert any(ln.startswith("110、科普之冬") for ln in lines)  # the page put the number first
    assert "1" in lines and "2" in lines  # row numbers on their own lines
    plan = parse_file(path)
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        (wide[:28] + "110、科普之冬等做法", [("区科协", "lead"), ("区教育局", "support")]),
        (wide, [("区科协", "joint"), ("区科学技术局", "joint")]),
        ("开展科普日活动", [("区科协", "joint")]),
        ("建设科普基地", [("区科学技术局", "joint")])]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_the_bundled_plan_printed_to_pdf_reads_as_its_text(tmp_path):
    """Five pages printed by LibreOffice: every measure, title, unit and role as from the .txt."""
    import subprocess

    from kepugraph.reading.source import BUNDLED_PLAN

    text_copy = tmp_path / "plan.txt"
    text_copy.write_bytes(BUNDLED_PLAN.read_bytes())
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(text_copy)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    printed, original = parse_file(tmp_path / "plan.pdf"), parse_file(BUNDLED_PLAN)
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in printed.measures] == [
        (m.title, [(u.name, u.role) for u in m.units]) for m in original.measures]
    assert len(printed.measures) == 31 and printed.warnings == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_a_long_task_table_printed_to_pdf_keeps_every_row_whole(tmp_path):
    """Forty rows over six pages, as LibreOffice prints a Word table: cells wrap inside names
    (市住房 / 城乡建设局) and page breaks cut rows in two; every row reads whole, once."""
    import subprocess

    doc = Document()
    doc.add_paragraph("某市2024年重点工作任务分工表")
    table = doc.add_table(rows=41, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]):
        cell.text = text
    task = "推进第{}项重点工作，完善工作机制，加强统筹协调，确保按期完成各项目标任务"
    for i, row in enumerate(table.rows[1:], 1):
        for cell, text in zip(row.cells, [str(i), task.format(i), "市发展改革委", "市财政局、市自然资源和规划局、市住房城乡建设局",
                                          "2024年12月底前"]):
            cell.text = text
    doc.save(tmp_path / "table.docx")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(tmp_path / "table.docx")], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    import pdfplumber

    with pdfplumber.open(tmp_path / "table.pdf") as pdf:
        assert len(pdf.pages) >= 5
    plan = parse_file(tmp_path / "table.pdf")
    assert [m.title for m in plan.measures] == [task.format(i) for i in range(1, 41)]
    assert {tuple((u.name, u.role) for u in m.units) for m in plan.measures} == {(
        ("市发展改革委", "lead"), ("市财政局", "support"), ("市自然资源和规划局", "support"), ("市住房城乡建设局", "support"))}
    assert {m.deadline for m in plan.measures} == {"2024年12月底前"} and plan.warnings == []


def test_html_article_framed_in_a_layout_table_keeps_its_lines(tmp_path):
    """Many government sites put the article in a table cell, and a task table inside it:
    the frame gives its lines, the task table its rows."""
    page = """<html><head><meta charset="utf-8"></head><body>
    <table width="100%"><tr><td><a href="/">首页</a> &gt; 政务公开</td></tr></table>
    <table width="960" align="center"><tr><td class="content">
    <p align="center"><strong>某区科普工作方案</strong></p><p>一、重点任务</p>
    <p>1.开展科技活动周。组织开展系列活动，普及科学知识。（区科协牵头，区教育局、区科学技术局配合）</p>
    <p>2.建设科普基地。完善科普基地建设标准。（区科学技术局、区科协按职责分工负责）</p>
    <p>二、任务分工表</p>
    <table border="1"><tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td></tr>
    <tr><td>1</td><td><p>举办科普讲座。</p><p>每季度不少于一次。</p></td><td>区科协</td><td>区卫生健康局<br>区融媒体中心</td></tr>
    </table></td></tr></table></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    text = read_source(path).text
    assert text.splitlines()[1:4] == ["某区科普工作方案", "一、重点任务",
                                      "1.开展科技活动周。组织开展系列活动，普及科学知识。（区科协牵头，区教育局、区科学技术局配合）"]
    assert "1 | 举办科普讲座。 每季度不少于一次。 | 区科协 | 区卫生健康局 区融媒体中心 |" in text.splitlines()
    assert units(parse_file(path)) == [
        [("区科协", "lead"), ("区教育局", "support"), ("区科学技术局", "support")],
        [("区科学技术局", "joint"), ("区科协", "joint")],
        [("区科协", "lead"), ("区卫生健康局", "support"), ("区融媒体中心", "support")]]


def test_pdf_letter_spaced_text_reads_as_words(tmp_path, chromium_pdf):
    """Justified, letter-spaced print (区 科 协 牵 头 in the text layer): characters are joined
    where they stand at their usual distance; a wider gap is still a space."""
    page = PAGE.replace("margin: 0 }}", "margin: 0; letter-spacing: 0.25em; text-align: justify }}").format(
        "<p>一、重点任务</p><p>1.开展科技活动周。组织开展系列活动，普及科学知识，提升公众科学素质。"
        "（区科协牵头，区教育局、区科学技术局配合）</p><p>2.建设科普基地。（区科学技术局、区科协按职责分工负责）</p>"
        "<p>联系人&nbsp;&nbsp;&nbsp;&nbsp;张三</p>")
    path = tmp_path / "spaced.pdf"
    chromium_pdf(page, path)
    text = read_source(path).text
    assert "（区科协牵头，区教育局、区科学技术局配合）" in text and "联系人 张三" in text
    assert units(parse_file(path)) == [[("区科协", "lead"), ("区教育局", "support"), ("区科学技术局", "support")],
                                       [("区科学技术局", "joint"), ("区科协", "joint")]]
