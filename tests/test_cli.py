"""The command line through CliRunner, and as a real subprocess of the installed script."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kepugraph.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_build_writes_turtle_and_prints_a_summary(runner, tmp_path):
    result = runner.invoke(main, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "taishan-kepu-plan-2021-2025.ttl"
    assert result.stdout == (f"泰山区全民科学素质行动规划纲要实施方案（2021-2025年）: 31 measures, 25 units, "
                             f"2904 triples, 0 warnings → {out}\n")
    assert out.read_bytes() == (ROOT / "graph" / out.name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.with_suffix(".html").name, out.name]


def test_extract_json_contract(runner, tiny_plan):
    result = runner.invoke(main, ["extract", str(tiny_plan)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["plan"] == {"title": "某区科普工作实施方案", "doc_number": "某政办字〔2024〕3号",
                            "issuer": "某区人民政府办公室", "date": "2024-03-01", "recipients": ["各街道办事处"],
                            "cites": [], "period": None, "notice": "关于印发某区科普工作实施方案的通知"}
    first = data["measures"][0]
    assert {k: first[k] for k in ("id", "path", "title", "span", "units")} == {
        "id": "m1", "path": ["一、重点任务", "（一）青少年科普"], "title": "开展科技节活动",
        "span": [first["span"][0], first["span"][0] + len(first["text"])],
        "units": [{"name": "区教育局", "role": "lead"}, {"name": "区科协", "role": "support"},
                  {"name": "团区委", "role": "support"}]}
    assert first["targets"][0]["value"] == 2 and first["targets"][0]["comparator"] == ">="
    assert data["warnings"] == []


def test_extract_table(runner):
    result = runner.invoke(main, ["extract", "--format", "table"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "标题: 泰山区全民科学素质行动规划纲要实施方案（2021-2025年）"
    # the covering notice's own title, beside the plan's
    assert lines[1] == "通知: 泰安市泰山区人民政府办公室关于印发泰山区全民科学素质行动规划纲要实施方案（2021-2025年）的通知"
    assert lines[2] == "文号: 泰山政办字〔2022〕7号"
    assert sum(1 for ln in lines if ln.startswith("m")) == 31


def test_units(runner):
    result = runner.invoke(main, ["units", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data) == 25
    # each row names what it answers for: the bundled sample, as nothing has been built here
    assert data[0] == {"unit": "区科协", "kind": "群团组织", "measures": 27, "lead": 1, "support": 0, "joint": 26,
                       "plan": "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）", "sample": True}
    assert data[1]["unit"] == "区科学技术局" and data[1]["measures"] == 26


def test_tasks_of_a_unit(runner):
    result = runner.invoke(main, ["tasks", "区教育和体育局", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data) == 13
    assert data[0]["id"] == "m1" and data[0]["role"] == "joint"
    assert data[0]["path"] == ["三、工作重点与分工", "（一）提升行动", "1.青少年科学素质提升行动"]
    # a short form finds the unit too
    assert json.loads(runner.invoke(main, ["tasks", "教体局", "--format", "json"]).stdout) == data


def test_tasks_shows_the_prose_lead(runner):
    data = json.loads(runner.invoke(main, ["tasks", "区科协", "--format", "json"]).stdout)
    assert [(d["title"], d["role"]) for d in data if d["role"] == "lead"] == [("区科协牵头实施《科学素质纲要》", "lead")]


def test_unknown_unit_lists_closest_names(runner):
    result = runner.invoke(main, ["tasks", "区科协会"])
    assert result.exit_code == 1
    assert result.stderr == "Error: no unit named '区科协会'; closest: 区科协\n"


def test_commands_take_a_built_graph(runner, tmp_path, tiny_plan):
    runner.invoke(main, ["build", str(tiny_plan), "-o", str(tmp_path)])
    result = runner.invoke(main, ["units", "--graph", str(tmp_path / "tiny.ttl"), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["方案：某区科普工作实施方案（某政办字〔2024〕3号）",
                                          "单位,类别,任务数,牵头,配合,负责", "区科协,群团组织,2,0,1,1",
                                          "区教育局,政府部门,1,1,0,0", "团区委,群团组织,1,0,1,0"]


@pytest.mark.parametrize("name, content, message", [
    ("missing.txt", None, "no such file"),
    ("empty.txt", b"", "file is empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary file, not a text document"),
    ("prose.txt", "一、总体要求\n全面提升科学素质。\n".encode(),
     "no measure with a responsibility annotation found (looked for （A、B按职责分工负责）, 牵头单位：A, "
     "a table with a 责任单位 column, 由A会同B负责)"),
    ("unread.txt", "一、总体要求\n开展科普活动，区科协、区教育局牵头组织实施，确保实效。\n".encode(),
     "no measure could be read: 1 stretches look like responsibilities (first at line 2: looks like a "
     "responsibility but was not read)"),
], ids=["missing", "empty", "binary", "no-measure", "unread-stretch"])
def test_bad_input(runner, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: {message}\n"
    assert not out.exists()


def test_failed_build_leaves_earlier_graph_untouched(runner, tmp_path, tiny_plan):
    runner.invoke(main, ["build", str(tiny_plan), "-o", str(tmp_path)])
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    tiny_plan.write_text("一、总体要求\n没有任务。\n", encoding="utf-8")
    assert runner.invoke(main, ["build", str(tiny_plan), "-o", str(tmp_path)]).exit_code == 1
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert sorted(after) == ["tiny.html", "tiny.ttl", "tiny.txt"] and (tmp_path / "store" / "CURRENT").is_file()
    assert {k: v for k, v in after.items() if k != "tiny.txt"} == {k: v for k, v in before.items() if k != "tiny.txt"}


def test_bad_graph_option(runner, tmp_path):
    p = tmp_path / "bad.ttl"
    p.write_text("not turtle at all", encoding="utf-8")
    result = runner.invoke(main, ["units", "--graph", str(p)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {p}: invalid turtle: ")
    assert result.stderr.count("\n") == 1


def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert "Example: kepugraph " + name in result.stdout, name
        assert f"kepugraph {name}" in readme, name


def test_installed_script_runs_as_a_subprocess(tmp_path):
    exe = shutil.which("kepugraph") or str(Path(sys.executable).with_name("kepugraph"))
    done = subprocess.run([exe, "build", "-o", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("泰山区全民科学素质行动规划纲要实施方案（2021-2025年）: 31 measures")
    done = subprocess.run([sys.executable, "-m", "kepugraph", "tasks", "区科协x"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr == "Error: no unit named '区科协x'; closest: 区科协\n"


def test_every_output_file_is_said(runner, tmp_path):
    for cmd in (["workload", "--format", "csv"], ["sparql", "workload", "--format", "xlsx"], ["queries", "--format", "md"]):
        out = tmp_path / f"{cmd[0]}.{cmd[-1]}"
        result = runner.invoke(main, cmd + ["-o", str(out)])
        assert result.exit_code == 0 and result.stdout == f"→ {out}\n" and out.stat().st_size > 0
