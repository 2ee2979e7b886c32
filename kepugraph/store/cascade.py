"""A measure followed down the levels of a corpus: the measures aligned with it, plan by plan."""

from __future__ import annotations

from collections import defaultdict

from kepugraph.errors import StoreError
from kepugraph.rdf.namespace import KP
from kepugraph.reading.textnorm import compact


def cascade(corpus, query: str) -> list[tuple[int, dict]]:
    """The tree of aligned measures through ``query``'s measure, from the top level down.

    Returns:
        (depth, node) pairs in print order; a node has plan_title, id, title,
        units and the score of its alignment to the level above.

    Raises:
        StoreError: no measure matches.
    """
    rows = {r.iri: r for r in corpus.rows()}
    titles = {r["plan"]: r["title"] for r in corpus.plans()}
    up: dict[str, tuple[str, float]] = {}
    down: dict[str, list[str]] = defaultdict(list)
    for r in corpus.oxi.select(f"""SELECT ?a ?b ?s WHERE {{
            ?n <{KP.alignmentFrom}> ?a ; <{KP.alignmentTo}> ?b ; <{KP.score}> ?s }}"""):
        up[r["a"]] = (r["b"], float(r["s"]))
        down[r["b"]].append(r["a"])
    start = _find_measure(corpus, query, rows)
    root, seen = start, set()
    while root in up and root not in seen:
        seen.add(root)
        root = up[root][0]
    out: list[tuple[int, dict]] = []

    def visit(m: str, depth: int) -> None:
        row = rows.get(m)
        if row is None:
            return
        out.append((depth, {"iri": m, "plan_title": titles.get(row.plan, row.plan), "id": row.id,
                            "title": row.title, "units": row.units,
                            "score": up[m][1] if depth and m in up else None}))
        for child in sorted(down.get(m, []), key=lambda c: (titles.get(rows[c].plan, ""), rows[c].ordinal)
                            if c in rows else ("", 0)):
            visit(child, depth + 1)

    visit(root, 0)
    return out

def _find_measure(corpus, query: str, rows: dict) -> str:
    if query in rows:
        return query
    if "#" in query:
        plan, _, mid = query.rpartition("#")
        iri = corpus.resolve_plan(plan)
        for r in rows.values():
            if r.plan == iri and r.id == mid:
                return r.iri
    key = compact(query)
    found = [r for r in rows.values() if key and key in compact(r.title)]
    if not found:
        raise StoreError(corpus.oxi.name, f"no measure matches {query!r}")
    return sorted(found, key=lambda r: (r.plan, r.ordinal))[0].iri
