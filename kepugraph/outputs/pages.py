"""Interactive pages (pyvis / vis-network) that open with no network at all.

pyvis 0.3.2 links Bootstrap from a CDN even with ``cdn_resources='in_line'`` and writes
with the platform encoding, so the page is generated as a string, stripped of every
remote reference, given its own header and legend, and written as UTF-8 by the caller.
Document text goes into the vis data as JSON (escaped for a script block) and is shown
by vis-network as text; the header and legend are HTML-escaped here. Hover text is never a
vis ``title`` string: pyvis 0.3.2 switches every page with an ``href`` in any title to its own
popup that inserts titles as HTML. Nodes and ties carry it as ``tip``, and the page's script
makes each tooltip an element whose ``textContent`` is the tip.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from typing import Sequence

import networkx as nx

from kepugraph.analysis import parts_of, projection
from kepugraph.errors import KepugraphError
from kepugraph.outputs.lookup import STYLE, panel_data, panel_html, search_box
from kepugraph.rdf.rows import MeasureRow
from kepugraph.reading.textnorm import display_width
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


READABLE_PARTNERS = 12  # a hub's view draws at most this many partners unless asked for more


def hub_threshold(g: nx.Graph, unit: str, most: int = READABLE_PARTNERS) -> int:
    """The least number of shared measures that keeps ``unit``'s partners to ``most``.

    >>> g = nx.Graph([("科协", "甲", {"weight": 5}), ("科协", "乙", {"weight": 2}), ("科协", "丙", {"weight": 1})])
    >>> hub_threshold(g, "科协", most=2)
    2
    >>> tied = nx.Graph([("科协", p, {"weight": 1}) for p in "甲乙丙"])
    >>> hub_threshold(tied, "科协", most=2)  # all tied: all drawn rather than none
    1
    """
    weights = sorted((d["weight"] for _, _, d in g.edges(unit, data=True)), reverse=True)
    if len(weights) <= most:
        return 1
    # ties at the cut keep the view honest: raise the bar past them rather than pick some,
    # unless that leaves nobody (all tied at the top): then the strongest ties are drawn
    bar = weights[most - 1] + 1 if weights[most] == weights[most - 1] else weights[most - 1]
    return bar if bar <= weights[0] else weights[0]


def unit_graph(rows: Sequence[MeasureRow], kinds: dict[str, str], unit: str | None = None,
               min_shared: int | None = None, kind: str | None = None) -> nx.Graph:
    """The co-responsibility network to draw, after the filters.

    Args:
        unit: keep only this unit and its partners (its ego network).
        min_shared: drop edges of pairs sharing fewer measures (and units left alone,
            unless no edge was drawn at all). With ``unit`` and no ``min_shared``, the
            least number that keeps the unit's partners to :data:`READABLE_PARTNERS`.
        kind: keep only units of this kind label (政府部门 …).

    Returns:
        The graph; with ``unit``, ``graph["partners"]`` counts all its partners,
        ``graph["left_out"]`` those not drawn and ``graph["min_shared"]`` the bar used.
    """
    g = projection(rows)
    for n in g:
        g.nodes[n]["kind"] = kinds.get(n, "其他")
    if kind:
        g = g.subgraph([n for n in g if g.nodes[n]["kind"] == kind]).copy()
    if unit:
        g = nx.ego_graph(g, unit).copy()
        if min_shared is None:
            min_shared = hub_threshold(g, unit)
    min_shared = min_shared or 1
    partners = g.degree(unit) if unit else 0
    weak = [(a, b) for a, b, d in g.edges(data=True) if d["weight"] < min_shared]
    g.remove_edges_from(weak)
    if min_shared > 1:
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0 and n != unit])
    if unit:
        # a partner stays only through its own tie to the unit, not through another partner
        g.remove_nodes_from([n for n in list(g) if n != unit and not g.has_edge(unit, n)])
        g.graph.update(partners=partners, left_out=partners - g.degree(unit), min_shared=min_shared)
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
               min_shared: int | None = None, kind: str | None = None,
               aliases: dict[str, str] | None = None) -> tuple[str, nx.Graph]:
    """The co-responsibility network: size by workload, colour by kind, width by shared."""
    g = unit_graph(rows, kinds, unit=unit, min_shared=min_shared, kind=kind)
    net = _network(_base_options(_PHYSICS))
    load = Counter(n for r in rows for n, _ in r.units)
    for n in sorted(g, key=lambda n: (-load[n], n)):
        partners = sorted(g[n].items(), key=lambda kv: (-kv[1]["weight"], kv[0]))[:5]
        tip = [f"{n}（{g.nodes[n]['kind']}）", f"任务 {load[n]} 项"]
        if partners:
            tip.append("主要合作：" + "、".join(f"{p}（{d['weight']}）" for p, d in partners))
        net.add_node(n, label=n, tip="\n".join(tip), value=load[n], color=KIND_COLORS.get(g.nodes[n]["kind"], "#7f7f7f"),
                     borderWidth=3 if n == unit else 1)
    top = max((d["weight"] for _, _, d in g.edges(data=True)), default=1)
    for a, b, d in sorted(g.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1])):
        shown = d["measures"][:12]
        more = f"\n… 另 {len(d['measures']) - len(shown)} 项" if len(d["measures"]) > len(shown) else ""
        # weak ties fade, strong ones stand out: the picture shows who must coordinate
        alpha = 0.08 + 0.8 * (d["weight"] / top) ** 0.8
        net.add_edge(a, b, value=d["weight"], color=f"rgba(90,100,115,{alpha:.2f})",
                     tip=f"{a} — {b}：共担 {d['weight']} 项\n" + "\n".join(shown) + more)
    kinds_used = list(dict.fromkeys(g.nodes[n]["kind"] for n in sorted(g, key=lambda n: (-load[n], n))))
    legend = [(k, KIND_COLORS.get(k, "#7f7f7f")) for k in kinds_used]
    sub = "单位协同网络：节点大小=任务数，颜色=单位类别，连线粗细=共担任务数"
    if unit:
        k = g.graph["min_shared"]
        sub += f"；仅显示 {unit} 及" + (f"共担 ≥{k} 项任务的" if k > 1 else "其") + f" {g.degree(unit)} 个合作单位"
        if g.graph["left_out"]:
            sub += f"（另 {g.graph['left_out']} 个未显示，--min-shared 1 可全部显示）"
    return _finish(net, title, sub, legend, rows, kinds, aliases), g


def bipartite_page(rows: Sequence[MeasureRow], kinds: dict[str, str], title: str,
                   aliases: dict[str, str] | None = None) -> tuple[str, nx.Graph]:
    """Measures and units; measures coloured by their part (（一）提升行动 …)."""
    net = _network(_base_options({**_PHYSICS, "forceAtlas2Based": {**_PHYSICS["forceAtlas2Based"], "springLength": 90}}))
    part = dict(zip((r.iri for r in rows), parts_of(rows)))
    parts = list(dict.fromkeys(part.values()))
    colour = {p: PART_COLORS[i % len(PART_COLORS)] for i, p in enumerate(parts)}
    g = nx.Graph()
    load = Counter(n for r in rows for n, _ in r.units)
    for n in sorted(load, key=lambda n: (-load[n], n)):
        g.add_node(n)
        net.add_node(n, label=n, tip=f"{n}（{kinds.get(n, '其他')}）\n任务 {load[n]} 项", shape="dot", value=load[n],
                     color=KIND_COLORS.get(kinds.get(n, "其他"), "#7f7f7f"))
    for r in rows:
        g.add_node(r.iri)
        # a measure is labelled with its short title; the full title and its place on hover and click
        net.add_node(r.iri, label=f"{r.id} {_shorten(r.title, 10)}", tip=f"{r.id} {r.title}\n{' > '.join(r.path)}",
                     shape="square", size=10, color=colour[part[r.iri]], font={"size": 12})
        for n, role in r.units:
            g.add_edge(r.iri, n)
            net.add_edge(r.iri, n, tip=f"{n}：{ {'lead': '牵头', 'support': '配合', 'joint': '负责'}[role]}",
                         dashes=role == "support")
    legend = [(p, colour[p], "square") for p in parts] + [(k, c) for k, c in KIND_COLORS.items() if k in set(kinds.values())]
    return _finish(net, title, "任务—单位二分网络：方块=任务（颜色=所属部分），圆点=单位（颜色=类别）", legend,
                   rows, kinds, aliases), g


PLAN_FONT = 14  # px
MIN_LABEL_PX = 11  # the plan view opens no smaller than this: labels read at 100 %
BOX_MARGIN = 6  # px inside a box, each side


def label_width(label: str, font: int = PLAN_FONT) -> float:
    """Pixels a one-line label takes in a box: CJK characters are a font size wide."""
    return display_width(label) * font / 2 + 2 * BOX_MARGIN


def plan_page(rows: Sequence[MeasureRow], kinds: dict[str, str], title: str,
              aliases: dict[str, str] | None = None) -> tuple[str, nx.Graph]:
    """The plan's tree: plan → headings → measures → units, left to right.

    Every label is a box on one line; levels are spaced by the widest box and nodes in a
    level by a box's height, so no two labels overlap.
    """
    g = nx.DiGraph()
    root = "plan"
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str]] = []

    def box(node: str, label: str, level: int, tip: str, color: str, **extra) -> None:
        nodes.append((node, dict(label=label, tip=tip, shape="box", color=color, level=level, margin=BOX_MARGIN,
                                 **extra)))

    g.add_node(root)
    box(root, _shorten(title, 16), 0, title, "#444444", font={"color": "#ffffff", "face": FONT, "strokeWidth": 0})
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
                box(hid, _shorten(r.path[i], 14), i + 1, r.path[i], "#f2c14e")
                edges.append((parent, hid))
            parent = headings[key]
        g.add_edge(parent, r.iri)
        box(r.iri, r.id, depth + 1, f"{r.id} {r.title}", "#9ecae1")
        edges.append((parent, r.iri))
    units_done = set()
    for r in rows:
        for n, _role in r.units:
            if n not in units_done:
                units_done.add(n)
                g.add_node(n)
                box(n, n, depth + 2, f"{n}（{kinds.get(n, '其他')}）", KIND_COLORS.get(kinds.get(n, "其他"), "#7f7f7f"),
                    font={"color": "#ffffff", "face": FONT, "strokeWidth": 0})
            g.add_edge(r.iri, n)
            edges.append((r.iri, n))
    options = _base_options(False)
    options["nodes"]["font"]["size"] = PLAN_FONT
    widest = max((label_width(d["label"]) for _, d in nodes), default=100)
    options["layout"] = {"randomSeed": SEED, "hierarchical": {
        "enabled": True, "direction": "LR", "sortMethod": "directed", "shakeTowards": "roots",
        "levelSeparation": round(widest + 70), "nodeSpacing": PLAN_FONT + 2 * BOX_MARGIN + 16, "treeSpacing": 40}}
    net = _network(options)
    for node, attrs in nodes:
        net.add_node(node, **attrs)
    for a, b in edges:
        net.add_edge(a, b)
    return _finish(net, title, "方案结构：方案 → 章节 → 任务 → 单位（拖动查看，滚轮缩放）",
                   [("章节", "#f2c14e", "square"), ("任务", "#9ecae1", "square")], rows, kinds, aliases,
                   min_font=MIN_LABEL_PX / PLAN_FONT), g


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>|"
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.I | re.S,
)


def _finish(net, title: str, subtitle: str, legend: list[tuple], rows: Sequence[MeasureRow], kinds: dict[str, str],
            aliases: dict[str, str] | None, min_font: float = 0) -> str:
    page = net.generate_html(notebook=False)
    page = _REMOTE_TAG.sub("", page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    data = panel_data(rows, kinds, aliases)
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
        f".card{{border:0}}{STYLE}</style>"
        f'<div id="kp-head"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>'
        f'<div id="kp-legend">{items}</div>{search_box(list(data["u"]) + list(data["a"]))}</div>'
    )
    page = page.replace("<body>", "<body>" + header, 1)
    page = page.replace("<head>", f"<head>\n{PAGE_MARK}\n<title>{html.escape(title)}</title>", 1)
    view = VIEW_SCRIPT.replace("MIN_SCALE", f"{math.ceil(min_font * 10000) / 10000:.4f}")  # rounded up
    page = page.replace("</body>", f"<script>if (typeof network !== 'undefined') {{{view}}}</script>"
                        + panel_html(data) + "</body>", 1)
    return page


# ES5, run once the network exists: hover text as text, the canvas filling the window below the
# header, the whole network fitted on load (then the user zooms), frozen once it has settled.
# MIN_SCALE > 0 (the plan view): never open smaller than that, the root at the left edge.
VIEW_SCRIPT = r"""
(function () {
  function asText(set) {
    set.update(set.get({filter: function (x) { return typeof x.tip === 'string'; }}).map(function (x) {
      var tip = document.createElement('div');
      tip.textContent = x.tip;
      return {id: x.id, title: tip};
    }));
  }
  asText(network.body.data.nodes);
  asText(network.body.data.edges);
  var box = document.getElementById('mynetwork'), settled = false;
  function show() {
    network.fit({animation: false});
    if (MIN_SCALE > 0 && network.getScale() < MIN_SCALE) {
      var ids = network.body.data.nodes.getIds(), root = network.getBoundingBox(ids[0]);
      var width = box.clientWidth;
      network.moveTo({position: {x: root.left + (width / 2 - 12) / MIN_SCALE, y: (root.top + root.bottom) / 2},
                      scale: MIN_SCALE, animation: false});
    }
  }
  function size() {
    var h = Math.max(320, Math.floor(window.innerHeight - box.getBoundingClientRect().top - 8));
    box.style.height = h + 'px';
    network.setSize('100%', h + 'px');
    network.redraw();
  }
  size();
  show();
  window.addEventListener('resize', function () { size(); show(); });
  network.once('stabilizationIterationsDone', function () {
    network.setOptions({physics: false});
    settled = true;
    show();
  });
  window.kpSettled = function () { return settled || !network.physics.options.enabled; };
})();
"""


def remote_references(page: str) -> list[str]:
    """Remote URLs the page would fetch (src/href attributes): empty for a good page."""
    return re.findall(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", page, re.I)


def page_html(view: str, rows: Sequence[MeasureRow], kinds: dict[str, str], title: str, **filters) -> tuple[str, nx.Graph]:
    """The HTML of one view and the graph it draws."""
    aliases = filters.pop("aliases", None)
    if view == "units":
        return units_page(rows, kinds, title, aliases=aliases, **filters)
    if filters.get("unit") or filters.get("kind") or (filters.get("min_shared") or 1) > 1:
        raise KepugraphError("a unit, kind or min_shared filter applies to the units view only")
    if view == "bipartite":
        return bipartite_page(rows, kinds, title, aliases)
    if view == "plan":
        return plan_page(rows, kinds, title, aliases)
    raise KepugraphError(f"unknown view {view!r}; views: units, bipartite, plan")
