"""Corpus totals: who answers for how much, summed over every plan of a corpus store and kept
up to date by each build, change and removal, so that ``workload`` and ``pairs`` over 30,000
plans read one value instead of decoding 900,000 measure rows.

A plan's *tally* (:func:`tally`) is computed from its measure rows: per unit the assignments
by role, the measures naming it and by how many units each is shared (for the share-weighted
load), where it is first named; per unit kind and per stem the measures naming one of their
units; per unit pair the measures both name. The *totals* are the sum of the tallies, with,
for each unit and pair, how many plans it is found in and the first of them in IRI order (the
order the rows are read in): enough for the 方案 column, the order units are first named in,
and the first titles of a pair's measures that a table shows. They are stored as compact JSON
on one node in a named graph of their own (standard RDF, like the plans' ``kp:digest``).

Totals are trusted only while they cover exactly the plans the store holds, each with the
source hash it was tallied with; otherwise the readers answer from the rows as before
(a store built before the totals existed, or holding plans written by other means), and the
next build or removal computes them again from every plan's digest.
"""

from __future__ import annotations

import gc
import json
from bisect import insort
from contextlib import contextmanager
from fractions import Fraction
from itertools import combinations
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox

from kepugraph.names import level_and_stem, unit_kind
from kepugraph.rdf.namespace import ID, KP
from kepugraph.rdf.rows import MeasureRow, brief_rows, digest_rows
from kepugraph.vocab import KINDS

#: The graph (and node) holding the totals.
TOTALS = str(ID["totals"])
#: How many of the first plans (in IRI order) the totals keep per unit and per pair.
HEAD = 24
#: Fewer than this many first plans kept (and more plans than that) and the totals are
#: computed again from every plan: the 方案 column names five and the table shows the first titles.
HEAD_MIN = 8

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PLAN = ox.NamedNode(str(KP.Plan))
_HASH = ox.NamedNode(str(KP.sourceHash))
_DIGEST = ox.NamedNode(str(KP.digest))
_BRIEF = ox.NamedNode(str(KP.brief))
_TOTALS = ox.NamedNode(str(KP.totals))
_TITLE_PROP = "http://purl.org/dc/terms/title"


def share(ks: dict) -> float:
    """The share-weighted load of ``ks`` (units per measure → measures): a measure with k
    units gives each 1/k; summed exactly, so the order of the measures does not matter.

    >>> share({3: 2, 1: 1})
    1.6667
    """
    return round(float(sum(Fraction(int(n), int(k)) for k, n in ks.items())), 4)


def kind_of(name: str) -> str:
    """The kind label of a unit name (as :meth:`Corpus.kinds` gives it)."""
    return KINDS.get(unit_kind(name), "其他")


def tally(rows: Sequence[MeasureRow]) -> dict:
    """One plan's tally from its rows (in document order); see the module's docstring."""
    units: dict[str, list] = {}  # name → [assignments, lead, support, joint, {k: n}, measures, first named]
    groups: dict[str, dict[str, int]] = {"kind": {}, "stem": {}}
    pairs: dict[str, list] = {}  # "a\tb" (a < b) → [measures shared, their titles]
    role_at = {"lead": 1, "support": 2, "joint": 3}
    for r in sorted(rows, key=lambda r: r.ordinal):
        k = str(len(r.units))
        for name, role in r.units:
            u = units.get(name)
            if u is None:
                u = units[name] = [0, 0, 0, 0, {}, 0, len(units)]
            u[0] += 1
            u[role_at[role]] += 1
            u[4][k] = u[4].get(k, 0) + 1
        names = sorted({n for n, _ in r.units})
        for name in names:
            units[name][5] += 1
        for by, group_of in (("kind", kind_of), ("stem", lambda n: level_and_stem(n)[1])):
            for g in {group_of(n) for n in names}:
                groups[by][g] = groups[by].get(g, 0) + 1
        for a, b in combinations(names, 2):
            p = pairs.setdefault(f"{a}\t{b}", [0, []])
            p[0] += 1
            p[1].append(r.title)
    return {"units": units, **groups, "pairs": pairs}


def empty() -> dict:
    return {"plans": {}, "without": {}, "catalog": {}, "units": {}, "kind": {}, "stem": {}, "pairs": {}}


def _add_head(head: list, entry: list, before: int) -> None:
    """Keep ``head`` the first plans (in IRI order) of the ``before`` plans and the new one:
    when it holds only some of them, a plan past its last may come after plans it lacks."""
    if len(head) < before and (not head or entry[0] > head[-1][0]):
        return
    insort(head, entry, key=lambda e: e[0])
    del head[HEAD:]


def _count_plan(entry: dict, iri: str, what, sign: int) -> None:
    """One plan more (``sign`` 1) or less (-1) naming a unit or pair: its count, and its place
    among the first plans kept (with ``what`` it says there)."""
    entry["n"] += sign
    if sign > 0:
        _add_head(entry["head"], [iri, what], entry["n"] - 1)
    else:
        entry["head"] = [e for e in entry["head"] if e[0] != iri]


def apply(totals: dict, iri: str, t: dict, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the tally ``t`` of plan ``iri``."""
    units = totals["units"]
    for name, (a, lead, support, joint, ks, m, first) in t["units"].items():
        u = units.setdefault(name, {"c": [0, 0, 0, 0], "k": {}, "m": 0, "n": 0, "head": []})
        for i, v in enumerate((a, lead, support, joint)):
            u["c"][i] += sign * v
        for k, n in ks.items():
            u["k"][k] = u["k"].get(k, 0) + sign * n
            if not u["k"][k]:
                del u["k"][k]
        u["m"] += sign * m
        _count_plan(u, iri, first, sign)
        if not u["n"]:
            del units[name]
    for by in ("kind", "stem"):
        for g, n in t[by].items():
            totals[by][g] = totals[by].get(g, 0) + sign * n
            if not totals[by][g]:
                del totals[by][g]
    pairs = totals["pairs"]
    for key, (n, titles) in t["pairs"].items():
        p = pairs.setdefault(key, {"s": 0, "n": 0, "head": []})
        p["s"] += sign * n
        _count_plan(p, iri, titles, sign)
        if not p["n"]:
            del pairs[key]


def _short(totals: dict) -> bool:
    """Has a removal left a unit or pair with too few first plans to answer from?"""
    return any(len(e["head"]) < min(e["n"], HEAD_MIN)
               for part in ("units", "pairs") for e in totals[part].values())


# -- in the store ----------------------------------------------------------------------------

def read(store: ox.Store) -> dict | None:
    """The totals stored, or None."""
    node = ox.NamedNode(TOTALS)
    found = next(store.quads_for_pattern(node, _TOTALS, None, node), None)
    return json.loads(found.object.value) if found is not None else None


def write(store: ox.Store, totals: dict | None) -> None:
    """Replace the stored totals (None: remove them)."""
    node = ox.NamedNode(TOTALS)
    if store.contains_named_graph(node):
        store.remove_graph(node)
    if totals is not None:
        text = json.dumps(totals, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        store.add(ox.Quad(node, _TOTALS, ox.Literal(text), node))


def store_plans(store: ox.Store) -> dict[str, str]:
    """Every plan of the store → its source hash ("" when it has none)."""
    out = {q.subject.value: "" for q in store.quads_for_pattern(None, _TYPE, _PLAN, None)
           if q.subject == q.graph_name}
    for q in store.quads_for_pattern(None, _HASH, None, None):
        if q.subject == q.graph_name and q.subject.value in out:
            out[q.subject.value] = q.object.value
    return out


def plan_hashes(store: ox.Store) -> dict[str, str]:
    """Every plan of the store that has a source hash → that hash (one query: the index scan
    made a Python quad of each, 0.34 s against 0.21 s at 30,000 plans)."""
    return {s[0].value: s[1].value for s in store.query(f"SELECT ?p ?h WHERE {{ GRAPH ?p {{ ?p {_HASH} ?h }} }}")}


def _hash(store: ox.Store, iri: str) -> str:
    node = ox.NamedNode(iri)
    return next((q.object.value for q in store.quads_for_pattern(node, _HASH, None, node)), "")


_INFO = [ox.NamedNode(str(p)) for p in (_TITLE_PROP, KP.docNumber, KP.sourceFile)]


def _info(store: ox.Store, iri: str) -> list:
    """A plan's title (None: it has none), 文号 and source file, as :meth:`Corpus.plans` lists them."""
    node = ox.NamedNode(iri)
    out = [next((q.object.value for q in store.quads_for_pattern(node, prop, None, node)), None) for prop in _INFO]
    return [out[0], out[1] or "", out[2] or ""]


def plan_list(totals: dict) -> list[dict[str, str]]:
    """The plans of the totals as :meth:`Corpus.plans` lists them (by title), without listing
    the store's plans again."""
    rows = []
    for iri, (title, doc_number, file) in totals["catalog"].items():
        if title is None:
            continue
        r = {"plan": iri, "title": title, "id": iri[len(str(ID)):]}
        sha = totals["plans"].get(iri) or totals["without"].get(iri)
        for key, value in (("hash", sha), ("file", file), ("doc_number", doc_number)):
            if value:
                r[key] = value
        rows.append(r)
    return sorted(rows, key=lambda r: (r["title"], r["plan"]))


def stored_tally(store: ox.Store, iri: str) -> dict | None:
    """The tally of a plan of the store from its digest (None: no such plan, or no digest)."""
    node = ox.NamedNode(iri)
    found = next(store.quads_for_pattern(node, _DIGEST, None, node), None)
    return tally(digest_rows(iri, found.object.value)) if found is not None else None


def tallies_in(store: ox.Store, iris: Iterable[str]) -> dict[str, dict | None]:
    """Before plans are replaced or removed: the tallies of those the store holds (None for a
    plan held without a digest); plans it does not hold are left out."""
    out = {}
    for iri in iris:
        node = ox.NamedNode(iri)
        if next(store.quads_for_pattern(node, _TYPE, _PLAN, node), None) is not None:
            out[iri] = stored_tally(store, iri)
    return out


def recompute(store: ox.Store) -> dict:
    """The totals of every plan of the store, from their digests."""
    totals = empty()
    for iri, sha in sorted(store_plans(store).items()):
        totals["catalog"][iri] = _info(store, iri)
        t = stored_tally(store, iri)
        if t is None:
            totals["without"][iri] = sha
        else:
            apply(totals, iri, t, 1)
            totals["plans"][iri] = sha
    return totals


def summed(after: Mapping[str, dict | None], known: Mapping[str, tuple[str, list]]) -> dict | None:
    """The totals of plans that are alone in their store, from their tallies and (``known``)
    source hashes and catalogue entries as parsed: what :func:`update` writes after a first
    build, computed while the store is still being written (None: a plan has no tally, or
    too few first plans would be kept; :func:`update` computes them from the store then)."""
    totals = empty()
    for iri, new in after.items():
        if new is None:
            return None
        totals["catalog"][iri] = list(known[iri][1])
        apply(totals, iri, new, 1)
        totals["plans"][iri] = known[iri][0]
    return None if _short(totals) else totals


def update(store: ox.Store, before: dict[str, dict | None], after: Mapping[str, dict | None],
           known: Mapping[str, tuple[str, list]] | None = None, alone: bool = False,
           ready: dict | None = None) -> None:
    """After plans were loaded or removed: the stored totals, updated by the changed plans'
    tallies (``before``: see :func:`tallies_in`; ``after``: plan IRI → its new tally, None to
    read it from its digest), or computed again from every plan when the stored ones do not
    cover the store as it was.

    Args:
        known: plan IRI → (source hash, [title, 文号, file]) of the plans in ``after``, as the
            build parsed them; else read from the store, one plan at a time (120,000 lookups
            into a store just loaded with 30,000 plans took most of a minute).
        alone: the store holds no plan but those in ``after`` (a first build): the totals are
            theirs, not computed again from the digests just written.
        ready: with ``alone``, their totals summed already (see :func:`summed`).
    """
    if ready is not None and alone and not before:
        write(store, ready)
        return
    totals = read(store)
    if totals is not None and "catalog" not in totals:  # written before plans were listed in them
        totals = None
    if totals is None and alone and not before:
        totals = empty()
    # only the plans changed are checked here (listing all took 1.6 s at 30,000 plans): totals
    # out of step with the others are found by the next command that reads them (see usable)
    held = {iri: known[iri][0] if known else _hash(store, iri) for iri in after}
    if totals is not None:
        if any(iri not in totals["plans"] and iri not in totals["without"] for iri in before) or \
                any(iri in totals["plans"] or iri in totals["without"] for iri in after if iri not in before):
            totals = None
    if totals is not None:
        for iri, old in before.items():
            totals["catalog"].pop(iri, None)
            if iri in totals["without"]:
                del totals["without"][iri]
            elif old is not None and iri in totals["plans"]:
                apply(totals, iri, old, -1)
                del totals["plans"][iri]
            else:  # tallied once but its digest is gone: start again
                totals = None
                break
    if totals is not None:
        for iri, new in after.items():
            totals["catalog"][iri] = list(known[iri][1]) if known else _info(store, iri)
            new = new if new is not None else stored_tally(store, iri)
            if new is None:
                totals["without"][iri] = held.get(iri, "")
            else:
                apply(totals, iri, new, 1)
                totals["plans"][iri] = held.get(iri, "")
        if _short(totals):
            totals = None
    write(store, totals if totals is not None else recompute(store))


def usable(store: ox.Store) -> dict | None:
    """The stored totals when they answer for exactly the plans the store holds, each with the
    source hash it was tallied with (one index scan: a plan without a source hash, which every
    plan a build writes has, escapes it), else None; totals out of step (plans
    written by other means, a build broken off between a load and its totals) are taken away,
    so that the next build or removal computes them again."""
    totals = read(store)
    if totals is None or totals["without"] or "catalog" not in totals or _short(totals):
        return None
    if {iri: sha for iri, sha in totals["plans"].items() if sha} != plan_hashes(store):
        write(store, None)
        return None
    return totals


_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
# the plans whose graph names a unit (each plan's units carry their name in its graph), each
# with its kp:brief or kp:digest: one query decodes only those two terms of each answer
_NAMING = "SELECT ?plan ?value WHERE {{ GRAPH ?plan {{ ?u {label} {name} OPTIONAL {{ ?plan {prop} ?value }} }} }}"


def rows_naming(store: ox.Store, unit: str, texts: bool = True) -> list[MeasureRow]:
    """The measures naming ``unit``, read from the plans that name it only.

    Args:
        texts: rows as whole as :meth:`Corpus.rows` gives them, from each plan's digest; False:
            rows for a task list (no texts, targets, deadline or generic references), from each
            plan's ``kp:brief``, decoding only its lines naming the unit (a plan written
            before the brief existed: from its digest).
    """
    prop = _DIGEST if texts else _BRIEF
    # the terms as N-Triples writes them (a quote or backslash in a name escaped): valid SPARQL
    found = store.query(_NAMING.format(label=_LABEL, name=ox.Literal(unit, language="zh"), prop=prop))
    plans = {s[0].value: s[1] for s in found}
    rows = []
    with paused_gc():  # thousands of small rows, no cycles: a collection would walk the totals too
        for iri in sorted(plans):
            value = plans[iri]
            if value is not None and not texts:
                rows += brief_rows(iri, value.value, unit)
                continue
            if value is None and not texts:  # a plan written before briefs: its digest
                node = ox.NamedNode(iri)
                value = next((q.object for q in store.quads_for_pattern(node, _DIGEST, None, node)), None)
            if value is not None:
                rows += digest_rows(iri, value.value, unit)
        return sorted(rows, key=lambda r: (r.plan, r.ordinal))


@contextmanager
def paused_gc():
    """No cyclic garbage collection inside (as it was again after): for building many small
    objects without cycles, which reference counting frees, while a large structure is alive."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
