"""Co-responsibility as a network: the bipartite graph, the unit projection, pairs and partners,
centralities and communities (networkx)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Sequence

import networkx as nx

from kepugraph.analysis.units import find_unit
from kepugraph.rdf.rows import MeasureRow


def bipartite(rows: Sequence[MeasureRow]) -> nx.Graph:
    """Measures and units as a bipartite graph; edges carry the role."""
    g = nx.Graph()
    for row in rows:
        g.add_node(row.iri, bipartite=0, kind="measure", title=row.title, id=row.id, path=row.path)
        for name, role in row.units:
            g.add_node(name, bipartite=1, kind="unit")
            g.add_edge(row.iri, name, role=role)
    return g


def projection(rows: Sequence[MeasureRow]) -> nx.Graph:
    """Unit–unit graph, edge weight = measures shared.

    Counts the pairs of each measure directly, which is far faster than
    ``bipartite.weighted_projected_graph`` on large corpora.
    """
    shared: dict[tuple[str, str], list[MeasureRow]] = defaultdict(list)
    counts: Counter[str] = Counter()  # keeps first-mention order, as the nodes do
    for row in rows:
        names = sorted({n for n, _ in row.units})
        counts.update(names)
        for pair in combinations(names, 2):
            shared[pair].append(row)
    g = nx.Graph()
    g.add_nodes_from((n, {"measures": c}) for n, c in counts.items())
    g.add_edges_from((a, b, {"weight": len(ms), "measures": [m.title for m in ms], "ids": [m.id for m in ms]})
                     for (a, b), ms in shared.items())
    return g


@dataclass
class PairRow:
    units: tuple[str, str]
    shared: int
    jaccard: float
    measures: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)  # from the totals: the first plans sharing (IRIs)
    in_plans: int = 0  # from the totals: how many plans the pair shares measures in
    partial: bool = False  # from the totals: ``measures`` are the first titles only, of ``plans``


def pairs(rows: Sequence[MeasureRow], top: int | None = None, min_shared: int = 1) -> list[PairRow]:
    """Unit pairs by measures shared (then Jaccard index of their measure sets)."""
    g = projection(rows)
    counts = {n: g.nodes[n]["measures"] for n in g}
    out = []
    for a, b, d in g.edges(data=True):
        if d["weight"] < min_shared:
            continue
        a, b = sorted((a, b), key=lambda n: (-counts[n], n))
        union = counts[a] + counts[b] - d["weight"]
        out.append(PairRow(units=(a, b), shared=d["weight"], jaccard=round(d["weight"] / union, 4),
                           measures=list(d["measures"])))
    out.sort(key=lambda r: (-r.shared, -r.jaccard, r.units))
    return out[:top] if top else out


def pairs_of_totals(totals: dict, top: int | None = None, min_shared: int = 1) -> list[PairRow]:
    """:func:`pairs` from a corpus store's totals (:mod:`kepugraph.store.totals`): the same pairs
    in the same order, each with the titles of the first plans sharing it (``partial`` when
    more plans share it than the totals keep)."""
    counts = {n: u["m"] for n, u in totals["units"].items()}
    out = []
    for key, p in totals["pairs"].items():
        if p["s"] < min_shared:
            continue
        a, b = sorted(key.split("\t"), key=lambda n: (-counts[n], n))
        union = counts[a] + counts[b] - p["s"]
        out.append(PairRow(units=(a, b), shared=p["s"], jaccard=round(p["s"] / union, 4),
                           measures=[t for _, titles in p["head"] for t in titles],
                           plans=[iri for iri, _ in p["head"]], in_plans=p["n"], partial=len(p["head"]) < p["n"]))
    out.sort(key=lambda r: (-r.shared, -r.jaccard, r.units))
    return out[:top] if top else out


def partners(rows: Sequence[MeasureRow], unit: str) -> list[PairRow]:
    """Whom ``unit`` shares measures with, most shared first."""
    unit = find_unit(rows, unit)
    return [PairRow(units=(unit, p.units[1] if p.units[0] == unit else p.units[0]), shared=p.shared,
                    jaccard=p.jaccard, measures=p.measures)
            for p in pairs(rows) if unit in p.units]


@dataclass(frozen=True)
class BetweennessNote:
    """How betweenness was found: exactly, or from ``pivots`` sampled pivots (seeded).

    >>> str(BetweennessNote(25, 2)), BetweennessNote(25, 2).zh
    ('betweenness exact over 25 units in 2 groups', '中介中心性：精确计算，25 个单位，2 个互不相连的组')
    """

    units: int
    groups: int = 1
    pivots: int | None = None  # None: exact
    seed: int = 42

    def __str__(self) -> str:
        if not self.units:
            return "empty graph"
        where = f" in {self.groups} groups" if self.groups > 1 else ""
        if self.pivots is None:
            return f"betweenness exact over {self.units} units{where}"
        return f"betweenness sampled from {self.pivots} pivots over {self.units} units{where} (seed {self.seed})"

    @property
    def zh(self) -> str:
        if not self.units:
            return "空图"
        where = f"，{self.groups} 个互不相连的组" if self.groups > 1 else ""
        if self.pivots is None:
            return f"中介中心性：精确计算，{self.units} 个单位{where}"
        return f"中介中心性：抽样 {self.pivots} 个枢纽估算，{self.units} 个单位{where}（随机种子 {self.seed}）"


@dataclass
class CentralityRow:
    unit: str
    degree: int
    weighted_degree: int
    betweenness: float
    eigenvector: float


def centrality(rows: Sequence[MeasureRow], sample_over: int = 500, seed: int = 42) -> tuple[list[CentralityRow], BetweennessNote]:
    """Centralities on the unit projection, most central first.

    Shortest paths never leave a group of units linked by shared measures, so
    betweenness is computed group by group and scaled as over the whole graph:
    exact while the projection has at most ``sample_over`` units, otherwise from
    about ``sample_over`` pivots spread over the groups by size, at least one in each
    (seeded); the note says which, and how many pivots.
    Eigenvector centrality is the graph's leading eigenvector: it lives on the
    groups of the largest eigenvalue, the others are 0; a group whose largest
    weighted degree (an upper bound of its eigenvalue) is below another group's mean
    weighted degree (a lower bound) is not computed. A corpus whose units are kept
    apart per plan has thousands of small groups, which this keeps fast.

    Returns:
        The rows and a :class:`BetweennessNote` saying whether betweenness is exact or sampled.
    """
    g = projection(rows)
    if not len(g):
        return [], BetweennessNote(0)
    n = len(g)
    # betweenness reads weights as distances: a pair sharing more is closer
    for _, _, d in g.edges(data=True):
        d["distance"] = 1 / d["weight"]
    groups = [g.subgraph(c).copy() for c in sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))]
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0  # networkx's normalisation for n nodes
    exact = n <= sample_over
    btw: dict[str, float] = {}
    used = 0
    for k, sub in enumerate(groups):
        size = len(sub)
        pivots = size if exact else max(1, round(sample_over * size / n))
        if size <= 2:
            raw = dict.fromkeys(sub, 0.0)
        elif pivots >= size:
            raw = nx.betweenness_centrality(sub, normalized=False, weight="distance")
        else:
            raw = nx.betweenness_centrality(sub, k=pivots, normalized=False, weight="distance", seed=seed + k)
        used += min(pivots, size) if size > 2 else 0
        btw.update((u, v * scale) for u, v in raw.items())
    strength = dict(g.degree(weight="weight"))
    floor = max(sum(strength[u] for u in sub) / len(sub) for sub in groups)
    vectors = [_eigenvector(sub) for sub in groups if max(strength[u] for u in sub) >= floor]
    top = max(value for _, value in vectors)
    eig = {u: 0.0 for u in g}
    lead = [x for x, value in vectors if top > 0 and value >= top * (1 - 1e-9)]
    norm = sum(v * v for x in lead for v in x.values()) ** 0.5 or 1.0
    for x in lead:
        eig.update((u, v / norm) for u, v in x.items())
    note = BetweennessNote(n, len(groups), None if exact else used, seed)
    out = [CentralityRow(unit=u, degree=g.degree(u), weighted_degree=int(g.degree(u, weight="weight")),
                         betweenness=round(btw[u], 4), eigenvector=round(eig[u], 4)) for u in g]
    out.sort(key=lambda r: (-r.weighted_degree, -r.degree, r.unit))
    return out, note


def _eigenvector(g: nx.Graph) -> tuple[dict[str, float], float]:
    """Eigenvector centrality of a connected graph and its eigenvalue (Rayleigh quotient)."""
    if len(g) == 1:
        return dict.fromkeys(g, 0.0), 0.0
    try:
        x = nx.eigenvector_centrality(g, weight="weight", max_iter=1000)
    except nx.PowerIterationFailedConvergence:  # (networkx's numpy variant needs scipy)
        x = nx.eigenvector_centrality(g, weight="weight", max_iter=20000, tol=1e-4)
    value = 2 * sum(d["weight"] * x[u] * x[v] for u, v, d in g.edges(data=True)) / sum(v * v for v in x.values())
    return x, value


def communities(rows: Sequence[MeasureRow], seed: int = 42, resolution: float = 1.0) -> list[list[str]]:
    """Groups of units that share work: Louvain on the projection with a fixed seed.

    Each group is sorted by workload; groups largest first.
    """
    g = projection(rows)
    if not len(g):
        return []
    found = nx.community.louvain_communities(g, weight="weight", seed=seed, resolution=resolution)
    load = {n: g.nodes[n]["measures"] for n in g}
    groups = [sorted(c, key=lambda n: (-load[n], n)) for c in found]
    groups.sort(key=lambda c: (-len(c), -sum(load[n] for n in c), c[0]))
    return groups
