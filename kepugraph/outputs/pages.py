"""Interactive pages (pyvis / vis-network) that open with no network at all.

pyvis 0.3.2 links Bootstrap from a CDN even with ``cdn_resources='in_line'`` and writes
with the platform encoding, so the page is generated as a string, stripped of every
remote reference, given its own header and legend, and written as UTF-8 by the caller.
Document text goes into the vis data as JSON (escaped for a script block) and is shown
by vis-network as text; the header and legend are HTML-escaped here.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from typing import Sequence

import networkx as nx

from kepugraph.analysis import part_of, projection
from kepugraph.errors import KepugraphError
from kepugraph.rdf.rows import MeasureRow
from kepugraph.store.sources import PAGE_MARK
from kepugraph.vocab import KIND_COLORS

VIEWS = ("units", "bipartite", "plan")
PART_COLORS = ["#ff7f0e", "#17becf", "#bcbd22", "#e377c2", "#8c564b", "#7f7f7f", "#1f77b4", "#2ca02c"]
FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
SEED = 7

_PHYSICS = {
    "solver": "forceAtlas2Based",
    "forceAtlas2Based": {"gravitationalConstant": -260, "centralGravity": 0.02, "springLength": 230,
                         "springConstant": 0.02, "damping": 0.5, "avoidOverlap": 1},
    "stabilization": {"enabled": True, "iterations": 600, "fit": True},
    "minVelocity": 0.75,
}


def unit_graph(rows: Sequence[MeasureRow], kinds: dict[str, str], unit: str | None = None,
               min_shared: int = 1, kind: str | None = None) -> nx.Graph:
    """The co-responsibility network to draw, after the filters.

    Args:
        unit: keep only this unit and its partners (its ego network).
        min_shared: drop edges of pairs sharing fewer measures (and units left alone,
            unless no edge was drawn at all).
        kind: keep only units of this kind label (政府部门 …).
    """
    g = projection(rows)
    for n in g:
        g.nodes[n]["kind"] = kinds.get(n, "其他")
    if kind:
        g = g.subgraph([n for n in g if g.nodes[n]["kind"] == kind]).copy()
    if unit:
        g = nx.ego_graph(g, unit).copy()
    weak = [(a, b) for a, b, d in g.edges(data=True) if d["weight"] < min_shared]
    g.remove_edges_from(weak)
    if min_shared > 1:
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0 and n != unit])
    return g


def _network(options: dict):
    # imported here, not at the top: +0.23 s at every start-up otherwise (measured)
    from pyvis.network import Network

    net = Network(height="820px", width="100%", directed=False, cdn_resources="in_line", heading="")
    net.set_options(json.dumps(options, ensure_ascii=False))
    return net


def _base_options(physics: dict | bool) -> dict:
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": True},
        "physics": physics if isinstance(physics, dict) else {"enabled": physics},
        "interaction": {"hover": True, "tooltipDelay": 100, "navigationButtons": False, "multiselect": True},
        "nodes": {"font": {"face": FONT, "size": 16, "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"min": 8, "max": 40}},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 14},
                  "color": {"inherit": False, "color": "#9aa5b1", "highlight": "#e45756", "hover": "#e45756"}},
    }


def units_page(rows: Sequence[MeasureRow], kinds: dict[str, str], title: str, unit: str | None = None,
               min_shared: int = 1, kind: str | None = None) -> tuple[str, nx.Graph]:
    """The co-responsibility network: size by workload, colour by kind, width by shared."""
    g = unit_graph(rows, kinds, unit=unit, min_shared=min_shared, kind=kind)
    net = _network(_base_options(_PHYSICS))
    load = Counter(n for r in rows for n, _ in r.units)
    for n in sorted(g, key=lambda n: (-load[n], n)):
        partners = sorted(g[n].items(), key=lambda kv: (-kv[1]["weight"], kv[0]))[:5]
        tip = [f"{n}（{g.nodes[n]['kind']}）", f"任务 {load[n]} 项"]
        if partners:
            tip.append("主要合作：" + "、".join(f"{p}（{d['weight']}）" for p, d in partners))
        net.add_node(n, label=n, title="\n".join(tip), value=load[n], color=KIND_COLORS.get(g.nodes[n]["kind"], "#7f7f7f"),
                     borderWidth=3 if n == unit else 1)
    top = max((d["weight"] for _, _, d in g.edges(data=True)), default=1)
    for a, b, d in sorted(g.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1])):
        shown = d["measures"][:12]
        more = f"\n… 另 {len(d['measures']) - len(shown)} 项" if len(d["measures"]) > len(shown) else ""
        # weak ties fade, strong ones stand out: the picture shows who must coordinate
        alpha = 0.08 + 0.8 * (d["weight"] / top) ** 0.8
        net.add_edge(a, b, value=d["weight"], color=f"rgba(90,100,115,{alpha:.2f})",
                     title=f"{a} — {b}：共担 {d['weight']} 项\n" + "\n".join(shown) + more)
    kinds_used = list(dict.fromkeys(g.nodes[n]["kind"] for n in sorted(g, key=lambda n: (-load[n], n))))
    legend = [(k, KIND_COLORS.get(k, "#7f7f7f")) for k in kinds_used]
    sub = "单位协同网络：节点大小=任务数，颜色=单位类别，连线粗细=共担任务数"
    if unit:
        sub += f"；仅显示 {unit} 及其合作单位"
    return _finish(net, title, sub, legend), g


def bipartite_page(rows: Sequence[MeasureRow], kinds: dict[str, str], title: str) -> tuple[str, nx.Graph]:
    """Measures and units; measures coloured by their part (（一）提升行动 …)."""
    net = _network(_base_options({**_PHYSICS, "forceAtlas2Based": {**_PHYSICS["forceAtlas2Based"], "springLength": 90}}))
    parts = list(dict.fromkeys(part_of(r) for r in rows))
    colour = {p: PART_COLORS[i % len(PART_COLORS)] for i, p in enumerate(parts)}
    g = nx.Graph()
    load = Counter(n for r in rows for n, _ in r.units)
    for n in sorted(load, key=lambda n: (-load[n], n)):
        g.add_node(n)
        net.add_node(n, label=n, title=f"{n}（{kinds.get(n, '其他')}）\n任务 {load[n]} 项", shape="dot", value=load[n],
                     color=KIND_COLORS.get(kinds.get(n, "其他"), "#7f7f7f"))
    for r in rows:
        g.add_node(r.iri)
        net.add_node(r.iri, label=r.id, title=f"{r.id} {r.title}\n{' > '.join(r.path)}", shape="square", size=10,
                     color=colour[part_of(r)])
        for n, role in r.units:
            g.add_edge(r.iri, n)
            net.add_edge(r.iri, n, title=f"{n}：{ {'lead': '牵头', 'support': '配合', 'joint': '负责'}[role]}",
                         dashes=role == "support")
    legend = [(p, colour[p], "square") for p in parts] + [(k, c) for k, c in KIND_COLORS.items() if k in set(kinds.values())]
    return _finish(net, title, "任务—单位二分网络：方块=任务（颜色=所属部分），圆点=单位（颜色=类别）", legend), g


def plan_page(rows: Sequence[MeasureRow], kinds: dict[str, str], title: str) -> tuple[str, nx.Graph]:
    """The plan's tree: plan → headings → measures → units (hierarchical)."""
    options = _base_options(False)
    options["layout"] = {"randomSeed": SEED, "hierarchical": {
        "enabled": True, "direction": "LR", "sortMethod": "directed", "levelSeparation": 260,
        "nodeSpacing": 34, "treeSpacing": 40, "shakeTowards": "roots"}}
    net = _network(options)
    g = nx.DiGraph()
    root = "plan"
    g.add_node(root)
    net.add_node(root, label=_shorten(title, 20), title=title, shape="box", color="#444444",
                 font={"color": "#ffffff", "face": FONT, "strokeWidth": 0}, level=0)
    depth = max((len(r.path) for r in rows), default=0)
    headings: dict[tuple[str, ...], str] = {}
    for r in rows:
        parent = root
        for i in range(len(r.path)):
            key = tuple(r.path[: i + 1])
            if key not in headings:
                hid = f"h{len(headings) + 1}"
                headings[key] = hid
                g.add_edge(parent, hid)
                net.add_node(hid, label=_shorten(r.path[i], 14), title=r.path[i], shape="box", color="#f2c14e", level=i + 1)
                net.add_edge(parent, hid)
            parent = headings[key]
        g.add_edge(parent, r.iri)
        net.add_node(r.iri, label=r.id, title=f"{r.id} {r.title}", shape="box", color="#9ecae1", level=depth + 1)
        net.add_edge(parent, r.iri)
    units_done = set()
    for r in rows:
        for n, _role in r.units:
            if n not in units_done:
                units_done.add(n)
                g.add_node(n)
                net.add_node(n, label=n, title=f"{n}（{kinds.get(n, '其他')}）", shape="dot", size=8,
                             color=KIND_COLORS.get(kinds.get(n, "其他"), "#7f7f7f"), level=depth + 2)
            g.add_edge(r.iri, n)
            net.add_edge(r.iri, n)
    return _finish(net, title, "方案结构：方案 → 章节 → 任务 → 单位",
                   [("章节", "#f2c14e", "square"), ("任务", "#9ecae1", "square")]), g


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>|"
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.I | re.S,
)


def _finish(net, title: str, subtitle: str, legend: list[tuple]) -> str:
    page = net.generate_html(notebook=False)
    page = _REMOTE_TAG.sub("", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    items = "".join(
        f'<span class="kp-key"><i class="{html.escape(shape[0]) if shape else "dot"}" '
        f'style="background:{html.escape(color)}"></i>{html.escape(label)}</span>'
        for label, color, *shape in legend)
    header = (
        f"<style>body{{font-family:{FONT};margin:0}}#kp-head{{padding:8px 14px;border-bottom:1px solid #ddd}}"
        "#kp-head h1{font-size:18px;margin:0 0 4px}#kp-head p{margin:0 0 4px;color:#555;font-size:13px}"
        ".kp-key{display:inline-block;margin-right:14px;font-size:13px}"
        ".kp-key i{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:4px;vertical-align:-1px}"
        ".kp-key i.square{border-radius:2px}"
        "div.vis-tooltip{white-space:pre-wrap;max-width:480px;font-family:inherit}"
        ".card{border:0}</style>"
        f'<div id="kp-head"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>'
        f'<div id="kp-legend">{items}</div></div>'
    )
    page = page.replace("<body>", "<body>" + header, 1)
    page = page.replace("<head>", f"<head>\n{PAGE_MARK}\n<title>{html.escape(title)}</title>", 1)
    # freeze the layout once it has settled, so the picture stays as drawn
    freeze = ("<script>if (typeof network !== 'undefined') { network.once('stabilizationIterationsDone', "
              "function () { network.setOptions({physics: false}); }); }</script>")
    page = page.replace("</body>", freeze + "</body>", 1)
    return page


def remote_references(page: str) -> list[str]:
    """Remote URLs the page would fetch (src/href attributes): empty for a good page."""
    return re.findall(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", page, re.I)


def page_html(view: str, rows: Sequence[MeasureRow], kinds: dict[str, str], title: str, **filters) -> tuple[str, nx.Graph]:
    """The HTML of one view and the graph it draws."""
    if view == "units":
        return units_page(rows, kinds, title, **filters)
    if filters.get("unit") or filters.get("kind") or filters.get("min_shared", 1) > 1:
        raise KepugraphError("a unit, kind or min_shared filter applies to the units view only")
    if view == "bipartite":
        return bipartite_page(rows, kinds, title)
    if view == "plan":
        return plan_page(rows, kinds, title)
    raise KepugraphError(f"unknown view {view!r}; views: units, bipartite, plan")
