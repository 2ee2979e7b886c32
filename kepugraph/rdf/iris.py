"""Stable IRIs: minted from the plan's 文号 (or title) and ordinals, the same on every run."""

from __future__ import annotations

import re

from rdflib import URIRef

from kepugraph.model import Plan
from kepugraph.rdf.namespace import ID


def slug(text: str, limit: int = 60) -> str:
    """An IRI-safe, readable piece: CJK and ASCII letters and digits kept, the rest '-'.

    >>> slug("泰山政办字〔2022〕7号"), slug("各县(市、区)人民政府")
    ('泰山政办字-2022-7号', '各县-市-区-人民政府')
    """
    s = re.sub(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff_]+", "-", text).strip("-")
    return s[:limit].strip("-") or "x"


def plan_iri(plan: Plan) -> URIRef:
    key = plan.meta.doc_number or plan.meta.title or (plan.sha256[:12] if plan.sha256 else "plan")
    return ID[slug(key)]


def body_iri(stem: str) -> URIRef:
    """The body type a unit shares with its counterparts at other levels (科协 for 区科协)."""
    return ID[f"body/{slug(stem, 80)}"]


def measure_iri(plan_ref: URIRef, ordinal: int) -> URIRef:
    return URIRef(f"{plan_ref}/measure/{ordinal}")


def unit_iri(plan_ref: URIRef, name: str) -> URIRef:
    return URIRef(f"{plan_ref}/unit/{slug(name, 80)}")
