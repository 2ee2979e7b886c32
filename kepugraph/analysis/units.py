"""Finding the unit a user means, and the kinds of units a graph records."""

from __future__ import annotations

from typing import Sequence

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kepugraph.errors import UnknownUnitError
from kepugraph.names import closest, resolve
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.rows import MeasureRow
from kepugraph.vocab import KINDS


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


def unit_kinds(g: Graph) -> dict[str, str]:
    """Unit name → kind label (党委部门, 政府部门 …) as stored in the graph."""
    out = {}
    for u in g.subjects(RDF.type, KP.Unit):
        name = str(g.value(u, SKOS.prefLabel))
        kind = g.value(u, KP.kind)
        out[name] = KINDS.get(str(kind).rsplit("#", 1)[-1], "其他") if kind else "其他"
    return out
