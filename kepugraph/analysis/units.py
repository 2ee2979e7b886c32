"""Finding the unit a user means, and the kinds of units a graph records."""

from __future__ import annotations

from typing import Sequence

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kepugraph.errors import UnknownUnitError
from kepugraph.names import closest, level_and_stem, resolve
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.rows import MeasureRow
from kepugraph.vocab import KINDS


def unit_aliases(names: Sequence[str], filed: dict[str, str] | None = None) -> dict[str, str]:
    """The one alias list: every other name :func:`find_unit` takes for a unit, for the CLI, the
    pages' search and SPARQL parameters alike — the aliases filed with ``--aliases``
    (skos:altLabel) and each unit's short forms (its stem, with and without its level) where
    they mean that unit only.

    >>> unit_aliases(["区教育和体育局", "区科协"])["教体局"]
    '区教育和体育局'
    >>> unit_aliases(["区科协", "市科协"]).get("科协") is None  # two units: not an alias of either
    True
    """
    names = list(names)
    out = {a: n for a, n in (filed or {}).items() if n in names and a not in names}
    for n in names:
        level, stem = level_and_stem(n)
        for alias in (stem, level + stem):
            if alias and alias not in names and alias not in out and resolve(alias, names) == n:
                out[alias] = n
    return out


def find_unit(rows: Sequence[MeasureRow], name: str, aliases: dict[str, str] | None = None) -> str:
    """The unit a user means by ``name`` (``aliases``: those filed, see :func:`unit_aliases`).

    Raises:
        UnknownUnitError: no unit matches; carries the closest names.
    """
    return find_name(list(dict.fromkeys(n for r in rows for n, _ in r.units)), name, aliases)


def find_name(names: list[str], name: str, aliases: dict[str, str] | None = None) -> str:
    """:func:`find_unit` among ``names`` (the units in the order the rows first name them)."""
    if aliases and aliases.get(name) in names:
        return aliases[name]
    found = resolve(name, names)
    if found is None:
        raise UnknownUnitError(name, closest(name, names))
    return found


def units_of_totals(totals: dict) -> list[str]:
    """The units of a corpus store's totals (:mod:`kepugraph.store.totals`) in the order the
    rows first name them (plan IRI, then place in the plan), as :func:`find_unit` takes them."""
    units = totals["units"]
    return sorted(units, key=lambda n: tuple(units[n]["head"][0]))


def unit_kinds(g: Graph) -> dict[str, str]:
    """Unit name → kind label (党委部门, 政府部门 …) as stored in the graph."""
    out = {}
    for u in g.subjects(RDF.type, KP.Unit):
        name = str(g.value(u, SKOS.prefLabel))
        kind = g.value(u, KP.kind)
        out[name] = KINDS.get(str(kind).rsplit("#", 1)[-1], "其他") if kind else "其他"
    return out
