"""Workload, co-responsibility and structure of the responsibility network (networkx).

Everything here reads :class:`~kepugraph.rdf.MeasureRow` lists taken from the RDF graph
(:func:`kepugraph.rdf.measure_rows`), never the raw text, and returns plain rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Sequence

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .errors import UnknownUnitError
from .namespace import KP
from .rdf import MeasureRow
from .units import KINDS, closest, level_and_stem, resolve

#: A measure with at least this many units spreads responsibility thin.
DIFFUSE_AT = 10


@dataclass
class WorkloadRow:
    unit: str
    measures: int
    lead: int
    support: int
    joint: int
    share: float  # a measure with k units gives each 1/k
    kind: str = ""
    group: str | None = None  # the heading of a breakdown by part or section
    units: int = 1  # units counted in the row (more than one for a breakdown by kind)


def unit_kinds(g: Graph) -> dict[str, str]:
    """Unit name → kind label (党委部门, 政府部门 …) as stored in the graph."""
    out = {}
    for u in g.subjects(RDF.type, KP.Unit):
        name = str(g.value(u, SKOS.prefLabel))
        kind = g.value(u, KP.kind)
        out[name] = KINDS.get(str(kind).rsplit("#", 1)[-1], "其他") if kind else "其他"
    return out


def part_of(row: MeasureRow) -> str:
    """The measure's part: the heading above its innermost one (（一）提升行动)."""
    return row.path[-2] if len(row.path) >= 2 else (row.path[0] if row.path else "")


def section_of(row: MeasureRow) -> str:
    """The measure's innermost heading (1.青少年科学素质提升行动)."""
    return row.path[-1] if row.path else ""


def workload(rows: Sequence[MeasureRow], by: str | None = None,
             kinds: dict[str, str] | None = None) -> list[WorkloadRow]:
    """Measures per unit: total, by role, and share-weighted; largest first.

    Args:
        rows: the measures.
        by: None for one row per unit; "part" or "section" for one row per unit and
            heading; "kind" for one row per unit kind, where ``measures`` counts the
            distinct measures naming a unit of that kind and the roles count the
            assignments.
        kinds: unit → kind label, for the kind column and ``by="kind"``.
    """
    kinds = kinds or {}
    stems: dict[str, str] = {}

    def stem_of(name: str) -> str:  # a corpus names the same units a million times
        if name not in stems:
            stems[name] = level_and_stem(name)[1]
        return stems[name]

    acc: dict[tuple[str | None, str], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0])
    for row in rows:
        k = len(row.units)
        for name, role in row.units:
            if by == "kind":
                key = (None, kinds.get(name, "其他"))
            elif by == "stem":
                key = (None, stem_of(name))
            elif by in ("part", "section"):
                key = (part_of(row) if by == "part" else section_of(row), name)
            else:
                key = (None, name)
            a = acc[key]
            a[0] += 1
            a[{"lead": 1, "support": 2, "joint": 3}[role]] += 1
            a[4] += 1 / k
    out = [
        WorkloadRow(unit=name, measures=a[0], lead=a[1], support=a[2], joint=a[3], share=round(a[4], 4),
                    kind=kinds.get(name, "") if by not in ("kind", "stem") else name, group=group)
        for (group, name), a in acc.items()
    ]
    if by in ("kind", "stem"):
        # a measure counts once per group, however many units of the group it names;
        # units count per plan (区科协 of two districts are two units)
        group_of = (lambda n: kinds.get(n, "其他")) if by == "kind" else stem_of
        distinct: dict[str, set[str]] = defaultdict(set)
        members: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for row in rows:
            for name, _ in row.units:
                distinct[group_of(name)].add(row.iri)
                members[group_of(name)].add((row.plan, name))
        for r in out:
            r.measures = len(distinct[r.unit])
            r.units = len(members[r.unit])
    if by in ("part", "section"):
        order = {}
        for row in rows:
            order.setdefault(part_of(row) if by == "part" else section_of(row), len(order))
        out.sort(key=lambda r: (order[r.group], -r.measures, -r.share, r.unit))
    else:
        out.sort(key=lambda r: (-r.measures, -r.share, r.unit))
    return out


def unit_measures(rows: Iterable[MeasureRow]) -> dict[str, list[MeasureRow]]:
    out: dict[str, list[MeasureRow]] = defaultdict(list)
    for row in rows:
        for name, _ in row.units:
            out[name].append(row)
    return dict(out)


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


def find_unit(rows: Sequence[MeasureRow], name: str) -> str:
    """The unit a user means by ``name``.

    Raises:
        UnknownUnitError: no unit matches; carries the closest names.
    """
    names = list(dict.fromkeys(n for r in rows for n, _ in r.units))
    found = resolve(name, names)
    if found is None:
        raise UnknownUnitError(name, closest(name, names))
    return found


def partners(rows: Sequence[MeasureRow], unit: str) -> list[PairRow]:
    """Whom ``unit`` shares measures with, most shared first."""
    unit = find_unit(rows, unit)
    return [PairRow(units=(unit, p.units[1] if p.units[0] == unit else p.units[0]), shared=p.shared,
                    jaccard=p.jaccard, measures=p.measures)
            for p in pairs(rows) if unit in p.units]


def tasks(rows: Sequence[MeasureRow], unit: str) -> list[tuple[MeasureRow, str]]:
    """The measures of one unit with its role on each, in document order."""
    unit = find_unit(rows, unit)
    return [(r, role) for r in rows for n, role in r.units if n == unit]


@dataclass
class CentralityRow:
    unit: str
    degree: int
    weighted_degree: int
    betweenness: float
    eigenvector: float


def centrality(rows: Sequence[MeasureRow], sample_over: int = 500, seed: int = 42) -> tuple[list[CentralityRow], str]:
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
        The rows and a note saying whether betweenness is exact or sampled.
    """
    g = projection(rows)
    if not len(g):
        return [], "empty graph"
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
    where = f" in {len(groups)} groups" if len(groups) > 1 else ""
    if exact:
        note = f"betweenness exact over {n} units{where}"
    else:
        note = f"betweenness sampled from {used} pivots over {n} units{where} (seed {seed})"
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


@dataclass
class Risks:
    single_unit: list[MeasureRow]  # nobody to back up
    diffuse: list[MeasureRow]  # ≥ DIFFUSE_AT units
    no_lead: list[MeasureRow]  # support units only, or a joint list: nobody leads alone
    named_once: list[str]  # units with one measure


def risks(rows: Sequence[MeasureRow], diffuse_at: int = DIFFUSE_AT) -> Risks:
    counts = Counter(n for r in rows for n, _ in r.units)
    return Risks(
        single_unit=[r for r in rows if len(r.units) == 1],
        diffuse=[r for r in rows if len(r.units) >= diffuse_at],
        no_lead=[r for r in rows if sum(1 for _, role in r.units if role == "lead") != 1
                 and not (len(r.units) == 1)],
        named_once=sorted((n for n, c in counts.items() if c == 1), key=lambda n: list(counts).index(n)),
    )
