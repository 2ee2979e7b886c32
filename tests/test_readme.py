"""Every command shown in the README runs, and prints what the README shows."""

import re
import shlex
from pathlib import Path

import pytest

from kepugraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


OWN_PLANS = README[README.index("## Your own plans"):README.index("## Reading a plan")]


def _console_examples(text=README):
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            if lines[i].startswith("$ kepugraph "):
                cmd = lines[i][2:]
                i += 1
                shown = []
                while i < len(lines) and not lines[i].startswith("$ "):
                    shown.append(lines[i])
                    i += 1
                while shown and not shown[-1].strip():
                    shown.pop()
                out.append((cmd, shown))
            else:
                i += 1
    return out


WALKTHROUGH = _console_examples(OWN_PLANS)  # one user's session, run in order in one folder
EXAMPLES = [e for e in _console_examples() if e not in WALKTHROUGH]


def test_readme_has_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("cmd, shown", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(runner, cmd, shown, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # build writes graph/ here, as the README shows
    if "--store oxigraph:corpus" in cmd:  # the README's corpus: the reference plan and the fixtures
        from kepugraph.reading.source import BUNDLED_PLAN

        fixtures = Path(__file__).resolve().parent / "data" / "corpus"
        built = runner.invoke(main, ["build", str(BUNDLED_PLAN), str(fixtures / "shandong-province.txt"),
                                     str(fixtures / "taian-city.txt"), "--store", "oxigraph:corpus"])
        assert built.exit_code == 0, built.output
    result = runner.invoke(main, shlex.split(cmd)[1:])
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    if shown and shown[-1] == "…":  # the README shows the first lines only
        printed, shown = printed[: len(shown) - 1], shown[:-1]
    assert len(printed) == len(shown)
    for got, want in zip(printed, shown):
        if "…" in want and "…" not in got:  # a long line cut short in the README
            assert got.startswith(want[: want.index("…")])
        else:
            assert got == want


def test_readme_your_own_plans_walkthrough(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEPUGRAPH_STORE", raising=False)
    monkeypatch.setattr("kepugraph.store.workspace.DEFAULT_FOLDER", "graph")  # the real default, here
    (tmp_path / "lishan-2023.txt").write_bytes((ROOT / "docs" / "lishan-2023.txt").read_bytes())
    assert [cmd for cmd, _ in WALKTHROUGH] == ["kepugraph build lishan-2023.txt", "kepugraph tasks 区科学技术协会",
                                              "kepugraph matrix -o 任务分工.xlsx", "kepugraph sheets -o sheets --format docx"]
    for cmd, shown in WALKTHROUGH:
        result = runner.invoke(main, shlex.split(cmd)[1:])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == shown, cmd
    assert result.stderr == ""
    assert runner.invoke(main, ["tasks", "区科学技术协会"]).stderr == "单位：区科学技术协会 → 区科协\n"
    assert (tmp_path / "任务分工.xlsx").is_file() and len(list((tmp_path / "sheets").glob("*.docx"))) == 5


def test_readme_python_api_runs(capsys):
    block = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "泰山政办字〔2022〕7号 31"
    assert out[1].startswith("区科协 27 5.385")
    assert out[-1] == "('区科协', '区科学技术局')"


def test_readme_table_lists_every_command():
    for name in main.commands:
        assert f"| `kepugraph {name}" in README, name
