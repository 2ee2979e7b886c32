"""Shared fixtures: a CLI runner, a tiny inline plan, the reference plan parsed once, a real
Oxigraph SPARQL server to start, and a headless Chromium with a page opened offline."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kepugraph import api
from kepugraph.rdf import measure_rows, plan_to_graph
from kepugraph.store.graphs import CATALOGUE

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


@contextlib.contextmanager
def _oxigraph_serve(folder: Path):
    """A real ``oxigraph serve`` on 127.0.0.1 and a free port, storing in ``folder``: its base URL."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode())
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_serve():
    """Starts a real Oxigraph SPARQL server: ``with oxigraph_serve(folder) as base_url: …``."""
    return _oxigraph_serve


CHROMIUM = os.environ.get("KEPUGRAPH_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, with no background traffic (the machine has no network); one
    per module, since a second sync Playwright cannot start while one runs (test_formats prints
    its PDFs with its own)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make test', which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def _open_page(browser, path: Path):
    """Open a page offline; returns (page, requests blocked, console errors)."""
    page = browser.new_page(viewport={"width": 1400, "height": 950})
    blocked, errors = [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0", timeout=30000)
    return page, blocked, errors


@pytest.fixture(scope="session")
def open_page():
    """``open_page(browser, path)`` → (page, requests blocked, console errors), the page offline."""
    return _open_page


@pytest.fixture(scope="session")
def link_quads():
    """A function: every quad of a corpus store's links graphs and catalogue, as N-Quads lines
    (what a cold build and a corpus grown or relinked another way must agree on)."""
    def quads(corpus) -> set[str]:
        out = set()
        for g in corpus.store.named_graphs():
            if g.value.endswith("/links") or g.value == CATALOGUE:
                out |= set(corpus.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=g).decode("utf-8").splitlines())
        return out
    return quads
