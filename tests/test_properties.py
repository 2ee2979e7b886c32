"""Property-based tests: the parser never raises, and nothing annotated is dropped silently."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepugraph.extraction.parser import parse_text
from kepugraph.rdf import plan_to_graph

PIECES = ["一、", "（一）", "1.", "2、", "（1）", "①", "——", "（", "）", "(", ")", "〔", "〕", "、", "，", "；", "：", "。",
          "\n", "\n\n", " ", "牵头", "负责", "配合", "参与", "按职责分工负责", "牵头单位：", "责任单位：", "配合单位：",
          "区科协", "区教育局", "各县（市、区）人民政府", "有关部门", "等部门", "下同", "排在首位的为牵头单位", "序号",
          "重点任务", "完成时限：", "2025年底前", "不少于", "50", "人次", "%", "區科協", "責任單位", "|", "<script>",
          "\x1b]0;x\x07", "\x00", "\u202e", "二〇二二年十十月一日", "2022年2月31日", "=1+1局", "会同", "由", "\t",
          "《泰安市方案》（泰政办字〔2022〕12号）", "以下各项工作均需", "不再单独列出"]
plan_texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=80).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_texts)
def test_parser_never_raises_and_spans_hold(text):
    plan = parse_text(text)
    for m in plan.measures:
        assert plan.text[m.span[0]:m.span[1]] == m.text
        assert m.units and all(u.role in ("lead", "support", "joint") for u in m.units)
    plan_to_graph(plan)


NAMES = st.sampled_from(["区科协", "区教育局", "区文化和旅游局", "各街道办事处", "有关部门", "区级相关部门", "xyz",
                         "开展", "", "区卫健局等部门", "团区委"])
VERBS = st.sampled_from(["按职责分工负责", "负责", "牵头", "牵头负责", "配合", "参与"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(NAMES, min_size=1, max_size=4), VERBS), min_size=1, max_size=5))
def test_every_annotated_paragraph_is_read_or_reported(items):
    lines = ["一、重点任务"]
    for i, (names, verb) in enumerate(items, 1):
        lines.append(f"{i}.开展第{i}项工作。（{'、'.join(names)}{verb}）")
    plan = parse_text("\n".join(lines) + "\n")
    read = {m.line for m in plan.measures}
    reported = {w.line for w in plan.warnings}
    for line in range(2, len(lines) + 1):
        assert line in read or line in reported, lines[line - 1]


REFERENCE = __import__("kepugraph.reading.source", fromlist=["BUNDLED_PLAN"]).BUNDLED_PLAN.read_text(encoding="utf-8")


@st.composite
def mutated_reference(draw):
    """A slice of the reference plan with characters deleted, inserted and swapped."""
    start = draw(st.integers(0, len(REFERENCE) - 1))
    text = list(REFERENCE[start:start + draw(st.integers(50, 3000))])
    for _ in range(draw(st.integers(0, 30))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["delete", "insert", "swap"]))
        if op == "delete":
            del text[i]
        elif op == "insert":
            text.insert(i, draw(st.sampled_from(PIECES + ["\x00", "\ufeff", "\u3000", "𠀀"])))
        else:
            j = draw(st.integers(0, len(text) - 1))
            text[i], text[j] = text[j], text[i]
    return "".join(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_reference(), plan_texts))
def test_whole_pipeline_conforms_or_raises_only_kepugraph_errors(text):
    from kepugraph.errors import KepugraphError
    from kepugraph.rdf.shapes import validate

    try:
        plan = parse_text(text)
        assert validate(plan_to_graph(plan)) == []
    except KepugraphError:
        pass


GRAPH_PIECES = ['{"@context": "http://127.0.0.1:9/x"}', '<!DOCTYPE r [<!ENTITY a "x">]>', "@prefix kp: <https://w3id.org/kepugraph#> .",
                '<a> <b> "c" .', "kp:x a kp:Plan .", "<rdf:RDF>", "[", "]", "{", "}", 'kp:ordinal "abc" ;', "\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(GRAPH_PIECES), st.text(max_size=5)), max_size=30).map("".join),
       st.sampled_from([".ttl", ".jsonld", ".rdf", ".nt"]))
def test_graph_files_fail_only_as_graph_errors(tmp_path, text, suffix):
    from kepugraph.errors import GraphError
    from kepugraph.rdf.turtle import load_graph

    path = tmp_path / f"g{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_graph(path)
    except GraphError:
        pass
