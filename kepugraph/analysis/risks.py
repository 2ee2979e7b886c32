"""Measures and units a supervisor should look at: single units, diffuse lists, no single lead."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from kepugraph.rdf.rows import MeasureRow

#: A measure with at least this many units spreads responsibility thin.
DIFFUSE_AT = 10


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
