"""Deadlines and versions (issue #17): what is due by a date, what changed between two plans."""

import json

from kepugraph import analysis
from kepugraph.cli import main
from kepugraph.reading.source import BUNDLED_PLAN

DATED = ("一、任务\n1.开展科普进校园活动。（区科协负责）\n完成时限：2025年6月底前\n"
         "2.建设科普基地。（区教育局负责）\n完成时限：2024年底前\n"
         "3.到2026年建成科普馆。（区文旅局负责）\n"
         "4.完善机制。（区科技局负责）\n完成时限：长期坚持\n")


def test_deadlines_sorted_by_the_last_day_allowed(runner, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(DATED, encoding="utf-8")
    assert runner.invoke(main, ["build", str(path), "-o", str(tmp_path / "g")]).exit_code == 0
    graph = str(tmp_path / "g" / "plan.ttl")
    result = runner.invoke(main, ["deadlines", "--graph", graph, "--format", "json"])
    got = [(d["date"], d["deadline"], d["id"], d["source"]) for d in json.loads(result.stdout)]
    assert got == [("2024-12-31", "2024年底前", "m2", "deadline"), ("2025-06-30", "2025年6月底前", "m1", "deadline"),
                   (None, "长期坚持", "m4", "deadline")]
    before = runner.invoke(main, ["deadlines", "--graph", graph, "--before", "2025-01-01", "--format", "csv"])
    assert before.stdout.splitlines() == ["方案：plan", "日期,完成时限,序号,任务,单位",
                                          "2024-12-31,2024年底前,m2,建设科普基地,区教育局(负责)"]
    english = runner.invoke(main, ["deadlines", "--graph", graph, "--lang", "en"]).stdout.splitlines()
    assert english[:2] == ["Plan: plan", "date        deadline       id  measure             unit"]
    bad = runner.invoke(main, ["deadlines", "--before", "2025-13-01"])
    assert bad.exit_code == 2 and "'2025-13-01' is not a date like 2025-12-31" in bad.stderr


def test_diff_of_the_bundled_plan_and_an_edited_copy(runner, tmp_path):
    text = BUNDLED_PLAN.read_text(encoding="utf-8")
    lines = text.split("\n")
    removed = next(i for i, line in enumerate(lines) if line.startswith("——提升基础教育阶段科技教育水平"))
    del lines[removed]  # m2 removed
    first = next(i for i, line in enumerate(lines) if line.startswith("——将弘扬科学精神贯穿于育人全链条"))
    lines[first] = lines[first].replace("区融媒体中心、", "")  # one unit dropped from m1
    lines.insert(first + 1, "——开展青少年科技创新大赛。每年举办一届，覆盖全区中小学。（区科协、区教育和体育局按职责分工负责）")
    edited = tmp_path / "edited.txt"
    edited.write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(main, ["diff", str(BUNDLED_PLAN), str(edited), "--format", "json"])
    assert result.exit_code == 0, result.output
    changes = [(c["change"], c["old"], c["new"], c["title"], c["units_added"], c["units_dropped"])
               for c in json.loads(result.stdout)]
    assert changes == [
        ("changed", "m1", "m1", "将弘扬科学精神贯穿于育人全链条", [], ["区融媒体中心"]),
        ("added", None, "m2", "开展青少年科技创新大赛", [], []),
        ("removed", "m2", None, "提升基础教育阶段科技教育水平", [], []),
    ]
    table = runner.invoke(main, ["diff", str(BUNDLED_PLAN), str(edited)]).stdout.splitlines()
    assert table[0].split() == ["变化", "原序号", "新序号", "任务", "新增单位", "删去单位", "角色变化"]
    same = runner.invoke(main, ["diff", str(BUNDLED_PLAN), str(BUNDLED_PLAN), "--format", "json"])
    assert json.loads(same.stdout) == []


def test_diff_reads_roles_that_changed():
    from kepugraph.rdf.rows import MeasureRow

    old = [MeasureRow(iri="a", id="m1", ordinal=1, title="开展科普活动", path=[], units=[("区科协", "support")])]
    new = [MeasureRow(iri="b", id="m1", ordinal=1, title="开展科普活动", path=[], units=[("区科协", "lead")])]
    (change,) = analysis.diff(old, new)
    assert (change.change, change.roles_changed) == ("changed", ["区科协: 配合 → 牵头"])
