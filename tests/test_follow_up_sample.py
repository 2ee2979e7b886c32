"""The whole loop on the bundled plan: deadlines assigned in the review workbook, progress
sheets sent and returned, the notice printed by LibreOffice on A4, the page coloured by
progress in a real headless Chromium."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kepugraph import api
from kepugraph.cli import main
from kepugraph.outputs import review as writer
from kepugraph.vocab import FOLLOW_UP_COLORS

TODAY = dt.date(2025, 7, 1)
ROUND = "2025年6月"
DEADLINES = {"m3": "2025.5.31", "m4": "2025年7月3日", "m16": "2025年12月底前", "m30": "2025年6月底前"}
P = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号"


def fill_xlsx(path: Path, answers: dict[str, dict[str, str]]) -> Path:
    """What a unit types into its returned sheet (as tests/test_progress.py does)."""
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[3]]
    for row in ws.iter_rows(min_row=4):
        for column, value in answers.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    work = tmp_path_factory.mktemp("sample")
    book = work / "审核表.xlsx"
    api.review(None, book)
    wb = load_workbook(book)
    ws = wb[writer.REVIEW_SHEET]
    column = writer.REVIEW_HEADER.index("完成时限") + 1
    for row in ws.iter_rows(min_row=4, max_row=34):
        if row[0].value in DEADLINES:
            row[column - 1].value = DEADLINES[row[0].value]
    wb.save(book)
    graph = api.build(book, work / "graph").path
    sent = {p.name.removesuffix("任务进展表.xlsx"): p for p in api.progress_sheets(api.Source(graph), work / "s", ROUND)}
    returned = [
        fill_xlsx(sent["区政府"], {"m30": {"进展状态": "已完成", "完成日期": "2025年6月20日", "报送日期": "2025年6月28日"}}),
        fill_xlsx(sent["区委党校"], {"m16": {"进展状态": "推进中", "进展情况": "已举办培训班2期", "报送日期": "2025.6.29"},
                                    "m17": {"进展状态": "推进中"}}),
        fill_xlsx(sent["区妇联"], {"m3": {"进展状态": "滞后", "进展情况": "场地未落实", "报送日期": "2025年6月30日"},
                                  "m6": {"进展状态": "推进中"}}),
    ]
    api.import_progress(returned, graph=graph, today=TODAY)
    return work, graph


def test_deadlines_set_in_the_review_are_the_plan_s(sample):
    rows = {r.id: r.deadline for r in api.rows(api.load(sample[1])) if r.deadline}
    assert rows == DEADLINES


def test_the_summary_names_what_is_overdue_and_who_did_not_report(sample):
    p = api.follow_up(api.Source(sample[1]), today=TODAY)
    assert [(t.id, t.days) for t in p.overdue][:2] == [("m3", 31), ("m3", 31)]
    assert len(p.overdue) == 14  # m3's 14 units; m30 is done
    assert [(t.id, t.unit) for t in p.due_soon] == [("m4", "区教育和体育局"), ("m4", "区科学技术局"), ("m4", "区科协")]
    from kepugraph.outputs.notice import summary

    # units behind: most overdue, then 滞后, then most tasks unreported; silent units in plan order
    assert summary(p, "某方案") == (
        "截至2025年7月1日，《某方案》共 31 项任务，分解到 25 个单位，共 201 项单位任务。本轮（2025年6月）3 个单位报送了"
        "进展。已完成 1 项，推进中 3 项，未启动 0 项，滞后 1 项；逾期未完成 14 项（1 项任务），涉及区妇联、区科协、"
        "区科学技术局、区教育和体育局、区卫生健康局、区应急管理局、区工业和信息化局、团区委、区住房和城乡建设局、区水利局、"
        "区文化和旅游局、区自然资源局、区气象局、市生态环境局泰山分局；3 天内到期 3 项；22 个单位本轮未报送：区委宣传部、"
        "区教育和体育局、区融媒体中心、团区委、区科学技术局、区科协、区工业和信息化局、区自然资源局、市生态环境局泰山分局、"
        "区住房和城乡建设局、区水利局、区文化和旅游局、区卫生健康局、区应急管理局、区气象局、区农业农村局、区林业保护发展中心、"
        "区人力资源和社会保障局、区总工会、区发展和改革局、区委组织部、区财政局。")


def _pdf(path: Path, work: Path):
    from pypdf import PdfReader

    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
                           "--convert-to", "pdf", "--outdir", str(work / "pdf"), str(path)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return PdfReader(work / "pdf" / (path.stem + ".pdf"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_the_notice_prints_on_a4_in_libreoffice(sample, runner, tmp_path):
    work, graph = sample
    for fmt, box in (("docx", (595, 842)), ("xlsx", (842, 595))):
        out = tmp_path / f"情况通报.{fmt}"
        result = runner.invoke(main, ["progress", "--graph", str(graph), "--today", "2025-07-01", "--format", fmt,
                                      "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）",
                                              f"201 tasks, 14 overdue, 22 units not reported → {out}"]
        pdf = _pdf(out, tmp_path)
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages} == {box}
        text = "".join("".join(p.extract_text().split()) for p in pdf.pages)  # PDF text comes spaced out
        assert "关于《泰山区全民科学素质行动规划纲要实施方案（2021-2025年）》任务落实情况的通报（2025年6月）" in text
        assert "逾期未完成14项" in text and "场地未落实" in text
        if fmt == "docx":
            assert len(pdf.pages) == 2
            assert text.index("一、各单位进展情况") < text.index("二、逾期任务") < text.index("三、本轮未报送单位")


def test_the_page_is_coloured_by_progress_with_a_legend(sample, browser, open_page, runner, tmp_path):
    out = tmp_path / "page.html"
    result = runner.invoke(main, ["viz", "--graph", str(sample[1]), "--view", "bipartite", "--follow-up",
                                  "--today", "2025-07-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page, blocked, errors = open_page(browser, out)
    colour = "id => { const n = network.body.data.nodes.get(id); return n ? String(n.color.background) : 'no node'; }"
    expected = {f"{P}/measure/30": "done", f"{P}/measure/4": "due_soon", f"{P}/measure/3": "overdue",
                f"{P}/measure/5": "not_reported",
                "区政府": "done", "区妇联": "overdue", "区委党校": "on_track", "区委组织部": "not_reported"}
    assert {node: page.evaluate(colour, node) for node in expected} == {
        node: FOLLOW_UP_COLORS[state] for node, state in expected.items()}
    assert page.inner_text("#kp-status-legend").replace("\n", "").replace(" ", "") == "进展：已完成即将到期逾期未报送推进中"
    assert page.is_visible("#kp-status-legend") and not page.is_visible("#kp-legend")
    legend = page.evaluate("[...document.querySelectorAll('#kp-status-legend i')].map(i => getComputedStyle(i).backgroundColor)")
    assert legend == ["rgb(44, 160, 44)", "rgb(242, 195, 24)", "rgb(214, 39, 40)", "rgb(158, 158, 158)",
                      "rgb(158, 202, 225)"]
    # a click on a measure: its units, then each unit's latest report
    click = "id => { network.body.emitter.emit('click', {nodes: [id], edges: [], pointer: {}}); }"
    page.evaluate(click, f"{P}/measure/16")
    assert page.inner_text("#kp-panel h3 >> nth=1") == "最新进展（截至 2025-07-01）"
    assert page.locator("#kp-panel > ol").nth(1).locator("li").all_inner_texts() == [
        "区委组织部：未报送", "区委宣传部：未报送", "区委党校：推进中（2025-06-29报送，2025年6月）：已举办培训班2期",
        "区人力资源和社会保障局：未报送", "区科学技术局：未报送", "区科协：未报送"]
    # a click on a unit: the latest report on each of its tasks
    page.evaluate(click, "区妇联")
    assert page.locator("#kp-panel > ol").nth(1).locator("li").all_inner_texts() == [
        "m3 滞后（2025-06-30报送，2025年6月）：场地未落实", "m6 推进中（2025-06-30报送，2025年6月）"]
    assert blocked == [] and errors == []
    page.close()
