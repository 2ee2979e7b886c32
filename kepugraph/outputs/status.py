"""Follow-up on a page: units and measures coloured by where their tasks stand — green done,
yellow due soon, red overdue, grey not reported — with a legend, and the click panel
extended with each unit's latest report. Laid over any page of :mod:`kepugraph.outputs.pages`
after it is drawn, so the views themselves do not change."""

from __future__ import annotations

import html

from kepugraph.analysis.progress import Progress
from kepugraph.outputs.lookup import script_json
from kepugraph.vocab import FOLLOW_UP_COLORS, FOLLOW_UP_LABELS

#: Which state a unit or measure shows when its tasks differ, the most urgent first.
UNIT_ORDER = ("overdue", "due_soon", "not_reported", "done")
MEASURE_ORDER = ("overdue", "due_soon", "done", "not_reported")


def follow_up_states(p: Progress, iris: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The colour state of every unit and measure (by the page's node ids: unit name, measure
    IRI): the most urgent of its tasks', ``on_track`` when all are reported and none urgent.

    A measure is done when every unit has closed it; a unit when it has closed all its tasks.
    """
    by_unit: dict[str, set[str]] = {}
    by_measure: dict[str, set[str]] = {}
    for t in p.tasks:
        by_unit.setdefault(t.unit, set()).add(t.state)
        by_measure.setdefault(iris[t.id], set()).add(t.state)

    def pick(states: set[str], order) -> str:
        if states == {"done"}:
            return "done"
        return next((s for s in order if s in states and s != "done"), "on_track")

    return ({u: pick(states, UNIT_ORDER) for u, states in by_unit.items()},
            {m: pick(states, MEASURE_ORDER) for m, states in by_measure.items()})


def legend_html() -> str:
    items = "".join(f'<span class="kp-key"><i style="background:{c}"></i>{html.escape(FOLLOW_UP_LABELS[k])}</span>'
                    for k, c in FOLLOW_UP_COLORS.items())
    return f'<div id="kp-status-legend"><span class="kp-key"><b>进展：</b></span>{items}</div>'


# ES5: recolour the drawn nodes, and add the latest reports under what the panel shows on a click
SCRIPT = r"""
(function () {
  var panel = document.getElementById('kp-panel');
  var updates = [];
  [KPS.u, KPS.m].forEach(function (states) {
    Object.keys(states).forEach(function (id) {
      if (network.body.data.nodes.get(id) !== null) {
        var c = KPS.c[states[id]];
        updates.push({id: id, color: {background: c, border: '#555555', highlight: {background: c, border: '#000000'}}});
      }
    });
  });
  network.body.data.nodes.update(updates);
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function line(r) {
    return r[0] + '（' + r[1] + '报送' + (r[3] ? '，' + r[3] : '') + '）' + (r[2] ? '：' + r[2] : '');
  }
  network.on('click', function (p) {
    if (!p.nodes.length) { return; }
    var id = p.nodes[0], list = el('ol');
    panel.appendChild(el('h3', '最新进展（截至 ' + KPS.today + '）'));
    if (KPS.r[id]) {
      Object.keys(KPS.r[id]).forEach(function (unit) {
        var r = KPS.r[id][unit];
        list.appendChild(el('li', unit + '：' + (r ? line(r) : '未报送')));
      });
    } else if (KP.u[id]) {
      KP.u[id].m.forEach(function (key) {
        var r = KPS.r[key] && KPS.r[key][id];
        list.appendChild(el('li', KP.m[key].id + ' ' + (r ? line(r) : '未报送')));
      });
    }
    panel.appendChild(list);
  });
})();
"""


def status_overlay(page: str, p: Progress, iris: dict[str, str]) -> str:
    """``page`` with the follow-up colours, legend and reports laid over it.

    Args:
        iris: measure id → the page's node id for it (its IRI).
    """
    units, measures = follow_up_states(p, iris)
    reports: dict[str, dict[str, list | None]] = {}
    for t in p.tasks:
        r = t.latest
        reports.setdefault(iris[t.id], {})[t.unit] = [t.status, r.reported, r.note, r.round] if r else None
    data = {"u": units, "m": measures, "c": FOLLOW_UP_COLORS, "r": reports, "today": p.today}
    # the colours now mean progress: the legend of kinds (or parts) steps aside for the follow-up's
    page = page.replace('<div id="kp-legend">', legend_html() + '<div id="kp-legend" style="display:none">', 1)
    script = f"<script>var KPS = {script_json(data)};</script><script>if (typeof network !== 'undefined') {{{SCRIPT}}}</script>"
    return page.replace("</body>", script + "</body>", 1)
