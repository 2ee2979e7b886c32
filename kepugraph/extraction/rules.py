"""Rules a plan declares about its own annotations, applied forward from where they are
made: 排在首位的为牵头单位 (the first unit listed leads), 以下各项工作均需X落实 (X takes part
in every later measure). A rule changes roles or adds units; it is never a unit itself."""

from __future__ import annotations

from kepugraph.extraction.attach import Draft
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.naming import FIRST_LEAD_RE
from kepugraph.extraction.units import unspaced
from kepugraph.model import UnitRef


class Rules:
    """The rules in force while a document's drafts are read in order."""

    def __init__(self, doc: Doc):
        # 排名第一的为牵头单位 may be declared anywhere (a note before the list, a
        # heading, an annotation); it holds from there to the end
        self.declared_at = [m.start() for m in FIRST_LEAD_RE.finditer(doc.norm)]
        self.first_is_lead = False
        self.carry: list[tuple[str, str]] = []
        self.carry_generic: list[str] = []

    def settle(self, d: Draft) -> tuple[list[UnitRef], list[str]]:
        """The units (with their final roles) and the vague references of one draft."""
        units: list[UnitRef] = []
        generic: list[str] = []
        declared_lead = any(a.first_is_lead for a in d.anns) or any(at < d.end for at in self.declared_at)
        # run-in fields are one annotation: 责任单位 under a 牵头单位 line supports it
        field_lead = d.source == "field" and any(r == "lead" for a in d.anns for _, r in a.units)
        for ann in d.anns:
            roles = [(n, "support" if field_lead and r == "joint" else r) for n, r in ann.units]
            explicit = any(r != "joint" for _, r in roles)
            if (self.first_is_lead or declared_lead) and not explicit and roles:
                roles = [(n, "lead" if i == 0 else "support") for i, (n, _) in enumerate(roles)]
            _add(units, roles)
            _extend(generic, ann.generic)
        if d.source != "prose":
            _add(units, self.carry)
            _extend(generic, self.carry_generic)
        for ann in d.anns:
            self.first_is_lead = self.first_is_lead or ann.first_is_lead
            _extend(self.carry, ann.carry)
            _extend(self.carry_generic, ann.carry_generic)
        return units, generic


def _add(units: list[UnitRef], roles: list[tuple[str, str]]) -> None:
    for n, r in roles:
        n = unspaced(n)
        if not any(u.name == n for u in units):
            units.append(UnitRef(n, r, len(units) + 1))


def _extend(items: list, more: list) -> None:
    items += [x for x in more if x not in items]
