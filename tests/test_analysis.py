"""Workload, pairs, partners, structure and exports, counted on the reference plan."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from kepugraph import analysis
from kepugraph.cli import main
from kepugraph.errors import UnknownUnitError
from kepugraph.names import unit_kind
from kepugraph.reading.source import BUNDLED_PLAN

SAMPLE_LINE = "示例方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）；建立自己的方案：kepugraph build 文件"


def _lists_from_text():
    """An independent oracle: the unit lists of the 按职责分工负责 annotations, by regex."""
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    return [m.group(1).split("、") for m in re.finditer(r"（([^（）]+)按职责分工负责）", text)]


def test_workload_of_several_units(rows, graph):
    load = {r.unit: r for r in analysis.workload(rows, kinds=analysis.unit_kinds(graph))}
    lists = _lists_from_text()
    for unit, extra in (("区科协", 1), ("区教育和体育局", 0), ("区委宣传部", 0), ("团区委", 0)):
        annotated = [units for units in lists if unit in units]
        row = load[unit]
        assert row.measures == len(annotated) + extra
        assert row.share == pytest.approx(sum(1 / len(u) for u in annotated) + extra, abs=1e-4)
    assert (load["区科协"].measures, load["区科协"].lead, load["区科协"].joint) == (27, 1, 26)
    assert (load["区教育和体育局"].measures, load["区教育和体育局"].joint) == (13, 13)
    assert [r.unit for r in analysis.workload(rows)[:3]] == ["区科协", "区科学技术局", "区委宣传部"]


def test_workload_by_part_and_kind(rows, graph):
    by_part = analysis.workload(rows, by="part")
    assert [r.group for r in by_part][0] == "（一）提升行动"
    kx = {r.group: r.measures for r in by_part if r.unit == "区科协"}
    assert kx == {"（一）提升行动": 14, "（二）重点工程": 12, "四、保障措施": 1}
    by_kind = {r.unit: r for r in analysis.workload(rows, by="kind", kinds=analysis.unit_kinds(graph))}
    assert (by_kind["党委部门"].units, by_kind["党委部门"].measures) == (3, 15)
    assert by_kind["群团组织"].units == 4


MIXED_DEPTHS = """某区科普工作实施方案

一、重点任务
（一）青少年科学素质提升行动
1.科学教育
（1）推进中小学科学教育改革。（区教育局、区科协按职责分工负责）
（2）建设科技辅导员队伍。（区教育局牵头，区科协配合）
2.校外活动
（1）开展青少年科技节。（区科协负责）
（二）农民科学素质提升行动
1.开展农业技术培训。（区农业农村局负责）
二、保障措施
（一）加强组织领导。（区科协负责）
"""


def test_parts_keep_one_level_when_measures_stand_at_different_depths(tmp_path):
    """Under 一、 some measures stand three headings deep, one only two: its part is （二）,
    beside （一）, never 一、 above both; 二、保障措施, with no part below it, stays a part."""
    from kepugraph.extraction.parser import parse_source
    from kepugraph.rdf.rows import plan_rows
    from kepugraph.reading.source import read_source

    src = tmp_path / "plan.txt"
    src.write_text(MIXED_DEPTHS, encoding="utf-8")
    rows = plan_rows(parse_source(read_source(src)))
    assert [r.path[-1] for r in rows] == ["1.科学教育", "1.科学教育", "2.校外活动", "（二）农民科学素质提升行动",
                                          "二、保障措施"]
    assert analysis.parts_of(rows) == ["（一）青少年科学素质提升行动"] * 3 + ["（二）农民科学素质提升行动", "二、保障措施"]
    by_part = [(r.group, r.unit, r.measures) for r in analysis.workload(rows, by="part")]
    assert by_part == [("（一）青少年科学素质提升行动", "区科协", 3), ("（一）青少年科学素质提升行动", "区教育局", 2),
                       ("（二）农民科学素质提升行动", "区农业农村局", 1), ("二、保障措施", "区科协", 1)]


def test_pairs(rows):
    top = analysis.pairs(rows, top=3)
    assert [(p.units, p.shared) for p in top] == [
        (("区科协", "区科学技术局"), 26), (("区科学技术局", "区委宣传部"), 13), (("区科协", "区委宣传部"), 13)]
    assert top[0].jaccard == pytest.approx(26 / 27, abs=1e-4)
    assert top[0].measures[0] == "将弘扬科学精神贯穿于育人全链条"
    assert all(p.shared >= 10 for p in analysis.pairs(rows, min_shared=10))
    # the oracle: pairs counted over the annotation lists read by regex
    import collections
    import itertools

    counted = collections.Counter(p for units in _lists_from_text() for p in itertools.combinations(sorted(units), 2))
    assert {tuple(sorted(p.units)): p.shared for p in analysis.pairs(rows, min_shared=10)} == {
        k: v for k, v in counted.items() if v >= 10}
    assert len(analysis.pairs(rows, min_shared=10)) == 8


def test_partners_of_one_unit(rows):
    got = [(p.units[1], p.shared) for p in analysis.partners(rows, "区委党校")]
    assert got == [("区委组织部", 2), ("区人力资源和社会保障局", 2), ("区科学技术局", 2), ("区科协", 2), ("区委宣传部", 1)]
    with pytest.raises(UnknownUnitError) as info:
        analysis.partners(rows, "区委党校办")
    assert info.value.close == ["区委党校"]


def test_risks_cli_says_the_plan_level_picture_first(runner):
    out = runner.invoke(main, ["risks"]).stdout.splitlines()
    assert out[0] == SAMPLE_LINE  # what the answer is for, then the plan-level picture
    assert out[1] == "31 项任务中 29 项为共同负责，未指定牵头单位"
    assert out[2].split() == ["风险", "序号", "单位数", "任务", "单位"]
    assert "配合单位无牵头" not in "\n".join(out)


def test_risks(rows):
    r = analysis.risks(rows)
    assert [m.title for m in r.single_unit] == ["区政府负责《科学素质纲要》实施工作", "区科协牵头实施《科学素质纲要》"]
    assert [(m.id, len(m.units)) for m in r.diffuse] == [("m3", 14), ("m5", 13), ("m26", 11), ("m27", 10)]
    assert r.no_lead == [] and len(r.joint_only) == 29  # 按职责分工负责 throughout: said once
    assert r.summary == "31 项任务中 29 项为共同负责，未指定牵头单位"
    assert r.named_once == ["区政府"]


@pytest.mark.parametrize("name, kind", [
    ("区委宣传部", "party"), ("区委组织部", "party"), ("区委党校", "party"), ("区教育和体育局", "government"),
    ("区科协", "mass"), ("团区委", "mass"), ("区总工会", "mass"), ("区融媒体中心", "institution"),
    ("区林业保护发展中心", "institution"), ("市生态环境局泰山分局", "branch"), ("区气象局", "branch"),
    ("各街道办事处", "collective"), ("各成员单位", "collective"), ("区政府", "government"),
])
def test_unit_kinds(name, kind):
    assert unit_kind(name) == kind


def test_centrality_and_reproducible_communities(rows):
    found, note = analysis.centrality(rows)
    assert str(note) == "betweenness exact over 25 units in 2 groups"  # 区政府 shares no measure
    assert [(c.unit, c.degree, c.weighted_degree) for c in found[:2]] == [("区科协", 23, 153), ("区科学技术局", 23, 153)]
    first = analysis.communities(rows, seed=42)
    assert first == analysis.communities(rows, seed=42)
    assert sum(len(c) for c in first) == 25
    assert {"区科协", "区科学技术局"} <= set(first[0])
    assert ["区政府"] in first  # named only in the prose of 保障措施, with nobody else


def test_projection_weights(rows):
    g = analysis.projection(rows)
    assert g["区科协"]["区科学技术局"]["weight"] == 26
    assert g.number_of_nodes() == 25
    b = analysis.bipartite(rows)
    assert b.number_of_edges() == sum(len(r.units) for r in rows) == 201


def test_matrix_xlsx(runner, tmp_path):
    out = tmp_path / "任务分工.xlsx"
    result = runner.invoke(main, ["matrix", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == f"{SAMPLE_LINE}\n31 measures × 25 units → {out}\n"
    wb = load_workbook(out)
    assert wb.sheetnames == ["责任矩阵", "任务分工表"]
    ws = wb["责任矩阵"]
    assert ws.max_row == 34 and ws.max_column == 28  # title, plan, header, 31 measures
    assert ws["A1"].value == "责任矩阵"
    assert ws["A2"].value == ("示例方案 《泰山区全民科学素质行动规划纲要实施方案（2021-2025年）》（泰山政办字〔2022〕7号，2022年5月31日）"
                              "（建立自己的方案：kepugraph build 文件）")
    header = [c.value for c in ws[3]]
    assert header[:5] == ["序号", "章节", "任务", "区科协", "区科学技术局"]
    assert [c.value for c in ws[4]][:4] == [1, "1.青少年科学素质提升行动", "将弘扬科学精神贯穿于育人全链条", "负责"]
    assert ws.freeze_panes == "D4"
    col = header.index("区科协") + 1
    assert [ws.cell(row=r, column=col).value for r in range(4, 35)].count("负责") == 26
    assert ws.cell(row=34, column=col).value == "牵头"
    div = wb["任务分工表"]
    assert [c.value for c in div[3]] == ["序号", "任务", "牵头单位", "配合/责任单位", "完成时限", "量化目标"]
    assert [c.value for c in div[34]] == [31, "区科协牵头实施《科学素质纲要》，完善科学素质工作内容，加强综合协调和服务，"
                                          "共同推进科学素质建设。", "区科协", None, None, None]
    assert div["B4"].alignment.wrap_text


def test_matrix_csv_round_trips(runner, tmp_path):
    out = tmp_path / "m.csv"
    assert runner.invoke(main, ["matrix", "-o", str(out)]).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == ["示例方案 《泰山区全民科学素质行动规划纲要实施方案（2021-2025年）》（泰山政办字〔2022〕7号，"
                        "2022年5月31日）（建立自己的方案：kepugraph build 文件）"]
    assert len(table) == 33 and table[1][3] == "区科协" and table[2][3] == "负责"


def test_matrix_refuses_other_suffixes(runner, tmp_path):
    result = runner.invoke(main, ["matrix", "-o", str(tmp_path / "m.txt")])
    assert result.exit_code == 2
    assert "Invalid value for '-o': must end in .xlsx or .csv" in result.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_sheets_per_unit(runner, tmp_path, fmt):
    result = runner.invoke(main, ["sheets", "-o", str(tmp_path), "--format", fmt])
    assert result.exit_code == 0 and result.stdout == f"{SAMPLE_LINE}\n25 sheets → {tmp_path}\n"
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 25 and f"区委组织部.{fmt}" in files
    if fmt == "xlsx":
        ws = load_workbook(tmp_path / "区委组织部.xlsx").active
        assert [c.value for c in ws[3]] == ["序号", "章节", "任务及要求", "本单位角色", "合作单位（角色）", "量化目标", "完成时限"]
        assert [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)] == [16, 17, 28]
        teacher = load_workbook(tmp_path / "区教育和体育局.xlsx").active
        targets = [teacher.cell(row=r, column=6).value for r in range(4, teacher.max_row + 1)]
        assert "每年培训科技辅导员不少于50人次" in targets
    else:
        from docx import Document

        doc = Document(tmp_path / "区委组织部.docx")
        assert doc.paragraphs[0].text == "区委组织部任务清单"
        assert len(doc.tables[0].rows) == 4


@pytest.mark.parametrize("cmd", [["workload"], ["pairs", "--top", "2"], ["partners", "区科协"], ["centrality"],
                                 ["communities"], ["risks"], ["units"]])
@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_every_format(runner, cmd, fmt, tmp_path):
    result = runner.invoke(main, cmd + ["--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), list)
    elif fmt == "csv":
        assert len(list(csv.reader(io.StringIO(result.stdout)))) >= 2
    elif fmt == "md":
        assert result.stdout.splitlines()[0] == SAMPLE_LINE and result.stdout.splitlines()[3].startswith("|---")
    out = tmp_path / f"out.{fmt}"
    assert runner.invoke(main, cmd + ["--format", fmt, "-o", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") == (fmt == "csv")


def test_workload_json_rows(runner):
    data = json.loads(runner.invoke(main, ["workload", "--format", "json"]).stdout)
    assert data[0] == {"unit": "区科协", "kind": "群团组织", "measures": 27, "lead": 1, "support": 0, "joint": 26,
                       "share": 5.3857, "plan": "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）",
                       "sample": True}
    pairs = json.loads(runner.invoke(main, ["pairs", "--top", "1", "--format", "json"]).stdout)
    assert pairs[0]["units"] == ["区科协", "区科学技术局"] and pairs[0]["shared"] == 26
    assert pairs[0]["jaccard"] == 0.963 and len(pairs[0]["measures"]) == 26


def test_table_aligns_by_display_width(runner):
    lines = runner.invoke(main, ["workload"]).stdout.splitlines()
    from kepugraph.outputs.tables import display_width

    assert lines[0] == SAMPLE_LINE
    assert len({display_width(ln) for ln in lines[1:7]}) == 1


def test_centrality_group_by_group_equals_networkx_on_the_whole_graph(rows):
    """Betweenness and eigenvector found per group of linked units are the whole graph's."""
    import networkx as nx

    g = analysis.projection(rows)
    # two copies of the plan's units, kept apart: four groups (two big, 区政府 twice)
    twice = [r for r in rows] + [
        type(r)(**{**r.__dict__, "iri": r.iri + "#b", "units": [(f"乙·{n}", role) for n, role in r.units]}) for r in rows]
    found, note = analysis.centrality(twice)
    assert str(note) == "betweenness exact over 50 units in 4 groups"
    whole = analysis.projection(twice)
    for _, _, d in whole.edges(data=True):
        d["distance"] = 1 / d["weight"]
    btw = nx.betweenness_centrality(whole, weight="distance")
    one = nx.eigenvector_centrality(g, weight="weight", max_iter=1000)  # the plan's own group
    got = {c.unit: c for c in found}
    assert len(got) == 2 * len(g) == 50
    for u in whole:
        assert got[u].betweenness == round(btw[u], 4)
    # equal eigenvalues in the two big groups: the leading eigenvector spreads over both
    for u in g:
        if u != "区政府":
            assert got[u].eigenvector == got[f"乙·{u}"].eigenvector == round(one[u] / 2 ** 0.5, 4)
    assert got["区政府"].eigenvector == got["乙·区政府"].eigenvector == 0.0


def test_centrality_samples_pivots_over_groups_when_large(rows):
    twice = list(rows) + [
        type(r)(**{**r.__dict__, "iri": r.iri + "#b", "units": [(f"乙·{n}", role) for n, role in r.units]}) for r in rows]
    found, note = analysis.centrality(twice, sample_over=20)
    # 48 units in two groups of 24 get 10 pivots each; the two lone 区政府 none
    assert str(note) == "betweenness sampled from 20 pivots over 50 units in 4 groups (seed 42)"
    assert found == analysis.centrality(twice, sample_over=20)[0]  # seeded: the same again
    assert all(c.betweenness >= 0 for c in found)
