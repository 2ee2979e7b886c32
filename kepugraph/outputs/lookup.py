"""What a page needs to look things up: a search box for units (by name or alias) and a
side panel that lists, on a click, a unit's measures or a measure's units.

The data goes into the page as JSON escaped for a script block; the panel is built with
``textContent`` only, so a unit or measure text is shown, never run.
"""

from __future__ import annotations

import html
import json
from typing import Sequence

from kepugraph.analysis import unit_aliases
from kepugraph.rdf.rows import MeasureRow
from kepugraph.vocab import ROLE_LABELS

PANEL_WIDTH = 360  # px


def panel_data(rows: Sequence[MeasureRow], kinds: dict[str, str], aliases: dict[str, str] | None = None) -> dict:
    """Units and measures keyed as the page's node ids (unit name, measure IRI).

    ``u``: unit → kind and its measures in document order; ``m``: measure → number, title,
    section path, full text and units with role labels; ``a``: alias → unit.
    """
    units: dict[str, dict] = {}
    measures: dict[str, dict] = {}
    for r in rows:
        measures[r.iri] = {"id": r.id, "t": r.title, "p": " > ".join(r.path), "x": r.text or r.title,
                           "u": [[n, ROLE_LABELS[role]] for n, role in r.units]}
        for n, _role in r.units:
            units.setdefault(n, {"k": kinds.get(n, "其他"), "m": []})["m"].append(r.iri)
    # the CLI's alias list: filed aliases and short forms (教体局), so the search finds what the CLI finds
    return {"u": units, "m": measures, "a": unit_aliases(list(units), aliases)}


def script_json(data) -> str:
    """JSON that cannot end a script block or open a comment in one."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def search_box(names: Sequence[str]) -> str:
    """The search input, with every unit name and alias offered as the user types."""
    options = "".join(f'<option value="{html.escape(n)}"></option>' for n in names)
    return ('<div id="kp-find"><input id="kp-search" type="search" list="kp-names" autocomplete="off" '
            'placeholder="查找单位 Find a unit" aria-label="查找单位"> '
            f'<span id="kp-found"></span><datalist id="kp-names">{options}</datalist></div>')


STYLE = (
    f"#kp-panel{{position:fixed;right:0;bottom:0;width:{PANEL_WIDTH}px;overflow:auto;background:#fafafa;"
    "border-left:1px solid #ddd;padding:10px 14px;box-sizing:border-box;font-size:13px}"
    f".card{{width:calc(100% - {PANEL_WIDTH + 8}px)!important}}"
    "#kp-panel h2{font-size:16px;margin:4px 0 6px}#kp-panel h3{font-size:14px;margin:12px 0 4px}"
    "#kp-panel .kp-meta{color:#666;margin:0 0 6px}#kp-panel ol{padding-left:20px;margin:4px 0}"
    "#kp-panel li{margin:0 0 8px}#kp-panel a{color:#1f5fa8;cursor:pointer;text-decoration:none}"
    "#kp-panel a:hover{text-decoration:underline}#kp-panel .kp-role{color:#a5561a;margin-left:4px}"
    "#kp-panel .kp-text{color:#333;margin:4px 0 8px;line-height:1.5}"
    "#kp-find{margin:6px 0 2px}#kp-search{width:340px;padding:3px 6px;font:inherit}"
    "#kp-found{color:#a33;font-size:13px;margin-left:8px}"
)

# ES5, no framework: runs wherever vis-network runs. KP is the panel data.
SCRIPT = r"""
(function () {
  var panel = document.getElementById('kp-panel');
  var head = document.getElementById('kp-head');
  function place() { panel.style.top = head.offsetHeight + 'px'; }
  place(); window.addEventListener('resize', place);
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(text, go) {
    var a = el('a', text); a.href = 'javascript:void(0)';
    a.addEventListener('click', function (ev) { ev.preventDefault(); go(); });
    return a;
  }
  function drawn(id) { return network.body.data.nodes.get(id) !== null; }
  function clear(title, meta) {
    panel.textContent = '';
    panel.appendChild(el('h2', title));
    if (meta) { panel.appendChild(el('p', meta, 'kp-meta')); }
  }
  function unitLinks(parent, units, except) {
    units.forEach(function (pair, i) {
      if (pair[0] === except) { return; }
      if (parent.childNodes.length) { parent.appendChild(document.createTextNode('、')); }
      parent.appendChild(link(pair[0], function () { showUnit(pair[0], true); }));
      parent.appendChild(el('span', '（' + pair[1] + '）'));
    });
  }
  function roleOf(m, unit) {
    for (var i = 0; i < m.u.length; i++) { if (m.u[i][0] === unit) { return m.u[i][1]; } }
    return '';
  }
  function measureItem(key, unit) {
    var m = KP.m[key], li = el('li');
    li.appendChild(link(m.id + ' ' + m.t, function () { showMeasure(key, true); }));
    if (unit) { li.appendChild(el('span', roleOf(m, unit), 'kp-role')); }
    var partners = el('div', undefined, 'kp-meta');
    unitLinks(partners, m.u, unit);
    if (partners.childNodes.length) { partners.insertBefore(document.createTextNode('合作：'), partners.firstChild); li.appendChild(partners); }
    return li;
  }
  function select(id, focus) {
    if (!drawn(id)) { return false; }
    network.selectNodes([id]);
    if (focus) { network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false}); }
    return true;
  }
  function showUnit(name, focus) {
    var u = KP.u[name];
    var shown = select(name, focus);
    clear(name, u.k + ' · 任务 ' + u.m.length + ' 项' + (shown ? '' : ' · 本视图未显示'));
    var list = el('ol');
    u.m.forEach(function (key) { list.appendChild(measureItem(key, name)); });
    panel.appendChild(list);
  }
  function showMeasure(key, focus) {
    var m = KP.m[key];
    select(key, focus);
    clear(m.id + ' ' + m.t, m.p);
    panel.appendChild(el('div', m.x, 'kp-text'));
    panel.appendChild(el('h3', '责任单位 ' + m.u.length + ' 个'));
    var list = el('ol');
    m.u.forEach(function (pair) {
      var li = el('li');
      li.appendChild(link(pair[0], function () { showUnit(pair[0], true); }));
      li.appendChild(el('span', pair[1], 'kp-role'));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function showPair(a, b) {
    var mine = {}, both = [];
    KP.u[a].m.forEach(function (k) { mine[k] = true; });
    KP.u[b].m.forEach(function (k) { if (mine[k]) { both.push(k); } });
    clear(a + ' — ' + b, '共担任务 ' + both.length + ' 项');
    var list = el('ol');
    both.forEach(function (key) { list.appendChild(measureItem(key)); });
    panel.appendChild(list);
  }
  network.on('click', function (p) {
    if (p.nodes.length) {
      var id = p.nodes[0];
      if (KP.u[id]) { showUnit(id, false); } else if (KP.m[id]) { showMeasure(id, false); }
    } else if (p.edges.length) {
      var e = network.body.data.edges.get(p.edges[0]);
      if (e && KP.u[e.from] && KP.u[e.to]) { showPair(e.from, e.to); }
    }
  });
  function find(q) {
    q = q.replace(/^\s+|\s+$/g, '');
    if (!q) { return null; }
    if (KP.u[q]) { return q; }
    if (KP.a[q]) { return KP.a[q]; }
    var names = Object.keys(KP.u);
    for (var i = 0; i < names.length; i++) { if (names[i].indexOf(q) >= 0) { return names[i]; } }
    return null;
  }
  var box = document.getElementById('kp-search'), note = document.getElementById('kp-found');
  function go() {
    var name = find(box.value);
    note.textContent = name || !box.value ? '' : '未找到：' + box.value;
    if (name) { showUnit(name, true); }
  }
  box.addEventListener('change', go);
  box.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { go(); } });
})();
"""


def panel_html(data: dict) -> str:
    """The panel (empty until a click), its data and its script, to go before </body>."""
    hint = "点击单位查看其任务，点击任务查看其责任单位，点击连线查看共担任务。"
    return (f'<div id="kp-panel"><p class="kp-meta">{html.escape(hint)}</p></div>'
            f"<script>var KP = {script_json(data)};</script>"
            f"<script>if (typeof network !== 'undefined') {{{SCRIPT}}}</script>")
