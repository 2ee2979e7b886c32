"""Chinese first (issue #17): every table a command prints has Chinese headers and role
labels by default, English with --lang en; every --help opens in Chinese and English."""

import re

import pytest

from kepugraph import analysis
from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.rdf import measure_rows, plan_to_graph
from kepugraph.reading.source import BUNDLED_PLAN

CJK = re.compile(r"[\u4e00-\u9fff]")
BUNDLED = str(BUNDLED_PLAN)

# the header line each command prints by default, and with --lang en
HEADERS = {
    ("workload",): ("单位  类别  任务数  牵头  配合  负责  分担", "unit  kind  measures  lead  support  joint  share"),
    ("workload", "--by", "kind"): ("类别  单位数  任务数  牵头  配合  负责  分担",
                                   "kind  units  measures  lead  support  joint  share"),
    ("units",): ("单位  类别  任务数  牵头  配合  负责", "unit  kind  measures  lead  support  joint"),
    ("pairs", "--top", "1"): ("单位A  单位B  共担任务  Jaccard  任务", "unit A  unit B  shared  Jaccard  measure"),
    ("partners", "区委党校"): ("合作单位  共担任务  Jaccard  任务", "partner  shared  Jaccard  measure"),
    ("tasks", "区委党校"): ("序号  角色  章节  任务", "id  role  section  measure"),
    ("centrality",): ("单位  度  加权度  中介中心性  特征向量中心性",
                      "unit  degree  weighted degree  betweenness  eigenvector"),
    ("communities",): ("组  单位数  单位", "group  units  unit"),
    ("risks",): ("风险  序号  单位数  任务  单位", "risk  id  units  measure  unit"),
    ("diff", BUNDLED, BUNDLED): ("变化  原序号  新序号  任务  新增单位  删去单位  角色变化",
                                 "change  old id  new id  measure  units added  units dropped  role changes"),
    ("queries",): ("名称  说明  参数", "name  description  parameters"),
    ("sparql", "workload"): ("单位  任务数  牵头  配合  负责", "unit  measures  lead  support  joint"),
}


def header_line(stdout: str) -> str:
    """The header row with its padding squeezed to two spaces (risks prints its summary first)."""
    lines = stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if i + 1 < len(lines) and set(lines[i + 1]) <= {"-", " "})
    return re.sub(r"\s{2,}", "  ", lines[at].strip())


@pytest.mark.parametrize("args", list(HEADERS), ids=[" ".join(a[:2]).replace("/", "_") for a in HEADERS])
def test_headers_are_chinese_by_default_and_english_on_request(runner, args):
    zh, en = HEADERS[args]
    default = runner.invoke(main, list(args))
    assert default.exit_code == 0, default.output
    assert header_line(default.stdout) == zh
    english = runner.invoke(main, [*args, "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert header_line(english.stdout) == en


def test_an_empty_answer_is_said_in_the_language(runner):
    # the sample has no deadline: said in words, not a bare header (deadlines' header: tests/test_changes.py)
    assert runner.invoke(main, ["deadlines"]).stdout.splitlines()[1] == "没有写明完成时限或带年份目标的任务（共 31 项任务）"
    assert runner.invoke(main, ["deadlines", "--lang", "en"]).stdout.splitlines() == [
        "Sample plan: 泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）; build your own: "
        "kepugraph build FILE", "No measure has a deadline or a dated target (31 measures)"]


def test_role_labels_follow_the_language(runner):
    assert runner.invoke(main, ["tasks", "区委党校"]).stdout.splitlines()[3].split()[:2] == ["m16", "负责"]
    assert runner.invoke(main, ["tasks", "区委党校", "--lang", "en"]).stdout.splitlines()[3].split()[:2] == ["m16", "joint"]
    risks = runner.invoke(main, ["risks", "--lang", "en"]).stdout.splitlines()
    assert risks[1] == "29 of 31 measures are jointly responsible with no lead named"
    assert risks[4].split()[:2] == ["single_unit", "m30"]
    note = runner.invoke(main, ["centrality"]).stderr
    assert note == "中介中心性：精确计算，25 个单位，2 个互不相连的组\n"
    assert runner.invoke(main, ["centrality", "--lang", "en"]).stderr == "betweenness exact over 25 units in 2 groups\n"


def test_json_keys_stay_the_same_in_every_language(runner):
    zh = runner.invoke(main, ["tasks", "区委党校", "--format", "json"]).stdout
    assert zh == runner.invoke(main, ["tasks", "区委党校", "--format", "json", "--lang", "en"]).stdout


def test_every_help_opens_in_chinese_and_english(runner):
    for name in [None, *sorted(main.commands)]:
        text = runner.invoke(main, [name, "--help"] if name else ["--help"]).stdout
        first = text.split("\n\n")[1].strip()
        chinese, _, english = first.partition("。 ")
        assert CJK.search(chinese) and re.match(r"[A-Z]", english), (name, first)


def test_risks_name_measures_left_to_vague_references_or_collectives():
    plan = parse_text("一、重点任务\n1.开展科普活动。（区科协、有关部门按职责分工负责）\n"
                      "2.建设科普基地。（各街道、各园区负责）\n3.举办科技周。（区科协牵头，区教育局配合）\n")
    rows = measure_rows(plan_to_graph(plan))
    assert [(r.id, r.generic) for r in rows] == [("m1", ["有关部门"]), ("m2", []), ("m3", [])]
    found = analysis.risks(rows)
    assert [r.id for r in found.generic] == ["m1", "m2"]
    assert found.summary == "3 项任务中 1 项为共同负责，未指定牵头单位"  # m2; m1 names one unit
