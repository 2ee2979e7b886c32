"""Shared fixtures: a CLI runner, a tiny inline plan, the reference plan parsed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kepugraph import api
from kepugraph.rdf import measure_rows, plan_to_graph

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

TINY_PLAN = """\
关于印发某区科普工作实施方案的通知
某政办字〔2024〕3号
各街道办事处：
现将《某区科普工作实施方案》印发给你们。
某区人民政府办公室
2024年3月1日
一、重点任务
（一）青少年科普
——开展科技节活动。每年举办科技节不少于2场。（区教育局牵头，区科协、团区委配合）
——建设科普基地。（区科协负责）
"""


@pytest.fixture(autouse=True)
def no_workspace(tmp_path_factory, monkeypatch):
    """No test answers from a workspace it did not build: plans a developer built into the
    checkout's graph/store would otherwise answer where the tests expect the bundled sample.
    Queries look for the default workspace in a folder nothing is built into (a build still
    puts its plans into OUT_DIR/store; tests/test_workspace.py works in a folder of its own)."""
    monkeypatch.delenv("KEPUGRAPH_STORE", raising=False)
    monkeypatch.setattr("kepugraph.store.workspace.DEFAULT_FOLDER", str(tmp_path_factory.getbasetemp() / "no-graph"))


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def tiny_plan(tmp_path) -> Path:
    p = tmp_path / "tiny.txt"
    p.write_text(TINY_PLAN, encoding="utf-8")
    return p


@pytest.fixture(scope="session")
def plan():
    return api.parse()


@pytest.fixture(scope="session")
def graph(plan):
    return plan_to_graph(plan)


@pytest.fixture(scope="session")
def rows(graph):
    return measure_rows(graph)
