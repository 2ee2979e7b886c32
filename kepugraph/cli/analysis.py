"""Workload and co-responsibility commands: units, tasks, workload, pairs, partners, centrality,
communities, risks."""

from __future__ import annotations

from dataclasses import asdict

import click

from kepugraph import analysis
from kepugraph.cli.main import main
from kepugraph.cli.options import answer, emit, format_option, graph_option, say_matched
from kepugraph.names import suggest_merges as merge_candidates
from kepugraph.outputs.language import current
from kepugraph.outputs.scope import LISTED, listed
from kepugraph.outputs.tables import MAX_WIDTH, cell_text, format_rows
from kepugraph.reading.textnorm import display_width
from kepugraph.safety import printable
from kepugraph.store.totals import paused_gc
from kepugraph.vocab import ROLE_LABELS


def _totals(source) -> dict | None:
    """The corpus totals when they answer for ``source``: every plan of a corpus store, each
    plan with a 方案 label of its own (else the rows answer, as they always can)."""
    found = source.totals()
    if found is None:
        return None
    labels = [p.short() for p in source.scope().plans]
    return found if len(set(labels)) == len(labels) else None


def _plans_of_units(source, totals: dict | None = None) -> dict[str, str]:
    """Unit → the plans it appears in (their 方案 labels), for answers over several plans."""
    scope, found = source.scope(), {}
    if totals is not None:  # the first plans of each unit, and how many
        return {n: listed([scope.label_of(iri) for iri, _ in u["head"][:LISTED]], total=u["n"])
                for n, u in totals["units"].items()}
    for r in source.rows():
        for n, _ in r.units:
            found.setdefault(n, {})[scope.label_of(r.plan)] = None
    return {n: listed(list(labels)) for n, labels in found.items()}


def _plans_of_pairs(source) -> dict[frozenset, str]:
    """Unit pair → the plans in which the two share a measure."""
    scope, found = source.scope(), {}
    for r in source.rows():
        names = list(dict.fromkeys(n for n, _ in r.units))
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                found.setdefault(frozenset((a, b)), {})[scope.label_of(r.plan)] = None
    return {k: listed(list(v)) for k, v in found.items()}


def _workload(source, by: str | None = None) -> tuple[list, dict | None]:
    """The workload rows (and the totals, when they answered)."""
    totals = _totals(source) if by in (None, "kind", "stem") else None
    if totals is not None:
        return analysis.workload_of_totals(totals, by, kinds=source.corpus.kinds(totals["units"])), totals
    return analysis.workload(source.rows(), by=by, kinds=source.kinds()), None


def _cut_alike(titles: list[str]) -> bool:
    """Are the first titles of a pair long enough that a table cell cuts them where it cuts all?"""
    return display_width(printable(cell_text(titles))) > MAX_WIDTH


@main.command()
@click.option("--suggest-merges", is_flag=True,
              help="List pairs of names that may be one unit (same stem, other spelling, one character apart).")
@graph_option
@format_option()
def units(suggest_merges, source, fmt, output):
    """单位列表：类别和任务数。 Every unit with its kind and measure count, most measures first.

    With --suggest-merges, likely duplicates for a person to confirm; write the
    confirmed ones to an aliases CSV for 'kepugraph build --aliases'.

    Example: kepugraph units --format csv -o units.csv
    """
    if suggest_merges:
        names = [r.unit for r in analysis.workload(source.rows())]
        pairs_ = [{"a": a, "b": b, "reason": why} for a, b, why in merge_candidates(names)]
        answer(source, pairs_, ["a", "b", "reason"], fmt, ["单位A", "单位B", "理由"], output,
               empty=(f"没有疑似同一单位的名称（{len(names)} 个单位名称两两比较：无同一词干、异写或一字之差）",
                      f"No names that look like one unit ({len(names)} names compared: no shared stem, variant "
                      f"spelling or one character apart)"))
        return
    found, totals = _workload(source)
    rows = [asdict(r) for r in found]
    cols = ["unit", "kind", "measures", "lead", "support", "joint"]
    json_rows = [{k: r[k] for k in cols} for r in rows]
    if source.scope().several:
        plans = _plans_of_units(source, totals)
        for r in rows:
            r["plan"] = plans.get(r["unit"], "")
    answer(source, rows, cols, fmt, ["单位", "类别", "任务数", "牵头", "配合", "负责"], output, json_rows=json_rows)


@main.command()
@click.argument("unit")
@graph_option
@format_option()
def tasks(unit, source, fmt, output):
    """单位任务：UNIT 承担的任务和角色。 The measures UNIT answers for, with heading path and role.

    A name that matches no unit gets an error listing the closest names.

    Example: kepugraph tasks 区教育和体育局
    """
    totals = _totals(source)
    if totals is not None:  # the unit list of the totals, then only the plans naming the unit
        name = analysis.find_name(analysis.units_of_totals(totals), unit, source.aliases())
    else:
        name = analysis.find_unit(source.rows(), unit, source.aliases())
    say_matched(unit, name)
    with paused_gc():  # 128,000 rows of a busy unit over 30,000 plans: small objects, no cycles,
        _answer_tasks(source, name, fmt, output)  # all freed before collections resume


def _answer_tasks(source, name: str, fmt: str, output: str | None) -> None:
    scope = source.scope()
    found = analysis.tasks(source.rows_naming(name, texts=False), name)
    rows = [{"id": r.id, "role": role, "role_zh": ROLE_LABELS[role], "path": r.path,
             "section": " > ".join(r.path), "title": r.title, "plan": scope.label_of(r.plan),
             "partners": [n for n, _ in r.units if n != name]} for r, role in found]
    json_rows = [{"id": r["id"], "unit": name, "role": r["role"], "path": r["path"], "title": r["title"],
                  "partners": r["partners"]} for r in rows] if fmt == "json" else None
    answer(source, rows, ["id", "role_zh", "section", "title"], fmt, ["序号", "角色", "章节", "任务"], output,
           json_rows=json_rows)


@main.command()
@click.option("--by", type=click.Choice(["part", "section", "kind", "stem"]),
              help="Break down by the part (（一）提升行动), the section (1.青少年…), the unit kind, or the "
                   "stem shared across levels (区科协, 市科协 → 科协).")
@graph_option
@format_option()
def workload(by, source, fmt, output):
    """工作量：各单位的任务数（牵头、配合、负责）。 Measures per unit: total, as lead, support and joint, and the share-weighted load.

    A measure with k units gives each of them 1/k to the share. With --by kind,
    a row per unit kind: its units, the distinct measures naming one of them, and
    the assignments by role.

    Example: kepugraph workload --by kind
    """
    found, totals = _workload(source, by)
    rows = [asdict(r) for r in found]
    cols = ["unit", "measures", "lead", "support", "joint", "share"]
    headers = ["单位", "任务数", "牵头", "配合", "负责", "分担"]
    if by in ("kind", "stem"):
        cols.insert(1, "units")
        headers[0:1] = ["类别" if by == "kind" else "机构类型", "单位数"]
    elif by:
        cols = ["group"] + cols
        headers = ["章节"] + headers
    else:
        cols.insert(1, "kind")
        headers.insert(1, "类别")
    json_rows = [{k: r[k] for k in cols} for r in rows]
    if not by and source.scope().several:
        plans = _plans_of_units(source, totals)
        for r in rows:
            r["plan"] = plans.get(r["unit"], "")
    answer(source, rows, cols, fmt, headers, output, json_rows=json_rows)


def _pair_json(p) -> dict:
    return {"units": list(p.units), "shared": p.shared, "jaccard": p.jaccard, "measures": p.measures}


@main.command()
@click.option("--top", type=click.IntRange(1), help="Only the N pairs sharing most.")
@click.option("--min-shared", default=1, show_default=True, type=click.IntRange(1),
              help="Only pairs sharing at least K measures.")
@graph_option
@format_option()
def pairs(top, min_shared, source, fmt, output):
    """单位两两共担的任务。 Unit pairs that share measures: count, Jaccard index and the measures.

    Example: kepugraph pairs --top 10
    """
    # a table shows the first titles of each pair only: the totals keep enough of them
    totals = _totals(source) if fmt == "table" else None
    found = analysis.pairs_of_totals(totals, top=top, min_shared=min_shared) if totals is not None else None
    if found is not None and any(p.partial and not _cut_alike(p.measures) for p in found):
        found = None
    if found is not None:
        scope = source.scope()
        plans = {frozenset(p.units): listed([scope.label_of(iri) for iri in p.plans[:LISTED]], total=p.in_plans)
                 for p in found} if scope.several else {}
    else:
        found = analysis.pairs(source.rows(), top=top, min_shared=min_shared)
        plans = _plans_of_pairs(source) if source.scope().several else {}
    rows = [{"a": p.units[0], "b": p.units[1], "shared": p.shared, "jaccard": p.jaccard,
             "measures": p.measures, **({"plan": plans.get(frozenset(p.units), "")} if plans else {})}
            for p in found]
    answer(source, rows, ["a", "b", "shared", "jaccard", "measures"], fmt, ["单位A", "单位B", "共担任务", "Jaccard", "任务"],
           output, json_rows=[_pair_json(p) for p in found], empty=(f"没有共担至少 {min_shared} 项任务的单位对",
                                                                f"No pair of units shares {min_shared} or more measures"))


@main.command()
@click.argument("unit")
@graph_option
@format_option()
def partners(unit, source, fmt, output):
    """合作单位：与 UNIT 共担任务的单位。 Whom UNIT shares work with, most shared first, and on which measures.

    Example: kepugraph partners 区科协
    """
    name = analysis.find_unit(source.rows(), unit, source.aliases())
    say_matched(unit, name)
    found = analysis.partners(source.rows(), name)
    plans = _plans_of_pairs(source) if source.scope().several else {}
    rows = [{"partner": p.units[1], "shared": p.shared, "jaccard": p.jaccard, "measures": p.measures,
             **({"plan": plans.get(frozenset(p.units), "")} if plans else {})} for p in found]
    answer(source, rows, ["partner", "shared", "jaccard", "measures"], fmt, ["合作单位", "共担任务", "Jaccard", "任务"],
           output, empty=(f"{name} 没有与其他单位共担的任务", f"{name} shares no measure with another unit"))


@main.command()
@graph_option
@format_option()
def centrality(source, fmt, output):
    """中心性：单位的度、加权度、中介与特征向量中心性。 Degree, weighted degree, betweenness and eigenvector centrality of units.

    Betweenness is sampled on large graphs; a note on stderr says which.

    Example: kepugraph centrality --format md
    """
    found, note = analysis.centrality(source.rows())
    rows = [asdict(r) for r in found]
    click.echo(str(note) if current() == "en" else note.zh, err=True)
    answer(source, rows, ["unit", "degree", "weighted_degree", "betweenness", "eigenvector"], fmt,
           ["单位", "度", "加权度", "中介中心性", "特征向量中心性"], output)


@main.command()
@click.option("--seed", default=42, show_default=True, help="Seed of the Louvain method (same seed, same groups).")
@graph_option
@format_option()
def communities(seed, source, fmt, output):
    """协作群组：共担任务最多的单位分组。 Groups of units that share most work (Louvain, reproducible with --seed).

    Example: kepugraph communities --seed 7
    """
    groups = analysis.communities(source.rows(), seed=seed)
    rows = [{"community": i, "size": len(g), "units": g} for i, g in enumerate(groups, 1)]
    answer(source, rows, ["community", "size", "units"], fmt, ["组", "单位数", "单位"], output,
           empty=("没有共担任务的单位，无从分组", "No units share a measure: no groups"))


@main.command()
@click.option("--diffuse-at", default=analysis.DIFFUSE_AT, show_default=True, type=click.IntRange(2),
              help="A measure with at least this many units is diffuse.")
@graph_option
@format_option()
def risks(diffuse_at, source, fmt, output):
    """风险：先说全局，再列需关注的任务和单位。 Risks: the plan-level picture first, then the measures and units to look at.

    全局：共同负责、未指定牵头的任务数；再列单一责任单位、责任单位过多、配合无牵头、
    含泛指或仅集体单位的任务，以及仅出现一次的单位。

    The plan-level summary first (above the table; on stderr for the data formats),
    then measures with a single unit, diffuse measures, support without a
    lead, and units named once.

    Example: kepugraph risks --format json
    """
    r = analysis.risks(source.rows(), diffuse_at=diffuse_at)
    scope = source.scope()
    summary = r.summary_en if current() == "en" else r.summary
    if fmt == "table":  # what the answer is for, then the plan-level picture, then the table
        click.echo(f"{scope.line()}\n{summary}")
    else:
        click.echo(summary, err=True)
    rows = []
    for kind, label, items in (("single_unit", "单一责任单位", r.single_unit),
                               ("diffuse", f"责任单位≥{diffuse_at}", r.diffuse),
                               ("no_lead", "配合单位无牵头", r.no_lead),
                               ("generic", "含泛指或仅集体单位", r.generic)):
        rows += [{"risk": kind, "risk_zh": label, "id": m.id, "title": m.title, "plan": scope.label_of(m.plan),
                  "units": [n for n, _ in m.units] + m.generic, "count": len(m.units)} for m in items]
    plans = _plans_of_units(source) if scope.several else {}
    rows += [{"risk": "named_once", "risk_zh": "仅出现一次的单位", "id": "", "title": "", "plan": plans.get(n, ""),
              "units": [n], "count": 1} for n in r.named_once]
    json_rows = [{k: v for k, v in row.items() if k not in ("risk_zh", "plan")} for row in rows]
    cols, headers = ["risk_zh", "id", "count", "title", "units"], ["风险", "序号", "单位数", "任务", "单位"]
    if fmt == "table":
        if scope.several and rows:
            cols, headers = ["plan"] + cols, ["方案"] + headers
        emit(format_rows(rows, cols, fmt, headers, empty=NO_RISK), output, fmt)
        return
    answer(source, rows, cols, fmt, headers, output, json_rows=json_rows, empty=NO_RISK)


NO_RISK = ("没有需关注的任务或单位", "No measure or unit to look at")
