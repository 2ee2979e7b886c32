"""Pages opened in a real headless Chromium from file:// with every other request blocked."""

import json
import re
from pathlib import Path

import pytest

from kepugraph import api
from kepugraph.cli import main
from kepugraph.extraction.parser import parse_text
from kepugraph.rdf import plan_to_graph

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LINE = "示例方案：泰山区全民科学素质行动规划纲要实施方案（2021-2025年）（泰山政办字〔2022〕7号）；建立自己的方案：kepugraph build 文件"

HOSTILE = """\
一、重点任务
1.开展<script>window.__pwned = 1</script>科普活动。（区<img src=x onerror=pw=2>局、区教育局按职责分工负责）
2.建设科普基地。（区科协、区教育局按职责分工负责）
"""


def drawn(page):
    return page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")


@pytest.mark.parametrize("args", [["--view", "units"], ["--view", "bipartite"], ["--view", "plan"],
                                  ["--view", "units", "--unit", "区委党校"], ["--view", "units", "--min-shared", "5"],
                                  ["--view", "units", "--kind", "党委部门"]],
                         ids=["units", "bipartite", "plan", "ego", "min-shared", "kind"])
def test_page_draws_the_graph_offline(browser, open_page, runner, tmp_path, args):
    out = tmp_path / "page.html"
    result = runner.invoke(main, ["viz", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    nodes, edges = (int(x) for x in result.stdout.splitlines()[1].split(": ")[1].split(" →")[0].replace(" nodes", "")
                    .replace(" edges", "").split(", "))
    page, blocked, errors = open_page(browser, out)
    assert drawn(page) == [nodes, edges]
    assert blocked == [] and errors == []
    page.close()


def test_drawn_counts_equal_the_graph(browser, open_page, tmp_path, graph, rows):
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


def test_hostile_text_is_shown_not_run(browser, open_page, tmp_path):
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


def node_on_screen(page, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    pos = page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
    box = page.locator("#mynetwork").bounding_box()
    return box["x"] + pos["x"], box["y"] + pos["y"]


def panel_items(page) -> list[str]:
    return page.locator("#kp-panel > ol > li > a").all_inner_texts()


def test_search_selects_and_centres_the_unit_then_the_panel_lists_its_measures(browser, open_page, tmp_path, graph):
    path, _ = api.page(graph, tmp_path / "u.html", view="units")
    page, blocked, errors = open_page(browser, path)
    page.wait_for_timeout(2000)  # settled
    page.fill("#kp-search", "党校")  # part of a name is enough
    page.press("#kp-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == ["区委党校"]
    x, y = node_on_screen(page, "区委党校")
    box = page.locator("#mynetwork").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 3 and abs(y - (box["y"] + box["height"] / 2)) < 3
    assert page.inner_text("#kp-panel h2") == "区委党校"
    assert page.inner_text("#kp-panel .kp-meta") == "党委部门 · 任务 2 项"
    assert panel_items(page) == ["m16 深入贯彻落实新发展理念", "m17 加强科学素质教育培训"]
    first = page.locator("#kp-panel > ol > li").first.inner_text()
    assert first.endswith("合作：区委组织部（负责）、区委宣传部（负责）、区人力资源和社会保障局（负责）、区科学技术局（负责）、区科协（负责）")
    # a measure in the panel opens its units, each a link back to a unit
    page.click("#kp-panel >> text=m17 加强科学素质教育培训")
    assert page.inner_text("#kp-panel h2") == "m17 加强科学素质教育培训"
    assert page.inner_text("#kp-panel h3") == "责任单位 5 个"
    assert panel_items(page) == ["区委组织部", "区人力资源和社会保障局", "区委党校", "区科学技术局", "区科协"]
    assert page.inner_text("#kp-panel .kp-text").startswith("加强科学素质教育培训。认真贯彻落实《干部教育培训工作条例》")
    page.fill("#kp-search", "区科协会")
    page.press("#kp-search", "Enter")
    assert page.inner_text("#kp-found") == "未找到：区科协会"
    assert blocked == [] and errors == []
    page.close()


def test_clicking_a_unit_or_a_tie_fills_the_panel(browser, open_page, tmp_path, graph):
    path, _ = api.page(graph, tmp_path / "u.html", view="units")
    page, _, errors = open_page(browser, path)
    page.wait_for_timeout(2000)
    assert page.inner_text("#kp-panel") == "点击单位查看其任务，点击任务查看其责任单位，点击连线查看共担任务。"
    page.evaluate("network.focus('区科协', {scale: 1.5, animation: false})")
    page.mouse.click(*node_on_screen(page, "区科协"))
    assert page.inner_text("#kp-panel h2") == "区科协"
    assert page.inner_text("#kp-panel .kp-meta") == "群团组织 · 任务 27 项"
    assert len(panel_items(page)) == 27
    # a tie: the measures the two units share (the edge's click, as vis-network emits it)
    page.evaluate("""(() => { const e = network.body.data.edges.get().find(
        e => [e.from, e.to].sort().join() === ['区委党校', '区委组织部'].sort().join());
        network.body.emitter.emit('click', {nodes: [], edges: [e.id], pointer: {}}); })()""")
    assert page.inner_text("#kp-panel h2") in ("区委党校 — 区委组织部", "区委组织部 — 区委党校")
    assert panel_items(page) == ["m16 深入贯彻落实新发展理念", "m17 加强科学素质教育培训"]
    assert errors == []
    page.close()


def test_search_finds_a_unit_by_its_alias(browser, open_page, tmp_path):
    g = plan_to_graph(parse_text("一、重点任务\n1.开展科普活动。（区科学技术协会、区教育局按职责分工负责）\n"
                                 "2.建设科普基地。（区科协牵头，区教育局配合）\n"), aliases={"区科学技术协会": "区科协"})
    path, _ = api.page(g, tmp_path / "u.html", view="units")
    page, _, errors = open_page(browser, path)
    # the filed alias, and the short forms the CLI takes too (科协, 教育局)
    assert page.locator("#kp-names option").evaluate_all("os => os.map(o => o.value)") == [
        "区科协", "区教育局", "区科学技术协会", "科协", "教育局"]
    page.fill("#kp-search", "区科学技术协会")
    page.press("#kp-search", "Enter")
    assert page.evaluate("network.getSelectedNodes()") == ["区科协"]
    assert panel_items(page) == ["m1 开展科普活动", "m2 建设科普基地"]
    assert page.locator("#kp-panel .kp-role").all_inner_texts() == ["负责", "牵头"]
    assert errors == []
    page.close()


def test_hostile_names_are_text_in_the_panel(browser, open_page, tmp_path):
    path, _ = api.page(plan_to_graph(parse_text(HOSTILE)), tmp_path / "b.html", view="bipartite")
    page, _, errors = open_page(browser, path)
    page.fill("#kp-search", "img")
    page.press("#kp-search", "Enter")
    assert page.inner_text("#kp-panel h2") == "区<img src=x onerror=pw=2>局"
    page.click("#kp-panel >> text=m1")
    assert page.inner_text("#kp-panel h2") == "m1 开展<script>window.__pwned = 1</script>科普活动"
    assert page.evaluate("typeof window.__pwned + typeof window.pw") == "undefinedundefined"
    assert page.locator("#kp-panel img, #kp-panel script").count() == 0 and errors == []
    page.close()


def test_a_hub_view_is_readable_and_says_what_it_left_out(browser, open_page, runner, tmp_path):
    out = tmp_path / "hub.html"
    result = runner.invoke(main, ["viz", "--unit", "区科协", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == (f"{SAMPLE_LINE}\nunits: 12 nodes, 27 edges → {out}\n"
                             "12 of 23 partners share fewer than 6 measures with 区科协 and are left out "
                             "(--min-shared 1 shows all)\n")
    page, _, errors = open_page(browser, out)
    assert drawn(page) == [12, 27]
    assert page.inner_text("#kp-head p") == ("单位协同网络：节点大小=任务数，颜色=单位类别，连线粗细=共担任务数；仅显示 区科协 及共担 ≥6 项任务的 "
                                             "11 个合作单位（另 12 个未显示，--min-shared 1 可全部显示）")
    page.close()
    everyone = runner.invoke(main, ["viz", "--unit", "区科协", "--min-shared", "1", "-o", str(out)])
    assert everyone.stdout == f"{SAMPLE_LINE}\nunits: 24 nodes, 209 edges → {out}\n"
    small = runner.invoke(main, ["viz", "--unit", "区委党校", "-o", str(out)])
    assert small.stdout == f"{SAMPLE_LINE}\nunits: 6 nodes, 15 edges → {out}\n"  # five partners: all drawn, nothing said


def test_plan_view_labels_do_not_overlap(browser, open_page, tmp_path, graph):
    path, g = api.page(graph, tmp_path / "p.html", view="plan")
    page, _, errors = open_page(browser, path)
    boxes = page.evaluate("network.body.data.nodes.getIds().map(id => [id, network.getBoundingBox(id)])")
    assert len(boxes) == g.number_of_nodes() == 71
    overlapping = [(a, b) for i, (a, p) in enumerate(boxes) for b, q in boxes[i + 1:]
                   if p["left"] < q["right"] and q["left"] < p["right"] and p["top"] < q["bottom"] and q["top"] < p["bottom"]]
    assert overlapping == [] and errors == []
    page.close()


HOSTILE_HREF = """\
一、重点任务
1.开展<img src=x onerror=document.title='PWNED'>科普活动href。（市科协、市教育局按职责分工负责）
2.建设科普基地。（区<img src=href onerror=pw=2>局、市教育局按职责分工负责）
"""


def hover(page, node_id: str) -> str:
    """Move the mouse onto a node and return its tooltip's text."""
    page.evaluate("id => network.focus(id, {scale: 1.2, animation: false})", node_id)
    page.mouse.move(10, 10)
    page.mouse.move(*node_on_screen(page, node_id))
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    return page.inner_text("div.vis-tooltip")


@pytest.mark.parametrize("view", ["units", "bipartite", "plan"])
def test_hover_text_is_text_whatever_it_holds(browser, open_page, tmp_path, view):
    # issue 25: an href anywhere in pyvis 0.3.2's hover text switched it to a popup inserting HTML
    g = plan_to_graph(parse_text(HOSTILE_HREF))
    path, _ = api.page(g, tmp_path / f"{view}.html", view=view)
    html = path.read_text(encoding="utf-8")
    assert "div.popup" not in html and "popup.innerHTML" not in html
    page, blocked, errors = open_page(browser, path)
    title = page.title()
    ids = page.evaluate("network.body.data.nodes.getIds()")
    hostile_unit = "区<img src=href onerror=pw=2>局"
    assert hostile_unit in ids
    tips = {node: hover(page, node) for node in ids if node in (hostile_unit, "市科协") or node.endswith("/measure/1")}
    assert tips[hostile_unit].startswith(hostile_unit + "（")
    if view != "units":
        measure = next(n for n in ids if n.endswith("/measure/1"))
        assert tips[measure].startswith("m1 开展<img src=x onerror=document.title='PWNED'>科普活动href")
    assert page.locator("div.vis-tooltip img, div.popup").count() == 0
    assert page.title() == title != "PWNED"
    assert page.evaluate("typeof window.pw") == "undefined"
    assert blocked == [] and errors == []
    page.close()


def settled(page):
    page.wait_for_function("window.kpSettled && window.kpSettled()", timeout=60000)


@pytest.mark.parametrize("view", ["units", "bipartite"])
def test_the_whole_network_fits_the_window_on_load(browser, open_page, tmp_path, graph, view):
    path, _ = api.page(graph, tmp_path / f"{view}.html", view=view)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof network !== 'undefined'")
    settled(page)
    box = page.locator("#mynetwork").bounding_box()
    outside = page.evaluate("""([x0, y0]) => network.body.data.nodes.getIds().map(id => {
        const b = network.getBoundingBox(id);
        const a = network.canvasToDOM({x: b.left, y: b.top}), z = network.canvasToDOM({x: b.right, y: b.bottom});
        return [id, a.x + x0, a.y + y0, z.x + x0, z.y + y0]; })
        .filter(([id, l, t, r, b]) => l < 0 || t < 0 || r > 1400 || b > 900)""", [box["x"], box["y"]])
    assert outside == []
    assert box["y"] + box["height"] <= 900
    page.close()


def test_plan_view_labels_are_legible_at_100_percent(browser, open_page, tmp_path, graph):
    from kepugraph.outputs.pages import MIN_LABEL_PX, PLAN_FONT

    path, _ = api.page(graph, tmp_path / "p.html", view="plan")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.resolve().as_uri())
    page.wait_for_function("typeof network !== 'undefined'")
    sizes = page.evaluate("network.body.data.nodes.get().map(n => (n.font && n.font.size) || %d)" % PLAN_FONT)
    smallest = min(sizes) * page.evaluate("network.getScale()")
    assert smallest >= MIN_LABEL_PX == 11
    # the plan's own box opens at the left edge of the canvas, in view
    root = page.evaluate("network.canvasToDOM(network.getPositions(['plan']).plan)")
    assert 0 < root["x"] < 200
    page.close()


def test_bipartite_measures_are_labelled_with_their_short_titles(graph, tmp_path):
    from kepugraph.outputs.pages import bipartite_page
    from kepugraph.rdf import measure_rows

    text, g = bipartite_page(measure_rows(graph), {}, "t")
    labels = [json.loads(s) for s in re.findall(r'"label": ("(?:[^"\\]|\\.)*")', text)]
    tips = [json.loads(s) for s in re.findall(r'"tip": ("(?:[^"\\]|\\.)*")', text)]
    assert len(labels) == g.number_of_nodes() == 25 + 31
    assert [x for x in labels if x.startswith("m")][:3] == ["m1 将弘扬科学精神贯穿…", "m2 提升基础教育阶段科…", "m3 完善校内外科技教育…"]
    assert "m1 将弘扬科学精神贯穿于育人全链条\n三、工作重点与分工 > （一）提升行动 > 1.青少年科学素质提升行动" in tips


def test_search_finds_every_alias_the_cli_finds(browser, open_page, runner, tmp_path, graph, rows):
    from kepugraph.analysis import find_unit, unit_aliases

    aliases = unit_aliases(list(dict.fromkeys(n for r in rows for n, _ in r.units)))
    assert aliases["教体局"] == "区教育和体育局" and aliases["科协"] == "区科协"
    path, _ = api.page(graph, tmp_path / "u.html", view="units")
    page, _, errors = open_page(browser, path)
    offered = set(page.locator("#kp-names option").evaluate_all("os => os.map(o => o.value)"))
    for alias, unit in aliases.items():
        assert find_unit(rows, alias) == unit  # the CLI takes it …
        assert alias in offered
        page.fill("#kp-search", alias)  # … and so does the page's search
        page.press("#kp-search", "Enter")
        assert page.evaluate("network.getSelectedNodes()") == [unit], alias
    assert errors == []
    page.close()
