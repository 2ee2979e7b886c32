"""Plans kept in code: JSON, a JavaScript literal in a .js file or in a page's <script>, read by
their structure (made-up plans), and the literals refused with the file and the line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kepugraph.cli import main
from kepugraph.errors import SourceError
from kepugraph.reading.literals import MAX_DEPTH, parse_literals
from kepugraph.reading.source import read_source

FLAT = [
    {"任务": "建设社区科普e站", "内容": "在各街道新建社区科普e站12个，配备科普大屏", "牵头单位": "市科协",
     "配合单位": ["市民政局", "市财政局"], "完成时限": "2024年底前"},
    {"任务": "开展科技活动周", "内容": "每年组织科技活动周主题活动不少于30场", "责任单位": "市科学技术局、市科协",
     "完成时限": "每年5月"},
    {"任务": "培训农村实用人才", "内容": "每年培训高素质农民2000人次", "牵头单位": "市农业农村局",
     "配合单位": "市人力资源和社会保障局", "完成时限": "长期"},
]
FLAT_READ = [
    ("建设社区科普e站", [("市科协", "lead"), ("市民政局", "support"), ("市财政局", "support")]),
    ("开展科技活动周", [("市科学技术局", "joint"), ("市科协", "joint")]),
    ("培训农村实用人才", [("市农业农村局", "lead"), ("市人力资源和社会保障局", "support")]),
]

TREE = {"name": "丙县老年人数字素养提升行动方案", "children": [
    {"name": "智慧助老", "children": [
        {"name": "开设智能手机课堂", "content": "依托老年大学开设智能手机使用课程", "lead": "县教育局",
         "support": ["县老龄办", "县科协"]},
        {"name": "建设助老服务点", "content": "在社区设立数字助老服务点", "lead": "县民政局",
         "support": "县工业和信息化局"}]},
    {"name": "防范诈骗", "children": [
        {"name": "开展反诈宣传", "content": "组织反诈宣传进社区活动", "owner": "县公安局、县委宣传部"}]}]}
TREE_READ = [
    (["一、智慧助老"], "开设智能手机课堂", [("县教育局", "lead"), ("县老龄办", "support"), ("县科协", "support")]),
    (["一、智慧助老"], "建设助老服务点", [("县民政局", "lead"), ("县工业和信息化局", "support")]),
    (["二、防范诈骗"], "开展反诈宣传", [("县公安局", "joint"), ("县委宣传部", "joint")]),
]

JS = """\
// 乙区健康科普任务清单（2025年）
var tasks = [
  {title: '组建健康科普专家库', content: "遴选医务人员组建专家库", owner: '区卫生健康局', deadline: '2025年6月底前'},
  /* 第二项：牵头与配合 */
  {title: '推进健康科普进校园', content: '每学期开展健康讲座', lead: '区教育局', support: ['区卫生健康局', '区团委',],},
];
"""
JS_READ = [
    ("组建健康科普专家库", [("区卫生健康局", "joint")]),
    ("推进健康科普进校园", [("区教育局", "lead"), ("区卫生健康局", "support"), ("区团委", "support")]),
]

PAGE = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>戊区重点任务清单</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head><body>
<div class="content"><h1>戊区2025年全民科学素质重点任务清单</h1><div id="app"></div></div>
<script>
var taskData = {
  title: '戊区2025年全民科学素质重点任务清单',
  children: [
    {name: '青少年科学素质提升', children: [
      {title: '建设校园科技馆', content: '在中小学建设校园科技馆5所', lead: '区教育局', support: '区科协'},
    ]},
    {name: '农民科学素质提升', children: [
      {title: '开展科技下乡', content: '组织专家科技下乡服务', owner: ['区农业农村局', '区科协']},
    ]},
  ],
};
</script>
</body></html>
"""
PAGE_READ = [
    (["一、青少年科学素质提升"], "建设校园科技馆", [("区教育局", "lead"), ("区科协", "support")]),
    (["二、农民科学素质提升"], "开展科技下乡", [("区农业农村局", "joint"), ("区科协", "joint")]),
]


@pytest.fixture
def plans(tmp_path):
    (tmp_path / "flat.json").write_text(json.dumps(FLAT, ensure_ascii=False, indent=1), encoding="utf-8")
    (tmp_path / "tree.json").write_text(json.dumps(TREE, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "tasks.js").write_text(JS, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    return tmp_path


def _extract(runner, path) -> dict:
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _read(data: dict, with_path: bool = False) -> list:
    out = []
    for m in data["measures"]:
        units = [(u["name"], u["role"]) for u in m["units"]]
        out.append((m["path"], m["title"], units) if with_path else (m["title"], units))
    return out


def test_a_flat_json_list_is_a_table(runner, plans):
    data = _extract(runner, plans / "flat.json")
    assert _read(data) == FLAT_READ
    assert [m["deadline"] for m in data["measures"]] == ["2024年底前", "每年5月", "长期"]


def test_a_nested_name_children_tree_gives_headings_and_measures(runner, plans):
    data = _extract(runner, plans / "tree.json")
    assert data["plan"]["title"] == "丙县老年人数字素养提升行动方案"
    assert _read(data, with_path=True) == TREE_READ


def test_a_js_object_literal_with_comments_quotes_and_trailing_commas(runner, plans):
    data = _extract(runner, plans / "tasks.js")
    assert _read(data) == JS_READ
    assert data["measures"][0]["deadline"] == "2025年6月底前"


def test_a_page_whose_tasks_are_only_in_a_script_literal(runner, plans):
    data = _extract(runner, plans / "page.html")
    assert data["plan"]["title"] == "戊区2025年全民科学素质重点任务清单"
    assert _read(data, with_path=True) == PAGE_READ


def test_a_page_with_its_own_task_table_ignores_the_script(tmp_path):
    page = PAGE.replace('<div id="app"></div>', "<table><tr><td>序号</td><td>任务</td><td>责任单位</td></tr>"
                                                  "<tr><td>1</td><td>开展科普讲座</td><td>区科协</td></tr></table>")
    (tmp_path / "own.html").write_text(page, encoding="utf-8")
    text = read_source(tmp_path / "own.html").text
    assert "1 | 开展科普讲座 | 区科协 |" in text
    assert "建设校园科技馆" not in text


def test_the_layout_read_from_the_structure(plans):
    """Keys are the header (English ones in the Chinese a table is headed with), a column every
    row fills goes last, the header comes before the first heading so that headings by depth
    stand between the rows of one table as its section rows."""
    assert read_source(plans / "tree.json").text == (
        "丙县老年人数字素养提升行动方案\n"
        "序号 | 任务名称 | 牵头单位 | 配合单位 | 责任单位 | 任务内容 |\n"
        "一、智慧助老\n"
        "1 | 开设智能手机课堂 | 县教育局 | 县老龄办、县科协 |  | 依托老年大学开设智能手机使用课程 |\n"
        "2 | 建设助老服务点 | 县民政局 | 县工业和信息化局 |  | 在社区设立数字助老服务点 |\n"
        "二、防范诈骗\n"
        "3 | 开展反诈宣传 |  |  | 县公安局、县委宣传部 | 组织反诈宣传进社区活动 |\n")


def test_a_heading_s_own_fields_hold_for_the_tasks_below_it(runner, tmp_path):
    """{name, lead, children}: the lead is a merged cell over the sub-tasks' rows, the heading no task."""
    tree = {"title": "己市科普阵地建设方案", "tasks": [
        {"name": "科普阵地建设", "lead": "市科协", "children": [
            {"name": "建设科普馆", "owner": "市教育局"},
            {"name": "建设科普长廊", "owner": "市住房和城乡建设局"}]}]}
    (tmp_path / "over.json").write_text(json.dumps(tree, ensure_ascii=False), encoding="utf-8")
    assert read_source(tmp_path / "over.json").text == (
        "己市科普阵地建设方案\n序号 | 牵头单位 | 任务名称 | 责任单位 |\n一、科普阵地建设\n"
        "1 | 市科协 | 建设科普馆 | 市教育局 |\n2 | 市科协 | 建设科普长廊 | 市住房和城乡建设局 |\n")
    assert _read(_extract(runner, tmp_path / "over.json"), with_path=True) == [
        (["一、科普阵地建设"], "建设科普馆", [("市科协", "lead"), ("市教育局", "support")]),
        (["一、科普阵地建设"], "建设科普长廊", [("市科协", "lead"), ("市住房和城乡建设局", "support")])]


def test_a_plan_in_code_is_built_into_the_workspace(runner, plans, monkeypatch):
    monkeypatch.chdir(plans)
    result = runner.invoke(main, ["build", "tasks.js", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("2 measures, 3 units, " + result.stdout.split(", ")[2].split()[0]
                                                  + " triples, 0 warnings → out/tasks.ttl")


def test_a_literal_pasted_into_a_text_file_is_read_and_other_text_stays_text(runner, tmp_path):
    (tmp_path / "pasted.txt").write_text(JS, encoding="utf-8")
    assert _read(_extract(runner, tmp_path / "pasted.txt")) == JS_READ
    # text that opens like a list but is prose is read as prose, never refused
    (tmp_path / "prose.txt").write_text("[通知]\n一、重点任务\n1.开展科普讲座。（区科协负责）\n", encoding="utf-8")
    assert _read(_extract(runner, tmp_path / "prose.txt")) == [("开展科普讲座", [("区科协", "joint")])]


def test_literals_are_read_not_run():
    assert parse_literals("export default [{'a': \"x\\u5e02\", b: 0x10, c: null, d: true, e: [1,,2,],}]") == \
        [[{"a": "x市", "b": 16, "c": None, "d": True, "e": [1, 2]}]]
    assert parse_literals("window.plan = {t: `模板`}; module.exports = [];") == [{"t": "模板"}, []]


def test_extract_as_a_subprocess(plans):
    done = subprocess.run([sys.executable, "-m", "kepugraph", "extract", str(plans / "tasks.js"), "--format", "json"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert _read(json.loads(done.stdout)) == JS_READ


BAD = [
    ("call.js", 'var tasks = [\n  {title: "甲", owner: "市科协"},\n  {title: "乙", owner: getOwner()},\n];\n',
     "3: a function call (getOwner(…)) is code, not data: refused"),
    ("malformed.json", '[\n  {"title": "甲", "owner": "市科协"},\n  {"title": "乙" "owner": "市科协"}\n]\n',
     "3: expected ',', found '\"owner\"'"),
    ("deep.json", "\n" + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n",
     f"2: nested more than {MAX_DEPTH} levels deep: refused"),
    ("sum.js", "var x = {a: 1 + 2};\n", "1: '+' is not part of a data literal (only objects, lists, strings, numbers)"),
    ("template.js", "var x = [{t: `${name}`}];\n", "1: a template string with ${…} is code, not data"),
    ("variable.js", "var x = [{owner: OWNER}];\n", "1: 'OWNER' names a variable or code, not data: refused"),
    ("open.js", "var x = [\n/* 未完\n", "2: a comment that is never closed"),
    ("scalars.json", '"只是一句话"\n', "no object or list of objects in the file: nothing to read as tasks"),
]


@pytest.mark.parametrize("name,code,problem", BAD, ids=[b[0] for b in BAD])
def test_bad_literals_one_line_error_with_file_and_line_and_nothing_written(runner, tmp_path, name, code, problem):
    src = tmp_path / name
    src.write_text(code, encoding="utf-8")
    sep = ": " if problem.startswith("no object") else ":"
    with pytest.raises(SourceError) as err:
        read_source(src)
    assert str(err.value) == f"{src}{sep}{problem}"
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {src}{sep}{problem}\n"
    assert not out.exists() or not any(p.suffix in (".ttl", ".html") for p in out.rglob("*"))


def test_bad_literal_as_a_subprocess(tmp_path):
    src = tmp_path / "call.js"
    src.write_text(BAD[0][1], encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kepugraph", "extract", str(src)], capture_output=True, text=True,
                          timeout=180)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"Error: {src}:{BAD[0][2]}\n")
