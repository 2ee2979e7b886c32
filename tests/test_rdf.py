"""The graph: ontology terms, Turtle round trip, stable IRIs, the committed golden graph."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kepugraph import api
from kepugraph.errors import GraphError
from kepugraph.rdf import load_graph, plan_to_graph, serialize
from kepugraph.rdf.namespace import KP

ROOT = Path(__file__).resolve().parent.parent
PLAN = URIRef("https://w3id.org/kepugraph/id/泰山政办字-2022-7号")


def test_namespace_matches_ontology():
    onto = Graph().parse(ROOT / "ontology.ttl")
    declared = {str(s) for s in onto.subjects() if str(s).startswith(str(KP._NS))}
    assert declared == {str(KP._NS[name]) for name in KP.__annotations__}
    for term in declared:
        t = URIRef(term)
        langs = {lit.language for lit in onto.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        assert onto.value(t, RDFS.comment) is not None, term
    assert (None, RDF.type, OWL.Ontology) in onto


def test_unknown_term_fails_at_once():
    with pytest.raises(AttributeError):
        KP.leadUnitt  # noqa: B018


def test_turtle_round_trip(graph, tmp_path):
    data = serialize(graph)
    back = Graph().parse(data=data, format="turtle")
    assert len(back) == len(graph)
    assert isomorphic(back, graph)


def test_iris_stable_across_builds(plan, graph):
    again = plan_to_graph(api.parse())
    assert set(again.all_nodes()) == set(graph.all_nodes())
    assert serialize(again) == serialize(graph)
    # no blank nodes: every node a user may point at has an IRI
    assert {type(n).__name__ for n in graph.all_nodes()} == {"URIRef", "Literal"}


def test_committed_graph_matches_a_fresh_build(graph):
    committed = load_graph(ROOT / "graph" / "taishan-kepu-plan-2021-2025.ttl")
    if not isomorphic(committed, graph):
        _, only_committed, only_fresh = graph_diff(to_isomorphic(committed), to_isomorphic(graph))
        lines = sorted(f"- {t}" for t in only_committed)[:20] + sorted(f"+ {t}" for t in only_fresh)[:20]
        pytest.fail("graph/ is stale; run 'make demo'\n" + "\n".join(lines))


def test_graph_content(graph):
    assert (PLAN, RDF.type, KP.Plan) in graph
    assert graph.value(PLAN, KP.docNumber) == Literal("泰山政办字〔2022〕7号")
    m1 = URIRef(f"{PLAN}/measure/1")
    kx = URIRef(f"{PLAN}/unit/区科协")
    assert (m1, KP.jointUnit, kx) in graph and (m1, KP.leadUnit, kx) in graph
    assert (m1, KP.responsibleUnit, kx) in graph
    assert graph.value(kx, SKOS.prefLabel) == Literal("区科协", lang="zh")
    assert graph.value(kx, KP.kind) == KP.mass
    a6 = URIRef(f"{m1}/assignment/6")
    assert (a6, KP.unit, kx) in graph and graph.value(a6, KP.role) == KP.joint
    assert graph.value(a6, KP.position) == Literal(6)
    assert len(set(graph.subjects(RDF.type, KP.Measure))) == 31
    assert len(set(graph.subjects(RDF.type, KP.Unit))) == 25
    assert len(set(graph.subjects(RDF.type, KP.Target))) == 3
    assert len(list(graph.objects(PLAN, KP.implements))) == 3


@pytest.mark.parametrize("content, message", [
    ("@prefix : <x#> .\n:a :b", "invalid turtle"),
    ("@prefix kp: <https://w3id.org/kepugraph#> .\n<urn:a> a kp:Measure .\n",
     "no kp:Plan in this graph; build it with 'kepugraph build'"),
], ids=["invalid", "not-a-plan"])
def test_bad_graph_files(tmp_path, content, message):
    p = tmp_path / "g.ttl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(GraphError) as info:
        load_graph(p)
    assert str(info.value).startswith(f"{p}: {message}")
    assert "\n" not in str(info.value)


def test_controlled_lists_agree_with_the_ontology(graph):
    onto = Graph().parse(ROOT / "ontology.ttl")
    for term in set(graph.subjects(RDF.type, KP.Role)) | set(graph.subjects(RDF.type, KP.UnitKind)):
        assert set(graph.objects(term, RDFS.label)) == set(onto.objects(term, RDFS.label)), term
    assert set(graph.subjects(RDF.type, KP.Role)) == {KP.lead, KP.joint}


def _dev_and_reference_plans():
    from kepugraph.extraction.parser import parse_source
    from kepugraph.reading.source import BUNDLED_PLAN, read_source

    dev = sorted((ROOT / "tests" / "data" / "dev").glob("*.txt"))
    return [parse_source(read_source(p)) for p in [BUNDLED_PLAN, *dev]]


def test_rows_of_both_profiles_and_the_digest_agree():
    """The corpus profile and its kp:digest give the measure rows the full graph gives."""
    from kepugraph.rdf.rows import brief_rows, digest_rows, measure_rows, plan_rows, rows_brief, rows_digest
    from kepugraph.rdf.triples import _rdflib, plan_triples

    plans = [p for p in _dev_and_reference_plans() if p.measures]
    assert len(plans) >= 15
    for plan in plans:
        full = measure_rows(plan_to_graph(plan))
        assert plan_rows(plan) == full, plan.meta.title
        lean = Graph()
        for s, p, o in plan_triples(plan, lean=True):
            lean.add((s, p, _rdflib(o)))
        assert measure_rows(lean) == full, plan.meta.title
        assert digest_rows(full[0].plan, rows_digest(full)) == full
        # the brief: each unit's measures with all a task list shows, and nothing else
        brief = next(o.value for _, p, o in plan_triples(plan, lean=True) if p == KP.brief)
        assert brief == rows_brief(full) and brief.count("\n") == len(full) - 1
        for unit in {n for r in full for n, _ in r.units}:
            naming = [r for r in full if any(n == unit for n, _ in r.units)]
            assert [(r.iri, r.id, r.ordinal, r.title, r.path, r.units, r.plan) for r in brief_rows(full[0].plan, brief, unit)] \
                == [(r.iri, r.id, r.ordinal, r.title, r.path, r.units, r.plan) for r in naming], unit
            assert all(r.text == "" and r.targets == [] for r in brief_rows(full[0].plan, brief, unit))


def test_corpus_profile_is_lean():
    from kepugraph.rdf.triples import plan_triples

    plan = _dev_and_reference_plans()[0]
    full, lean = set(plan_triples(plan)), set(plan_triples(plan, lean=True))
    assert len(full) == 2904 and len(lean) == 1262  # with the plan's kp:digest and kp:brief
    kinds = {p for _, p, _ in lean}
    assert KP.assignment not in kinds and KP.line not in kinds and KP.digest in kinds and KP.brief in kinds


def test_ntriples_escape_quotes_backslashes_and_newlines():
    import pyoxigraph as ox

    from kepugraph.extraction.parser import parse_text
    from kepugraph.rdf.triples import plan_ntriples

    plan = parse_text('一、任务\n（一）开展"科普\\进社区"活动，\t推进"一馆一品"。（区科协、区教育局按职责分工负责）\n')
    store = ox.Store()
    store.load(plan_ntriples(plan, lean=True), ox.RdfFormat.N_TRIPLES)  # strict parser
    texts = [q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(str(KP.text)), None)]
    assert texts == [plan.measures[0].text] and '"科普\\进社区"' in texts[0]


def test_a_measure_owned_only_by_vague_words_conforms_and_one_owned_by_nothing_does_not():
    """162 keeps a row whose only owner is 各責任科室 as a measure with no unit (dev README): the
    graph still conforms; take its vague words away too and the shapes say it has no owner."""
    from kepugraph.rdf.shapes import validate

    plan = api.parse(Path(__file__).parent / "data" / "dev" / "162.txt")
    vague = [m for m in plan.measures if not m.units]
    assert [m.generic_refs for m in vague] == [["各責任科室"]]
    graph = plan_to_graph(plan)
    assert validate(graph) == []
    measure = next(s for s, _, o in graph.triples((None, KP.genericRef, None)))
    graph.remove((measure, KP.genericRef, None))
    assert [(v.measure.split()[0], v.message) for v in validate(graph)] == [
        (vague[0].id, "任务没有责任单位 (a measure has no responsible unit)")]
