"""Exact facts read by hand from the reference plan (泰山政办字〔2022〕7号)."""

from kepugraph.model import Target

TITLE = "泰山区全民科学素质行动规划纲要实施方案（2021-2025年）"


def test_metadata(plan):
    m = plan.meta
    assert m.title == TITLE
    assert m.doc_number == "泰山政办字〔2022〕7号"
    assert m.issuer == "泰安市泰山区人民政府办公室"
    assert m.date == "2022-05-31"
    assert m.recipients == ["各街道办事处", "镇人民政府", "各园区管委会", "区直有关部门"]
    assert m.period == "2021-2025"
    assert m.cites == [
        "山东省全民科学素质行动规划纲要实施方案（2021-2025年）",
        "泰安市全民科学素质行动规划纲要实施方案（2021-2025年）",
        "泰山区国民经济和社会发展第十四个五年发展规划和2035年远景目标纲要",
    ]


def test_measure_and_unit_counts(plan):
    # 29 measures closed by （…按职责分工负责）, plus two prose responsibilities in 四、保障措施
    assert len(plan.measures) == 31
    assert sum(m.source == "annotation" for m in plan.measures) == 29
    assert [m.title for m in plan.measures if m.source == "prose"] == [
        "区政府负责《科学素质纲要》实施工作", "区科协牵头实施《科学素质纲要》"]
    assert len(plan.units()) == 25
    assert plan.warnings == []


def test_units_of_measures(plan):
    by_title = {m.title: m for m in plan.measures}
    first = plan.measures[0]
    assert first.title == "将弘扬科学精神贯穿于育人全链条"
    assert [(u.name, u.role) for u in first.units] == [
        ("区委宣传部", "joint"), ("区教育和体育局", "joint"), ("区融媒体中心", "joint"),
        ("团区委", "joint"), ("区科学技术局", "joint"), ("区科协", "joint")]
    assert [u.name for u in by_title["完善校内外科技教育合作联动机制"].units] == [
        "区教育和体育局", "区自然资源局", "市生态环境局泰山分局", "区工业和信息化局", "区住房和城乡建设局",
        "区水利局", "区文化和旅游局", "区卫生健康局", "区应急管理局", "区气象局", "团区委", "区妇联",
        "区科学技术局", "区科协"]
    assert [u.name for u in by_title["实施技能兴泰行动"].units] == [
        "区人力资源和社会保障局", "区总工会", "区教育和体育局", "团区委", "区住房和城乡建设局", "区应急管理局"]
    assert [(u.name, u.role) for u in by_title["区科协牵头实施《科学素质纲要》"].units] == [("区科协", "lead")]
    assert [u.position for u in first.units] == [1, 2, 3, 4, 5, 6]


def test_heading_paths(plan):
    by_title = {m.title: m for m in plan.measures}
    assert by_title["实施智慧助老行动"].path == ["三、工作重点与分工", "（一）提升行动", "4.老年人科学素质提升行动"]
    assert by_title["提升科普创作能力"].path == ["三、工作重点与分工", "（二）重点工程", "2.科普信息化提升工程"]
    assert by_title["区政府负责《科学素质纲要》实施工作"].path == ["四、保障措施", "（一）加强组织领导"]
    assert [s.heading for s in plan.sections if s.level == 0] == [
        "一、总体要求", "二、基本原则", "三、工作重点与分工", "四、保障措施"]
    assert len(plan.sections) == 18
    sec = plan.section(by_title["实施智慧助老行动"].section)
    assert (sec.id, sec.parent) == ("s3-1-4", "s3-1")


def test_spans_point_into_the_text(plan):
    for m in plan.measures:
        assert plan.text[m.span[0]:m.span[1]] == m.text
    m = plan.measures[3]
    assert m.text.startswith("——加大培育力度")
    assert m.text.endswith("（区教育和体育局、区科学技术局、区科协按职责分工负责）")
    assert m.annotation == "（区教育和体育局、区科学技术局、区科协按职责分工负责）"
    assert m.line == 33


def test_targets(plan):
    by_title = {m.title: m for m in plan.measures}
    [t] = by_title["加大培育力度，大力提升教师队伍科学素质"].targets
    assert (t.subject, t.value, t.unit, t.comparator, t.period) == ("培训科技辅导员", 50, "人次", ">=", "每年")
    [t] = by_title["实施高素质农民培育计划"].targets
    assert (t.subject, t.value, t.unit, t.comparator, t.period) == ("培育高素质农民", 3000, "人次", "=", None)
    assert [(t.subject, t.value, t.unit, t.comparator, t.period) for t in plan.targets] == [
        ("全区公民具备科学素质的比例", 18, "%", ">=", "2025")]
    assert sum(len(m.targets) for m in plan.measures) == 2
    assert isinstance(plan.targets[0], Target)
