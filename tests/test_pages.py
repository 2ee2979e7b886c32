"""Pages opened in a real headless Chromium from file:// with every other request blocked."""

import os
import shutil
from pathlib import Path

import pytest

from kepugraph import api
from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.rdf import plan_to_graph

CHROMIUM = os.environ.get("KEPUGRAPH_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent

HOSTILE = """\
一、重点任务
1.开展<script>window.__pwned = 1</script>科普活动。（区<img src=x onerror=pw=2>局、区教育局按职责分工负责）
2.建设科普基地。（区科协、区教育局按职责分工负责）
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run 'make test', which installs it")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def open_page(browser, path: Path):
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


def drawn(page):
    return page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")


@pytest.mark.parametrize("args", [["--view", "units"], ["--view", "bipartite"], ["--view", "plan"],
                                  ["--view", "units", "--unit", "区委党校"], ["--view", "units", "--min-shared", "5"],
                                  ["--view", "units", "--kind", "党委部门"]],
                         ids=["units", "bipartite", "plan", "ego", "min-shared", "kind"])
def test_page_draws_the_graph_offline(browser, runner, tmp_path, args):
    out = tmp_path / "page.html"
    result = runner.invoke(main, ["viz", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes, edges = (int(x) for x in result.stdout.split(": ")[1].split(" →")[0].replace(" nodes", "")
                    .replace(" edges", "").split(", "))
    page, blocked, errors = open_page(browser, out)
    assert drawn(page) == [nodes, edges]
    assert blocked == [] and errors == []
    page.close()


def test_drawn_counts_equal_the_graph(browser, tmp_path, graph, rows):
    from kepugraph import analysis

    path, g = api.page(graph, tmp_path / "u.html", view="units")
    proj = analysis.projection(rows)
    assert (g.number_of_nodes(), g.number_of_edges()) == (proj.number_of_nodes(), proj.number_of_edges()) == (25, 209)
    page, blocked, errors = open_page(browser, path)
    assert drawn(page) == [25, 209]
    assert page.locator("#kp-legend .kp-key").all_inner_texts() == ["群团组织", "政府部门", "党委部门", "事业单位", "上级派驻"]
    # the README's screenshot, taken as a person sees the page once it has settled
    page.wait_for_timeout(2500)
    shot = tmp_path / "units.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20000
    page.close()


def test_hostile_text_is_shown_not_run(browser, tmp_path):
    g = plan_to_graph(parse_text(HOSTILE))
    for view in ("units", "bipartite", "plan"):
        path, _ = api.page(g, tmp_path / f"{view}.html", view=view)
        html = path.read_text(encoding="utf-8")
        assert "<script>window.__pwned" not in html and "<img src=x" not in html
        assert "\\u003cscript\\u003ewindow.__pwned" in html or view == "units"
        page, blocked, errors = open_page(browser, path)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned + typeof window.pw") == "undefinedundefined"
        assert blocked == [] and errors == []
        labels = page.evaluate("network.body.data.nodes.get().map(n => n.label)")
        assert "区<img src=x onerror=pw=2>局" in labels
        if view == "units":
            # hover the unit with the hostile name: its tooltip shows the text literally
            pos = page.evaluate("""(() => { const id = network.body.data.nodes.get()
                .find(n => n.label.startsWith('区<img')).id;
                const p = network.getPositions([id])[id]; return network.canvasToDOM(p); })()""")
            box = page.locator("#mynetwork").bounding_box()
            page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
            tip = page.inner_text("div.vis-tooltip")
            assert tip.startswith("区<img src=x onerror=pw=2>局（")
            assert page.evaluate("typeof window.__pwned + typeof window.pw") == "undefinedundefined"
        page.close()


def test_page_needs_nothing_remote(graph, tmp_path):
    from kepugraph.outputs.pages import remote_references

    for view in ("units", "bipartite", "plan"):
        path, _ = api.page(graph, tmp_path / f"{view}.html", view=view)
        html = path.read_text(encoding="utf-8")
        assert remote_references(html) == []
        assert "vis.Network" in html and "<meta charset=\"utf-8\">" in html


def test_viz_errors(runner, tmp_path):
    result = runner.invoke(main, ["viz", "--view", "plan", "--unit", "区科协", "-o", str(tmp_path / "p.html")])
    assert result.exit_code == 2
    assert "--unit, --kind and --min-shared apply to --view units" in result.stderr
    result = runner.invoke(main, ["viz", "--unit", "区科协会", "-o", str(tmp_path / "p.html")])
    assert result.exit_code == 1 and result.stderr == "Error: no unit named '区科协会'; closest: 区科协\n"
    assert not (tmp_path / "p.html").exists()


def test_committed_pages_match_a_fresh_build(tmp_path, graph):
    result = api.build(out_dir=tmp_path, page=True)
    assert result.page.read_bytes() == (ROOT / "graph" / result.page.name).read_bytes()
    for view in ("bipartite", "plan"):
        name = f"taishan-kepu-plan-2021-2025-{view}.html"
        path, _ = api.page(graph, tmp_path / name, view=view)
        assert path.read_bytes() == (ROOT / "graph" / name).read_bytes(), f"graph/{name} is stale: run 'make demo'"
