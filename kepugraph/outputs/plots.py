"""Matplotlib figures of a plan's responsibilities, drawn with a CJK font (no tofu boxes).

Needs the ``notebook`` extra (matplotlib); Debian's ``fonts-noto-cjk`` gives the font.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Sequence

import networkx as nx

from kepugraph.analysis import communities, projection, section_of, workload
from kepugraph.rdf.rows import MeasureRow
from kepugraph.vocab import ROLE_COLORS, ROLE_LABELS

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
             "Microsoft YaHei", "PingFang SC")


def use_cjk_font() -> str | None:
    """Make matplotlib draw Chinese with the first CJK font found by name.

    Returns:
        The font's name, or None (with a warning) when none is installed.
    """
    # matplotlib is an optional dependency (the notebook extra): imported on use
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["font.sans-serif"] = [name] + list(matplotlib.rcParams["font.sans-serif"])
            matplotlib.rcParams["axes.unicode_minus"] = False
            return name
    warnings.warn("no CJK font found (install Debian's fonts-noto-cjk): Chinese labels will show as boxes",
                  stacklevel=2)
    return None


def workload_bar(rows: Sequence[MeasureRow], top: int = 15):
    """Horizontal bars: measures per unit by role, busiest at the top."""
    import matplotlib.pyplot as plt  # optional dependency, imported on use

    data = workload(rows)[:top][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(data) + 1))
    names = [r.unit for r in data]
    left = [0] * len(data)
    for attr in ("lead", "joint", "support"):
        label, colour = ROLE_LABELS[attr], ROLE_COLORS[attr]
        values = [getattr(r, attr) for r in data]
        ax.barh(names, values, left=left, label=label, color=colour)
        left = [a + b for a, b in zip(left, values)]
    ax.set_xlabel("任务数")
    ax.set_title("各单位承担任务数")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def section_heatmap(rows: Sequence[MeasureRow], top: int = 20):
    """Units × sections: how many measures of each section a unit carries."""
    import matplotlib.pyplot as plt  # optional dependency, imported on use

    units = [r.unit for r in workload(rows)[:top]]
    sections = list(dict.fromkeys(section_of(r) for r in rows))
    counts = Counter((section_of(r), n) for r in rows for n, _ in r.units)
    grid = [[counts[(s, u)] for s in sections] for u in units]
    fig, ax = plt.subplots(figsize=(0.55 * len(sections) + 3, 0.35 * len(units) + 2))
    im = ax.imshow(grid, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(sections)), [s if len(s) <= 12 else s[:11] + "…" for s in sections], rotation=60,
                  ha="right")
    ax.set_yticks(range(len(units)), units)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8, color="white" if v > 2 else "black")
    fig.colorbar(im, ax=ax, label="任务数")
    ax.set_title("单位 × 章节 责任分布")
    fig.tight_layout()
    return fig


def network_figure(rows: Sequence[MeasureRow], seed: int = 42, min_shared: int = 1):
    """The co-responsibility network coloured by Louvain community (fixed seed)."""
    import matplotlib.pyplot as plt  # optional dependency, imported on use

    g = projection(rows)
    g.remove_edges_from([(a, b) for a, b, d in g.edges(data=True) if d["weight"] < min_shared])
    groups = communities(rows, seed=seed)
    palette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#9d755d"]
    colour = {n: palette[i % len(palette)] for i, group in enumerate(groups) for n in group}
    pos = nx.spring_layout(g, weight="weight", seed=seed, k=1.2)
    fig, ax = plt.subplots(figsize=(11, 8))
    widths = [0.3 + d["weight"] / 4 for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.35, edge_color="#777777")
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=[60 + 40 * g.nodes[n]["measures"] for n in g],
                           node_color=[colour[n] for n in g])
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=9, font_family=plt.rcParams["font.sans-serif"][0])
    ax.set_title(f"单位协同网络（Louvain 社区，seed={seed}）")
    ax.axis("off")
    fig.tight_layout()
    return fig
