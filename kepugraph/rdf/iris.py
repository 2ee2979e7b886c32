"""Stable IRIs: minted from the plan's 文号 (or title) and ordinals, the same on every run."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from kepugraph.model import Plan
from kepugraph.rdf.namespace import ID

_NOT_SLUG_RE = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff_]+")


def slug(text: str, limit: int = 60) -> str:
    """An IRI-safe, readable piece: CJK and ASCII letters and digits kept, the rest '-'.

    >>> slug("泰山政办字〔2022〕7号"), slug("各县(市、区)人民政府")
    ('泰山政办字-2022-7号', '各县-市-区-人民政府')
    """
    s = _NOT_SLUG_RE.sub("-", text).strip("-")
    return s[:limit].strip("-") or "x"


def normal_key(text: str) -> str:
    """A 文号 or title as an identity: NFKC (width, compatibility forms), then :func:`slug`.

    >>> normal_key("泰山政办字［２０２２］7号"), normal_key("某区科普工作 方案 |  | ")
    ('泰山政办字-2022-7号', '某区科普工作-方案')
    """
    return slug(unicodedata.normalize("NFKC", text))


def plan_key(plan: Plan) -> str:
    """What makes a plan the same plan whatever file it was read from: its 文号, else its title,
    else its measures — never the file's bytes, so a plan's .docx, .xlsx, .pdf and .txt copies
    are one plan (each replaces the other in a store, never sits beside it).

    Width, spaces, brackets and separators do not count (see :func:`normal_key`).
    """
    for value in (plan.meta.doc_number, plan.meta.title):
        if value and normal_key(value) != "x":
            return normal_key(value)
    # neither 文号 nor title: the measures' titles, normalised, are the plan
    text = "\n".join(re.sub(r"\s+", "", unicodedata.normalize("NFKC", m.title)) for m in plan.measures)
    return "plan-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def plan_iri(plan: Plan) -> URIRef:
    """The plan's IRI, minted from :func:`plan_key`."""
    return ID[plan_key(plan)]


def body_iri(stem: str) -> URIRef:
    """The body type a unit shares with its counterparts at other levels (科协 for 区科协)."""
    return ID[f"body/{slug(stem, 80)}"]


def measure_iri(plan_ref: URIRef, ordinal: int) -> URIRef:
    return URIRef(f"{plan_ref}/measure/{ordinal}")


def unit_iri(plan_ref: URIRef, name: str) -> URIRef:
    return URIRef(f"{plan_ref}/unit/{slug(name, 80)}")
