"""Measures and units a supervisor should look at: single units, diffuse lists, no single lead."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from kepugraph.rdf.rows import MeasureRow

#: A measure with at least this many units spreads responsibility thin.
DIFFUSE_AT = 10


@dataclass
class Risks:
    single_unit: list[MeasureRow]  # nobody to back up
    diffuse: list[MeasureRow]  # ≥ DIFFUSE_AT units
    no_lead: list[MeasureRow]  # units told to support (配合) with nobody named to lead
    named_once: list[str]  # units with one measure
    joint_only: list[MeasureRow] = field(default_factory=list)  # several units jointly, none leads
    total: int = 0
    generic: list[MeasureRow] = field(default_factory=list)  # 有关部门 beside the units, or only 各街道…

    @property
    def summary(self) -> str:
        """The plan-level picture first: 31 项任务中 29 项为共同负责，未指定牵头单位."""
        if not self.joint_only:
            return f"{self.total} 项任务均指定了牵头单位或单一责任单位"
        return f"{self.total} 项任务中 {len(self.joint_only)} 项为共同负责，未指定牵头单位"

    @property
    def summary_en(self) -> str:
        if not self.joint_only:
            return f"all {self.total} measures name a lead or a single unit"
        return f"{len(self.joint_only)} of {self.total} measures are jointly responsible with no lead named"


def collective(name: str) -> bool:
    """各街道, 各区县人民政府: every body of a kind, not one that answers by name."""
    return name.startswith("各") and len(name) >= 3


def risks(rows: Sequence[MeasureRow], diffuse_at: int = DIFFUSE_AT) -> Risks:
    """What a supervisor should look at. A plan that assigns joint responsibility
    throughout (按职责分工负责) is said once in :attr:`Risks.summary`, not measure by
    measure; ``no_lead`` keeps the measures whose supporting units have no lead;
    ``generic`` those that leave part of the work to a vague reference (有关部门) or
    name only collectives (各街道、各园区), so that no single body answers."""
    counts = Counter(n for r in rows for n, _ in r.units)
    return Risks(
        single_unit=[r for r in rows if len(r.units) == 1],
        diffuse=[r for r in rows if len(r.units) >= diffuse_at],
        no_lead=[r for r in rows if any(role == "support" for _, role in r.units)
                 and not any(role == "lead" for _, role in r.units)],
        named_once=sorted((n for n, c in counts.items() if c == 1), key=lambda n: list(counts).index(n)),
        joint_only=[r for r in rows if len(r.units) > 1 and all(role == "joint" for _, role in r.units)],
        total=len(rows),
        generic=[r for r in rows if r.generic or r.units and all(collective(n) for n, _ in r.units)],
    )
