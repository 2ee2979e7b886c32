"""Who carries how much: measures per unit, by role, by part, section, kind or stem; a unit's tasks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from kepugraph.analysis.units import find_unit
from kepugraph.names import level_and_stem
from kepugraph.rdf.rows import MeasureRow
from kepugraph.store.totals import share


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


def part_of(row: MeasureRow) -> str:
    """The measure's part: the heading above its innermost one (（一）提升行动)."""
    return row.path[-2] if len(row.path) >= 2 else (row.path[0] if row.path else "")


def parts_of(rows: Sequence[MeasureRow]) -> list[str]:
    """Each row's part, read against the rest of its plan: the heading above its innermost
    one, unless other measures have their parts below that heading.

    Measures at different depths under one heading (一、 > （一） > 1. for some, 一、 > （二）
    for others) keep their parts on one level: those under （二） are in part （二）, beside
    （一）, not in 一、 above both. A part nobody stands below (四、保障措施 > （一）…) stays."""
    nodes: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in rows:
        if len(row.path) >= 2:
            nodes[row.plan].add(tuple(row.path[:-1]))
    covers: dict[tuple[str, tuple[str, ...]], bool] = {}

    def has_parts_below(plan: str, node: tuple[str, ...]) -> bool:
        key = (plan, node)
        if key not in covers:
            covers[key] = any(len(n) > len(node) and n[:len(node)] == node for n in nodes[plan])
        return covers[key]

    out = []
    for row in rows:
        if len(row.path) >= 2 and has_parts_below(row.plan, tuple(row.path[:-1])):
            out.append(row.path[-1])
        else:
            out.append(part_of(row))
    return out


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

    # the share as measures per number of units (k → n), summed exactly as the corpus totals are
    acc: dict[tuple[str | None, str], list] = defaultdict(lambda: [0, 0, 0, 0, defaultdict(int)])
    parts = parts_of(rows) if by == "part" else []
    for i, row in enumerate(rows):
        k = len(row.units)
        for name, role in row.units:
            if by == "kind":
                key = (None, kinds.get(name, "其他"))
            elif by == "stem":
                key = (None, stem_of(name))
            elif by in ("part", "section"):
                key = (parts[i] if by == "part" else section_of(row), name)
            else:
                key = (None, name)
            a = acc[key]
            a[0] += 1
            a[{"lead": 1, "support": 2, "joint": 3}[role]] += 1
            a[4][k] += 1
    out = [
        WorkloadRow(unit=name, measures=a[0], lead=a[1], support=a[2], joint=a[3], share=share(a[4]),
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
        for i, row in enumerate(rows):
            order.setdefault(parts[i] if by == "part" else section_of(row), len(order))
        out.sort(key=lambda r: (order[r.group], -r.measures, -r.share, r.unit))
    else:
        out.sort(key=lambda r: (-r.measures, -r.share, r.unit))
    return out


def workload_of_totals(totals: dict, by: str | None = None, kinds: dict[str, str] | None = None) -> list[WorkloadRow]:
    """:func:`workload` (``by`` None, "kind" or "stem") from a corpus store's totals
    (:mod:`kepugraph.store.totals`): the same rows in the same order, without reading a measure."""
    kinds = kinds or {}
    units = totals["units"]
    if by is None:
        out = [WorkloadRow(unit=n, measures=u["c"][0], lead=u["c"][1], support=u["c"][2], joint=u["c"][3],
                           share=share(u["k"]), kind=kinds.get(n, "")) for n, u in units.items()]
    else:
        group_of = (lambda n: kinds.get(n, "其他")) if by == "kind" else (lambda n: level_and_stem(n)[1])
        acc: dict[str, list] = {}
        for n, u in units.items():
            a = acc.setdefault(group_of(n), [0, 0, 0, 0, defaultdict(int), 0])
            for i in range(4):
                a[i] += u["c"][i]
            for k, m in u["k"].items():
                a[4][k] += m
            a[5] += u["n"]  # a unit counts once per plan that names it
        out = [WorkloadRow(unit=g, measures=totals[by].get(g, 0), lead=a[1], support=a[2], joint=a[3],
                           share=share(a[4]), kind=g, units=a[5]) for g, a in acc.items()]
    out.sort(key=lambda r: (-r.measures, -r.share, r.unit))
    return out


def tasks(rows: Sequence[MeasureRow], unit: str) -> list[tuple[MeasureRow, str]]:
    """The measures of one unit with its role on each, in document order."""
    if not rows or all(n != unit for n, _ in rows[0].units):  # rows read for the unit name it as it is
        unit = find_unit(rows, unit)
    return [(r, role) for r in rows for n, role in r.units if n == unit]
