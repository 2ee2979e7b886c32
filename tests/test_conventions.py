"""One snippet per annotation convention: units, roles and order exactly."""

import pytest

from kepugraph.extraction.parser import parse_text


def units(text):
    plan = parse_text(text)
    assert len(plan.measures) == 1, [m.title for m in plan.measures]
    return [(u.name, u.role) for u in plan.measures[0].units]


CASES = [
    ("joint_by_duty", "一、任务\n1.开展活动。（区委宣传部、区教育和体育局、区科协按职责分工负责）\n",
     [("区委宣传部", "joint"), ("区教育和体育局", "joint"), ("区科协", "joint")]),
    ("lead_then_support", "一、任务\n1.开展活动。（区科协牵头，区教育局、区文旅局配合）\n",
     [("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")]),
    ("labelled_lead_support", "一、任务\n1.开展活动。（牵头单位：区科协；配合单位：区教育局、区文旅局）\n",
     [("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")]),
    ("labelled_lead_responsible", "一、任务\n1.开展活动。（牵头单位：区科协；责任单位：区教育局）\n",
     [("区科协", "lead"), ("区教育局", "support")]),
    ("responsible_only", "一、任务\n1.开展活动。（责任单位：区科协、区教育局）\n",
     [("区科协", "joint"), ("区教育局", "joint")]),
    ("single_responsible", "一、任务\n1.开展活动。（区科协负责）\n", [("区科协", "joint")]),
    ("bare_list", "一、任务\n1.开展活动。（区科协、区教育局）\n", [("区科协", "joint"), ("区教育局", "joint")]),
    ("half_width", "一、任务\n1.开展活动。(区科协牵头,区教育局配合)\n", [("区科协", "lead"), ("区教育局", "support")]),
    ("broken_over_lines", "一、任务\n1.开展活动。（区科协牵头，区教育\n局、区文旅局配合）\n",
     [("区科协", "lead"), ("区教育局", "support"), ("区文旅局", "support")]),
    ("bracketed_collective", "一、任务\n1.开展活动。（市教育局、各县（市、区）人民政府按职责分工负责）\n",
     [("市教育局", "joint"), ("各县（市、区）人民政府", "joint")]),
    ("mixed_separators", "一、任务\n1.开展活动。（责任单位：区科协，区教育局；区文旅局）\n",
     [("区科协", "joint"), ("区教育局", "joint"), ("区文旅局", "joint")]),
    ("lead_responsible_verb", "一、任务\n（一）开展活动。（区卫健局牵头负责）\n", [("区卫健局", "lead")]),
    ("hex_brackets", "一、任务\n（一）开展活动。〔责任单位：省市场监管局〕\n", [("省市场监管局", "joint")]),
    ("run_in_fields", "一、任务\n1.开展活动。\n牵头单位：区发改局\n责任单位：各街道、区直各部门\n完成时限：2025年底前\n",
     [("区发改局", "lead"), ("各街道", "support"), ("区直各部门", "support")]),
    ("heading_lead", "一、强化科技创新（区科技局牵头）\n（一）加强平台建设。建设研究院。\n", [("区科技局", "lead")]),
    ("after_sub_items", "一、任务\n1.完善预案\n（1）加强管理。\n（2）推进演练。\n（责任单位：市应急局、各县（市、区）人民政府）\n",
     [("市应急局", "joint"), ("各县（市、区）人民政府", "joint")]),
    ("etc_departments", "一、任务\n1.开展活动。（区发改局牵头，区财政局等部门配合）\n",
     [("区发改局", "lead"), ("区财政局", "support")]),
    ("traditional", "一、任務\n1.開展活動。（責任單位：市稅務局、市財政局，排在首位的爲牽頭單位，下同）\n",
     [("市稅務局", "lead"), ("市財政局", "support")]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_convention(text, expected):
    assert units(text) == expected


def test_first_is_lead_applies_forward_only():
    plan = parse_text("一、任务\n1.甲。（区科协、区教育局）\n2.乙。（区财政局、区商务局，排在首位的为牵头单位，下同）\n"
                      "3.丙。（区文旅局、区卫健局）\n")
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [
        [("区科协", "joint"), ("区教育局", "joint")],
        [("区财政局", "lead"), ("区商务局", "support")],
        [("区文旅局", "lead"), ("区卫健局", "support")],
    ]


def test_two_annotations_in_one_item():
    plan = parse_text("一、任务\n1.制定清单。完成编制。〔市生态环境局牵头，市发展和改革局参与〕不再新建锅炉。（市市场监管局负责）\n")
    assert [m.title for m in plan.measures] == ["制定清单", "不再新建锅炉"]
    assert [[u.name for u in m.units] for m in plan.measures] == [["市生态环境局", "市发展和改革局"], ["市市场监管局"]]


def test_deadline_kept():
    plan = parse_text("一、任务\n1.开展活动。\n牵头单位：区发改局\n完成时限：2025年底前\n")
    assert plan.measures[0].deadline == "2025年底前"


def test_asides_are_not_annotations():
    plan = parse_text("一、目标\n到2020年，空气质量优良天数比例(AQI达标率)达到94%。建设中国(杭州)跨境电商试验区。\n"
                      "二、措施\n1.提高审批效率。6亩以下(不含6亩)的转让手续由区级办理。\n")
    assert plan.measures == [] and plan.warnings == []


def test_unreadable_annotation_is_a_warning():
    plan = parse_text("一、任务\n1.开展活动。（牵头单位：）\n2.建设基地。（区科协负责）\n")
    assert [m.title for m in plan.measures] == ["建设基地"]
    assert [(w.line, w.message) for w in plan.warnings] == [(2, "annotation names no unit that could be read")]


def test_vague_only_annotation_is_a_measure_nobody_owns():
    # dev README decision (162): the row or measure is kept, its vague words in generic_refs
    plan = parse_text("一、任务\n1.开展活动。（有关部门按职责分工负责）\n2.建设基地。（区科协负责）\n")
    assert [(m.title, m.units, m.generic_refs) for m in plan.measures][0] == ("开展活动", [], ["有关部门"])
    assert [[u.name for u in m.units] for m in plan.measures] == [[], ["区科协"]]
    assert plan.warnings == []


@pytest.mark.parametrize("label, role", [
    ("协同责任单位", "support"), ("配合责任单位", "support"), ("协同单位", "support"), ("协办单位", "support"),
    ("总牵头单位", "lead"), ("主要责任单位", "lead"), ("牵头落实科室", "lead"),
    ("举办单位", "joint"), ("组织单位", "joint"), ("责任主体", "joint"), ("承办单位", "joint"), ("责任科室及单位", "joint"),
])
def test_a_label_is_any_short_phrase_ending_in_a_unit_noun(label, role):
    """Labels come from one open lexicon: its role words say the role, beside a lead the
    carrying words (责任, 承办, 举办) support it."""
    plan = parse_text(f"一、任务\n1.开展甲活动。（{label}：市甲局、市乙局）\n2.开展乙活动。（牵头单位：市丙局；{label}：市丁局）\n")
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [
        [("市甲局", role), ("市乙局", role)], [("市丙局", "lead"), ("市丁局", "lead" if role == "lead" else "support")]]
    assert plan.warnings == []


def test_role_words_that_end_like_a_body_are_no_unit_names():
    from kepugraph.names import looks_like_unit

    assert [looks_like_unit(n) for n in ("协办", "承办", "区教育局协办", "区委办", "市法制办")] == [False, False, False, True, True]


@pytest.mark.parametrize("text, units", [
    ("1.加强科普阵地建设。由市甲局牵头，市乙局、市丙局配合，组织开展科普场馆建设。确保年底前完成。",
     [("市甲局", "lead"), ("市乙局", "support"), ("市丙局", "support")]),
    ("1.推进科普进校园。市丁局负责，市戊局协助。", [("市丁局", "lead"), ("市戊局", "support")]),
    ("1.推进乙事。市丙局牵头，会同市丁局和市戊局组织实施。", [("市丙局", "lead"), ("市丁局", "support"), ("市戊局", "support")]),
    ("1.加强科普阵地建设，由市甲局和市乙局负责。", [("市甲局", "joint"), ("市乙局", "joint")]),
])
def test_run_in_prose_both_clauses_in_any_sentence(text, units):
    plan = parse_text("一、主要任务\n" + text + "\n")
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [units]
    assert plan.warnings == []


def test_placeholders_vague_lists_and_duty_verbs_in_cells():
    table = ("序号 | 重点任务 | 牵头单位 | 配合单位 |\n1 | 推进甲事，完成改造10处。 | 市甲局 | / |\n"
             "2 | 推进乙事，完成改造20处。 | 甲科按职能落实，乙科配合 | 无 |\n")
    plan = parse_text(table)
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [
        [("市甲局", "lead")], [("甲科", "lead"), ("乙科", "support")]]
    plan = parse_text("一、任务\n1.推进甲事。（市甲局等有关单位负责）\n2.推进乙事。（各地、各单位按职责分工负责）\n"
                      "3.推进丙事。（市乙局、有关部门和单位负责）\n")
    assert [([(u.name, u.role) for u in m.units], m.generic_refs) for m in plan.measures] == [
        ([("市甲局", "joint")], ["等有关单位"]), ([], ["各地", "各单位"]), ([("市乙局", "joint")], ["有关部门和单位"])]


def test_an_unnumbered_paragraph_closed_by_an_annotation_is_a_measure():
    plan = parse_text("为推进工作，现提出如下措施。\n加快建设科普基地，年底前完成。（市甲局牵头）\n开展科普讲座20场。（市乙局负责）\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("加快建设科普基地，年底前完成", [("市甲局", "lead")]), ("开展科普讲座20场", [("市乙局", "joint")])]
    assert plan.warnings == []
