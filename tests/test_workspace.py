"""The workspace: plans a user builds go into one place, every command answers from it and names
the plan; with several plans a 方案 column; with none, the sample, saying so (issue 22)."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kepugraph.cli import main
from kepugraph.errors import StoreError

SAMPLE_LINE = "示例方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）；建立自己的方案：kepugraph build 文件"
LISHAN = "历山区科普工作实施方案"
LISHAN_NO = "历政办字〔2023〕5号"
LISHAN_LINE = f"方案：{LISHAN}（{LISHAN_NO}）"
ROWS = [("1", "建设社区科普站点", "每个街道建成科普站点不少于2个", "区科协", "区教育局、区发展和改革局", "2023年12月底前"),
        ("2", "开展科技活动周", "组织科技活动周主场活动", "区科学技术局", "区科协", "2023年5月底前"),
        ("3", "推进科普进校园", "组织科学家进校园活动", "区教育局", "区科协、团区委", "2023年10月底前")]
HEADER = ["序号", "任务名称", "工作内容", "牵头单位", "配合单位", "完成时限"]
OTHER = """\
关于印发山亭区科普工作要点的通知
山政办字〔2024〕2号
一、重点任务
1.建设科普基地。（区科协牵头，区教育局配合）
2.举办科普讲座。（区科协、区卫生健康局按职责分工负责）
"""


def lishan_txt(folder: Path) -> Path:
    lines = [LISHAN, LISHAN_NO, "一、重点任务"]
    lines += [f"{n}.{t}。{c}。完成时限：{dl}。（{lead}牵头，{sup}配合）" for n, t, c, lead, sup, dl in ROWS]
    path = folder / "lishan-2023.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lishan_xlsx(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append([LISHAN])
    ws.merge_cells("A1:F1")
    ws.append([LISHAN_NO])
    ws.append(HEADER)
    for r in ROWS:
        ws.append(list(r))
    path = folder / "lishan-2023.xlsx"
    wb.save(path)
    return path


def lishan_docx(folder: Path) -> Path:
    import docx

    d = docx.Document()
    for line in (LISHAN, LISHAN_NO, "一、重点任务"):
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for r in ROWS:
        for cell, text in zip(table.add_row().cells, r):
            cell.text = text
    path = folder / "lishan-2023.docx"
    d.save(path)
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh folder to work in, as a new user's: no graph/ yet, no KEPUGRAPH_STORE."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEPUGRAPH_STORE", raising=False)
    monkeypatch.setattr("kepugraph.store.workspace.DEFAULT_FOLDER", "graph")  # the real default, here
    return tmp_path


def run(runner, *args):
    result = runner.invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


# -- nothing built: the sample, saying so ------------------------------------------------------------

def test_with_nothing_built_the_sample_answers_and_says_so(runner, home):
    out = run(runner, "workload").stdout.splitlines()
    assert out[0] == SAMPLE_LINE
    assert out[3].split()[:3] == ["区科协", "群团组织", "27"]
    data = json.loads(run(runner, "tasks", "区委组织部", "--format", "json").stdout)
    assert [(d["id"], d["sample"], d["plan"]) for d in data] == [
        (m, True, "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）")
        for m in ("m16", "m17", "m28")]
    csv = run(runner, "units", "--format", "csv").stdout.splitlines()
    assert csv[:2] == [SAMPLE_LINE, "单位,类别,任务数,牵头,配合,负责"] and len(csv) == 2 + 25
    assert run(runner, "sparql", "workload").stdout.splitlines()[0] == SAMPLE_LINE
    run(runner, "matrix", "-o", "m.xlsx")
    sheet = openpyxl.load_workbook("m.xlsx")["责任矩阵"]
    assert sheet["A2"].value.startswith("示例方案 《泰山区全民科学素质行动规划纲要实施方案（2021-2025年）》（泰山政办字〔2022〕7号")
    assert sheet["A2"].value.endswith("（建立自己的方案：kepugraph build 文件）")


def test_building_the_sample_keeps_it_out_of_the_workspace(runner, home):
    # make demo: the sample's graph and pages in graph/, the commands still answering as for the sample
    assert run(runner, "build", "-o", "graph").stdout.endswith("→ graph/taishan-kepu-plan-2021-2025.ttl\n")
    assert not (home / "graph" / "store").exists()
    assert run(runner, "workload").stdout.splitlines()[0] == SAMPLE_LINE
    # --graph names the plan the graph holds, not as the sample
    out = run(runner, "workload", "--graph", "graph/taishan-kepu-plan-2021-2025.ttl").stdout.splitlines()
    assert out[0] == "方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）"


def test_empty_answers_say_so_in_words(runner, home):
    assert run(runner, "units", "--suggest-merges").stdout.splitlines() == [
        SAMPLE_LINE, "没有疑似同一单位的名称（25 个单位名称两两比较：无同一词干、异写或一字之差）"]
    assert run(runner, "deadlines").stdout.splitlines() == [SAMPLE_LINE, "没有写明完成时限或带年份目标的任务（共 31 项任务）"]
    assert run(runner, "pairs", "--min-shared", "99").stdout.splitlines() == [SAMPLE_LINE, "没有共担至少 99 项任务的单位对"]
    out = run(runner, "sparql", "tasks-of-unit", "--param", "unit=区没有局").stdout.splitlines()
    assert out[0] == SAMPLE_LINE and out[-1] == "没有结果：查询没有匹配的行"
    # 区政府 is named only in the prose of 保障措施, with nobody else
    assert run(runner, "partners", "区政府").stdout.splitlines() == [SAMPLE_LINE, "区政府 没有与其他单位共担的任务"]
    assert run(runner, "plans").stdout == "工作区 oxigraph:graph/store 里还没有方案；建立：kepugraph build 文件\n"
    assert json.loads(run(runner, "deadlines", "--format", "json").stdout) == []


# -- one plan built: answers about it, naming it ---------------------------------------------------------

def test_after_building_a_plan_every_command_answers_for_it(runner, home):
    src = lishan_txt(home)
    built = run(runner, "build", str(src)).stdout.splitlines()
    assert built == [f"{LISHAN}: 3 measures, 5 units, {built[0].split(', ')[2].split()[0]} triples, 0 warnings "
                     f"→ graph/lishan-2023.ttl",
                     "工作区 oxigraph:graph/store：1 份方案；tasks、workload、matrix 等命令都据此作答"]
    # tasks: the 区发改局 matched in the user's plan, not in the sample
    result = run(runner, "tasks", "区发改局")
    assert result.stderr == "单位：区发改局 → 区发展和改革局\n"
    assert result.stdout.splitlines() == [LISHAN_LINE, "序号  角色  章节          任务",
                                          "----  ----  ------------  ----------------",
                                          "m1    配合  一、重点任务  建设社区科普站点"]
    assert run(runner, "workload").stdout.splitlines()[:4] == [
        LISHAN_LINE, "单位            类别      任务数  牵头  配合  负责    分担",
        "--------------  --------  ------  ----  ----  ----  ------",
        "区科协          群团组织       3     1     2     0   1.167"]
    pairs = run(runner, "pairs", "--format", "json").stdout
    assert {frozenset(p["units"]): (p["shared"], p["plan"]) for p in json.loads(pairs)}[frozenset(("区教育局", "区科协"))] == (
        2, f"{LISHAN}（{LISHAN_NO}）")
    risks = run(runner, "risks").stdout.splitlines()
    assert risks[0] == LISHAN_LINE and risks[1].startswith("3 项任务")
    assert run(runner, "sparql", "tasks-of-unit", "--param", "unit=区科协").stdout.splitlines() == [
        LISHAN_LINE, "单位    序号  角色  章节          任务", "------  ----  ----  ------------  ----------------",
        "区科协  m1    牵头  一、重点任务  建设社区科普站点", "区科协  m2    配合  一、重点任务  开展科技活动周",
        "区科协  m3    配合  一、重点任务  推进科普进校园"]
    # the files: the matrix's title rows, the CSV's first row, the sheets' headings, the page's title
    assert run(runner, "matrix", "-o", "m.xlsx").stdout == f"{LISHAN_LINE}\n3 measures × 5 units → m.xlsx\n"
    wb = openpyxl.load_workbook("m.xlsx")
    assert wb["任务分工表"]["A2"].value == f"《{LISHAN}》（{LISHAN_NO}）"
    run(runner, "matrix", "-o", "m.csv")
    assert Path("m.csv").read_text(encoding="utf-8-sig").splitlines()[:2] == [
        f"《{LISHAN}》（{LISHAN_NO}）", "序号,章节,任务,区科协,区教育局,区发展和改革局,区科学技术局,团区委"]
    assert run(runner, "sheets", "-o", "sheets").stdout == f"{LISHAN_LINE}\n5 sheets → sheets\n"
    sheet = openpyxl.load_workbook("sheets/区科协.xlsx").active
    assert sheet["A2"].value.startswith(f"依据：《{LISHAN}》（{LISHAN_NO}）　共 3 项任务：牵头 1 项，配合 2 项")
    assert run(runner, "viz", "-o", "u.html").stdout.splitlines()[0] == LISHAN_LINE
    assert f"<title>{LISHAN}（{LISHAN_NO}）</title>" in Path("u.html").read_text(encoding="utf-8")


def test_after_building_a_plan_as_a_subprocess(home):
    src = lishan_txt(home)
    exe = [sys.executable, "-m", "kepugraph"]
    done = subprocess.run(exe + ["tasks", "区科协"], capture_output=True, text=True, timeout=180, cwd=home)
    assert done.stdout.splitlines()[0] == SAMPLE_LINE  # nothing built yet
    done = subprocess.run(exe + ["build", str(src)], capture_output=True, text=True, timeout=180, cwd=home)
    assert done.returncode == 0, done.stderr
    for args in (["tasks", "区科协"], ["pairs"], ["risks"], ["sparql", "tasks-of-unit", "--param", "unit=区科协"],
                 ["matrix", "-o", "m.xlsx"], ["sheets", "-o", "sheets"], ["viz", "-o", "u.html"]):
        done = subprocess.run(exe + args, capture_output=True, text=True, timeout=180, cwd=home)
        assert done.returncode == 0 and done.stdout.splitlines()[0] == LISHAN_LINE, (args, done.stderr)
    done = subprocess.run(exe + ["workload", "--format", "csv"], capture_output=True, text=True, timeout=180, cwd=home)
    assert done.stdout.splitlines()[:3] == [LISHAN_LINE, "单位,类别,任务数,牵头,配合,负责,分担", "区科协,群团组织,3,1,2,0,1.167"]
    done = subprocess.run(exe + ["workload", "lishan-2023.txt"], capture_output=True, text=True, timeout=180, cwd=home)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: lishan-2023.txt 是方案文件，workload 不读文件，从工作区作答：先运行 kepugraph build lishan-2023.txt，"
        "再运行 kepugraph workload（已建多份方案时用 --plan lishan-2023 选这一份；已建好的图谱用 --graph FILE.ttl）")


def test_a_file_where_options_belong_says_what_to_do(runner, home):
    lishan_txt(home)
    result = runner.invoke(main, ["workload", "lishan-2023.txt"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: lishan-2023.txt 是方案文件，workload 不读文件，从工作区作答：先运行 kepugraph build lishan-2023.txt，"
        "再运行 kepugraph workload（已建多份方案时用 --plan lishan-2023 选这一份；已建好的图谱用 --graph FILE.ttl）")
    result = runner.invoke(main, ["tasks", "lishan-2023.txt"])  # a file where the unit goes
    assert result.exit_code == 2 and "lishan-2023.txt 是方案文件，tasks 不读文件" in result.stderr
    result = runner.invoke(main, ["workload", "区科协"])  # not a file: Click's own message stays
    assert result.exit_code == 2 and "Got unexpected extra argument (区科协)" in result.stderr


def test_the_unit_matched_is_named(runner, home):
    result = run(runner, "tasks", "区科学技术协会", "--format", "json")
    assert result.stderr == "单位：区科学技术协会 → 区科协\n"
    assert {d["unit"] for d in json.loads(result.stdout)} == {"区科协"}
    assert run(runner, "tasks", "区科协").stderr == ""
    assert run(runner, "partners", "教体局").stderr == "单位：教体局 → 区教育和体育局\n"
    result = run(runner, "sparql", "tasks-of-unit", "--param", "unit=教体局", "--format", "csv")
    assert result.stderr == "单位：教体局 → 区教育和体育局\n"  # the W3C CSV itself stays as the standard has it
    assert len(result.stdout.splitlines()) == 1 + 13


# -- several plans: a 方案 column, --plan picks one ---------------------------------------------------------

def test_two_plans_carry_a_plan_column_and_plan_picks_one(runner, home):
    other = home / "shanting.txt"
    other.write_text(OTHER, encoding="utf-8")
    built = run(runner, "build", str(lishan_txt(home)), str(other)).stdout.splitlines()
    assert built[-1] == "工作区 oxigraph:graph/store：2 份方案；tasks、workload、matrix 等命令都据此作答（--plan 选一份）"
    both = "2 份方案：历山区科普工作实施方案（历政办字〔2023〕5号）；山亭区科普工作要点（山政办字〔2024〕2号）"
    out = run(runner, "tasks", "区科协").stdout.splitlines()
    assert out[0] == both
    assert out[1].split() == ["方案", "序号", "角色", "章节", "任务"]
    assert [(ln.split()[0], ln.split()[1]) for ln in out[3:]] == [
        ("历政办字〔2023〕5号", "m1"), ("历政办字〔2023〕5号", "m2"), ("历政办字〔2023〕5号", "m3"),
        ("山政办字〔2024〕2号", "m1"), ("山政办字〔2024〕2号", "m2")]
    work = run(runner, "workload", "--format", "csv").stdout.splitlines()
    assert work[:3] == [both, "方案,单位,类别,任务数,牵头,配合,负责,分担",
                        "历政办字〔2023〕5号、山政办字〔2024〕2号,区科协,群团组织,5,2,2,1,2.167"]
    sparql = run(runner, "sparql", "tasks-of-unit", "--param", "unit=区科协").stdout.splitlines()
    assert sparql[1].split() == ["方案", "单位", "序号", "角色", "章节", "任务"]
    assert [ln.split()[0] for ln in sparql[3:]] == ["历政办字〔2023〕5号"] * 3 + ["山政办字〔2024〕2号"] * 2
    risks = run(runner, "risks").stdout.splitlines()
    assert risks[0] == both and risks[2].split()[0] == "方案"
    groups = json.loads(run(runner, "communities", "--format", "json").stdout)
    assert {tuple(g["plans"]) for g in groups} == {("历政办字〔2023〕5号", "山政办字〔2024〕2号")}
    run(runner, "matrix", "-o", "m.xlsx")
    division = openpyxl.load_workbook("m.xlsx")["任务分工表"]
    assert [c.value for c in division[3]][:3] == ["序号", "方案", "任务"]
    run(runner, "sheets", "-o", "sheets")
    sheet = openpyxl.load_workbook("sheets/区科协.xlsx").active
    assert [c.value for c in sheet[3]][:2] == ["序号", "方案"] and sheet.max_row == 3 + 5
    # --plan by id, 文号, title or file name
    for pick in ("山政办字-2024-2号", "山政办字〔2024〕2号", "山亭区科普工作要点", "shanting.txt", "shanting"):
        out = run(runner, "tasks", "区科协", "--plan", pick).stdout.splitlines()
        assert out[0] == "方案：山亭区科普工作要点（山政办字〔2024〕2号）" and len(out) == 3 + 2, pick
    result = runner.invoke(main, ["workload", "--plan", "山政办字-2024-3号"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: oxigraph:graph/store: no plan '山政办字-2024-3号' in the store; "
                             "did you mean 山政办字-2024-2号、历政办字-2023-5号?\n")


def test_a_corpus_store_of_two_plans_has_a_plan_column_too(runner, home):
    # issue 22.5: across plans of a --store, tasks and tasks-of-unit listed m1, m2 … twice, unnamed
    other = home / "shanting.txt"
    other.write_text(OTHER, encoding="utf-8")
    run(runner, "build", str(lishan_txt(home)), str(other), "--store", "oxigraph:corpus")
    assert not (home / "graph").exists()  # a corpus build leaves the workspace alone
    tasks = run(runner, "tasks", "区科协", "--store", "oxigraph:corpus", "--format", "json").stdout
    assert [(d["plan"], d["id"]) for d in json.loads(tasks)] == [
        ("历政办字〔2023〕5号", "m1"), ("历政办字〔2023〕5号", "m2"), ("历政办字〔2023〕5号", "m3"),
        ("山政办字〔2024〕2号", "m1"), ("山政办字〔2024〕2号", "m2")]
    out = run(runner, "sparql", "tasks-of-unit", "--param", "unit=区科协", "--store", "oxigraph:corpus").stdout
    assert [ln.split()[:3] for ln in out.splitlines()[3:]] == [
        ["历政办字〔2023〕5号", "区科协", "m1"], ["历政办字〔2023〕5号", "区科协", "m2"], ["历政办字〔2023〕5号", "区科协", "m3"],
        ["山政办字〔2024〕2号", "区科协", "m1"], ["山政办字〔2024〕2号", "区科协", "m2"]]
    # the workspace is still empty: the sample answers, saying so
    assert run(runner, "tasks", "区科协").stdout.splitlines()[0] == SAMPLE_LINE


def test_plan_with_nothing_built_says_to_build(runner, home):
    result = runner.invoke(main, ["workload", "--plan", "lishan"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: --plan lishan: no plan has been built yet (the workspace oxigraph:graph/store "
                             "is empty); build one with 'kepugraph build FILE'\n")


def test_the_workspace_moves_with_kepugraph_store(runner, home, monkeypatch):
    monkeypatch.setenv("KEPUGRAPH_STORE", str(home / "elsewhere"))
    run(runner, "build", str(lishan_txt(home)), "-o", "out")
    assert (home / "elsewhere" / "CURRENT").is_file() and not (home / "out" / "store").exists()
    assert run(runner, "workload").stdout.splitlines()[0] == LISHAN_LINE
    monkeypatch.delenv("KEPUGRAPH_STORE")
    assert run(runner, "workload").stdout.splitlines()[0] == SAMPLE_LINE


# -- one plan is one plan -------------------------------------------------------------------------------------

def test_a_plans_copies_built_together_are_one_plan(runner, home):
    files = [lishan_docx(home), lishan_xlsx(home), lishan_txt(home)]
    out = run(runner, "build", *map(str, files)).stdout.splitlines()
    assert out[-3:] == ["lishan-2023.xlsx：与 lishan-2023.docx 是同一方案" + out[-3].split("同一方案")[1],
                        "lishan-2023.txt：与 lishan-2023.xlsx 是同一方案（历山区科普工作实施方案），已替换",
                        "工作区 oxigraph:graph/store：1 份方案；tasks、workload、matrix 等命令都据此作答"]
    plans = json.loads(run(runner, "plans", "--format", "json").stdout)
    assert [(p["id"], p["title"], p["measures"]) for p in plans] == [("历政办字-2023-5号", LISHAN, 3)]
    # built again, one by one: still one plan, each copy replacing the last
    for f in files:
        assert run(runner, "build", str(f)).stdout.splitlines()[-1].startswith("工作区 oxigraph:graph/store：1 份方案")
    assert run(runner, "workload", "--format", "json").stdout.count('"unit": "区科协"') == 1


def test_each_copy_gives_the_same_title_and_no_separator_in_the_office_files(runner, home):
    for make in (lishan_docx, lishan_xlsx, lishan_txt):
        path = make(home)
        run(runner, "build", str(path))
        plans = json.loads(run(runner, "plans", "--format", "json").stdout)
        assert [p["title"] for p in plans] == [LISHAN], path.name
        run(runner, "matrix", "-o", "m.xlsx")
        run(runner, "sheets", "-o", "sheets")
        cells = [str(c.value) for ws in openpyxl.load_workbook("m.xlsx") for row in ws.iter_rows() for c in row
                 if c.value is not None]
        cells += [str(c.value) for f in Path("sheets").glob("*.xlsx") for row in openpyxl.load_workbook(f).active.iter_rows()
                  for c in row if c.value is not None]
        assert [c for c in cells if "|" in c] == [], path.name


# -- validate and push answer for the workspace too; a build takes the workspace before writing ---------

def _conforms(runner_or_none, home, *args) -> list[str]:
    if runner_or_none is None:
        done = subprocess.run([sys.executable, "-m", "kepugraph", *args], capture_output=True, text=True,
                              timeout=180, cwd=home)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()
    return run(runner_or_none, *args).stdout.splitlines()


def _triples(home, name: str) -> int:
    from rdflib import Graph

    return len(Graph().parse(home / "graph" / name, format="turtle"))


def test_validate_answers_for_the_workspace_or_says_it_is_the_sample(runner, home):
    assert _conforms(runner, home, "validate") == [SAMPLE_LINE, "conforms: 31 measures, 2904 triples"]
    run(runner, "build", str(lishan_txt(home)))
    lishan = _triples(home, "lishan-2023.ttl")
    assert _conforms(runner, home, "validate") == [LISHAN_LINE, f"conforms: 3 measures, {lishan} triples"]
    (home / "other.txt").write_text(OTHER, encoding="utf-8")
    run(runner, "build", "other.txt")
    other = _triples(home, "other.ttl")
    assert _conforms(runner, home, "validate") == [
        f"2 份方案：{LISHAN}（{LISHAN_NO}）；山亭区科普工作要点（山政办字〔2024〕2号）",
        f"{LISHAN_NO}: conforms: 3 measures, {lishan} triples",
        f"山政办字〔2024〕2号: conforms: 2 measures, {other} triples"]
    assert _conforms(runner, home, "validate", "--plan", "lishan-2023") == [
        LISHAN_LINE, f"conforms: 3 measures, {lishan} triples"]
    # a graph file named: that graph, named by the plan it holds
    assert _conforms(runner, home, "validate", "graph/other.ttl") == [
        "方案：山亭区科普工作要点（山政办字〔2024〕2号）", f"conforms: 2 measures, {other} triples"]


def test_validate_as_a_subprocess(home):
    assert _conforms(None, home, "validate") == [SAMPLE_LINE, "conforms: 31 measures, 2904 triples"]
    _conforms(None, home, "build", str(lishan_txt(home)))
    assert _conforms(None, home, "validate") == [
        LISHAN_LINE, f"conforms: 3 measures, {_triples(home, 'lishan-2023.ttl')} triples"]


@pytest.fixture
def sparql_server(tmp_path_factory, oxigraph_serve):
    """A real Oxigraph SPARQL server on 127.0.0.1 to push to."""
    with oxigraph_serve(tmp_path_factory.mktemp("push")) as base:
        yield base


def _plans_at(base: str) -> list[str]:
    import urllib.parse
    import urllib.request

    query = "SELECT ?p WHERE { ?p a <https://w3id.org/kepugraph#Plan> } ORDER BY ?p"
    req = urllib.request.Request(f"{base}/query?query={urllib.parse.quote(query)}",
                                 headers={"Accept": "application/sparql-results+json"})
    rows = json.loads(urllib.request.urlopen(req, timeout=10).read())["results"]["bindings"]
    return [r["p"]["value"].rsplit("/", 1)[-1] for r in rows]


def test_push_answers_for_the_workspace_or_says_it_is_the_sample(runner, home, sparql_server):
    endpoint = f"{sparql_server}/query"
    assert _conforms(runner, home, "push", "--endpoint", endpoint) == [
        SAMPLE_LINE, f"2904 triples → {sparql_server}/store (graph <https://w3id.org/kepugraph/id/泰山政办字-2022-7号>)"]
    run(runner, "build", str(lishan_txt(home)))
    (home / "other.txt").write_text(OTHER, encoding="utf-8")
    run(runner, "build", "other.txt")
    out = _conforms(runner, home, "push", "--endpoint", endpoint, "--plan", LISHAN_NO)
    assert out[0] == LISHAN_LINE and len(out) == 2
    assert out[1].endswith(f"triples → {sparql_server}/store (graph <https://w3id.org/kepugraph/id/历政办字-2023-5号>)")
    assert _plans_at(sparql_server) == ["历政办字-2023-5号", "泰山政办字-2022-7号"]
    # a subprocess, every plan of the workspace: each into its own named graph
    out = _conforms(None, home, "push", "--endpoint", endpoint)
    assert out[0].startswith("2 份方案：") and len(out) == 3
    assert [line.rsplit("/", 1)[-1] for line in out[1:]] == ["历政办字-2023-5号>)", "山政办字-2024-2号>)"]
    assert _plans_at(sparql_server) == ["历政办字-2023-5号", "山政办字-2024-2号", "泰山政办字-2022-7号"]


def _nothing_written(home) -> bool:
    graph = home / "graph"
    return not any(p.suffix in (".ttl", ".html") for p in graph.rglob("*")) if graph.exists() else True


def test_a_build_with_the_workspace_in_use_writes_nothing(runner, home):
    store_dir = home / "graph" / "store"
    store_dir.parent.mkdir()
    # another process holding the workspace (RocksDB's lock), as a running command does
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
                               "print('ready', flush=True); sys.stdin.read()", str(store_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "ready\n"
        src = lishan_txt(home)
        result = runner.invoke(main, ["build", str(src)])
        assert result.exit_code == 1
        assert result.stderr == ("Error: oxigraph:graph/store: the store is in use by another kepugraph command; "
                                 "try again when it has finished\n")
        assert result.stdout == "" and _nothing_written(home)
        done = subprocess.run([sys.executable, "-m", "kepugraph", "build", str(src)], capture_output=True,
                              text=True, timeout=180, cwd=home)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", result.stderr)
        assert _nothing_written(home)
    finally:
        holder.communicate("", timeout=30)
    run(runner, "build", str(src))  # released: the same build goes through
    assert (home / "graph" / "lishan-2023.ttl").is_file()


def test_a_build_into_a_foreign_store_folder_writes_nothing(runner, home):
    (home / "graph" / "store").mkdir(parents=True)
    (home / "graph" / "store" / "notes.txt").write_text("不是方案库", encoding="utf-8")
    src = lishan_txt(home)
    message = ("Error: oxigraph:graph/store: not an empty folder nor a store: a store goes in a folder of its own\n")
    result = runner.invoke(main, ["build", str(src)])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    assert _nothing_written(home)
    done = subprocess.run([sys.executable, "-m", "kepugraph", "build", str(src)], capture_output=True, text=True,
                          timeout=180, cwd=home)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", message)
    assert _nothing_written(home) and sorted(p.name for p in (home / "graph").rglob("*")) == ["notes.txt", "store"]


def test_validate_and_push_say_when_a_plan_s_graph_is_gone_or_plan_is_misused(runner, home):
    run(runner, "build", str(lishan_txt(home)))
    (home / "graph" / "lishan-2023.ttl").unlink()
    message = (f"Error: {LISHAN}（{LISHAN_NO}）: its built graph (graph/lishan-2023.ttl) is missing or holds another "
               "plan; build it again (kepugraph build lishan-2023.txt) or name a graph with --graph\n")
    result = runner.invoke(main, ["validate"])
    assert (result.exit_code, result.stderr) == (1, message)
    result = runner.invoke(main, ["push", "--endpoint", "http://127.0.0.1:9/query"])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)
    result = runner.invoke(main, ["push", "--endpoint", "http://127.0.0.1:9/query", "--plan", "x", "lishan-2023.txt"])
    assert result.exit_code == 2
    assert "--plan picks a plan of the workspace, not of plan files, --graph or --store" in result.stderr


def test_two_workspaces_of_one_name_open_in_one_process(tmp_path, monkeypatch):
    """RocksDB keeps the locks a process holds by the path as given: graph/store open in one
    folder made graph/store in another seem 'in use by another kepugraph command' (a notebook or
    a test run moving between folders). Stores open by their absolute path."""
    from kepugraph.store.oxigraph import OxigraphStore

    for folder in ("a", "b"):
        (tmp_path / folder / "graph").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a")
    first = OxigraphStore("graph/store")
    monkeypatch.chdir(tmp_path / "b")
    second = OxigraphStore("graph/store")
    assert second.name == "oxigraph:graph/store" and second.is_empty()
    with pytest.raises(StoreError) as held:  # the same folder twice is still refused, plainly
        OxigraphStore(tmp_path / "a" / "graph" / "store")
    assert str(held.value).endswith("the store is in use by another kepugraph command; try again when it has finished")
    first.close()
    second.close()


def test_a_unit_in_many_plans_names_five_and_counts_the_rest(runner, home):
    """A national corpus puts one unit in thousands of plans: the first line and the 方案 cell
    name five and count the rest, never thousands of labels in one cell."""
    for i in range(7):
        src = home / f"plan{i}.txt"
        src.write_text(f"关于印发某区第{i + 1}号科普方案的通知\n某政办字〔2024〕{i + 1}号\n某区第{i + 1}号科普方案\n"
                       "一、任务\n1.开展科普活动。（区科协负责）\n", encoding="utf-8")
        run(runner, "build", str(src))
    out = run(runner, "workload").stdout.splitlines()
    assert out[0].startswith("7 份方案：") and out[0].endswith(" 等 7 份方案")
    assert out[0].count("；") == 4
    rows = run(runner, "workload", "--format", "json").stdout
    assert json.loads(rows)[0]["plan"] == "、".join(f"某政办字〔2024〕{i}号" for i in range(1, 6)) + " 等 7 份方案"
