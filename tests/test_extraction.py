"""The extraction stages one by one, on short texts written for each mechanism (not copied
from any excerpt): numbering anywhere, open labels, role cues, rules applied forward,
prose assignments, duty lists, unit-name grammar and the recall net."""

import pytest

from kepugraph.extraction.annotations import label_role, plausible_unit
from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import find_items, split_run_ons
from kepugraph.extraction.parser import parse_text
from kepugraph.extraction.units import split_glued, split_spans


def read(text):
    plan = parse_text(text)
    return [[(u.name, u.role) for u in m.units] for m in plan.measures], [str(w) for w in plan.warnings]


def test_run_on_line_breaks_before_markers_that_continue_a_sequence():
    text = ("现提出以下意见：一、加强科普能力建设开展科普活动，提升服务水平。（市科协、市教育局按职责分工负责）"
            "二、完善保障措施，落实第1、2条规定，经费增长2.5%以上。（市财政局负责）" + "并做好其他工作。" * 30)
    doc = Doc(text)
    split_run_ons(doc)
    items = find_items(doc)
    assert [doc.text[it.start:it.content] for it in items] == ["一、", "二、"]
    units, warnings = read(text)
    assert units == [[("市科协", "joint"), ("市教育局", "joint")], [("市财政局", "joint")]]
    assert warnings == []


def test_a_sequence_carried_across_lines_breaks_the_lines_it_runs_through():
    """一、 inside the notice's long line, 二、 opening the next; 四、 inside a shorter line
    after an annotation that closed the line before: each continues the document's count."""
    notice = "各有关单位：" + "为做好科普工作，经研究决定，现提出以下意见。" * 14 + "现提出以下意见："
    text = (notice + "一、加强科普能力建设。（市科协、市教育局按职责分工负责）\n"
            "二、完善保障措施。（市财政局负责）\n三、强化人才支撑，培养科普人才队伍，壮大科技志愿者队伍。\n"
            "（市人社局负责）四、做好宣传引导，营造良好社会氛围。（市委宣传部负责）\n")
    plan = parse_text(text)
    assert [(m.label, [u.name for u in m.units]) for m in plan.measures] == [
        ("一、", ["市科协", "市教育局"]), ("二、", ["市财政局"]), ("三、", ["市人社局"]), ("四、", ["市委宣传部"])]
    assert plan.measures[3].title == "做好宣传引导，营造良好社会氛围"
    # a number inside a short line that continues no count stays inside
    doc = Doc("一、任务\n（市人社局负责）七、做好宣传引导。（市委宣传部负责）")
    split_run_ons(doc)
    assert len(doc.lines) == 2  # 七、 continues nothing: the line stays whole


def test_short_lines_keep_their_inline_numbers():
    doc = Doc("一、任务：1.开展活动。2.推进工作。")
    split_run_ons(doc)
    assert doc.lines == [(0, len(doc.text))]


@pytest.mark.parametrize("label, role", [
    ("牵头单位", "lead"), ("省牵头单位", "lead"), ("牵头落实科室", "lead"), ("主责单位", "lead"),
    ("协同单位", "support"), ("配合部门", "support"), ("协办", "support"), ("参与单位", "support"),
    ("责任处室", "joint"), ("实施主体", "joint"), ("工作分工", "joint"), ("主办", "joint"),
    ("分管省领导", "person"), ("责任人", "person"), ("完成时限", "deadline"),
])
def test_label_roles(label, role):
    assert label_role(label) == role


@pytest.mark.parametrize("text, units", [
    ("（市科协会同市教育局、市财政局负责）", [("市科协", "lead"), ("市教育局", "support"), ("市财政局", "support")]),
    ("（由市科协牵头，市教育局、市文旅局参加）", [("市科协", "lead"), ("市教育局", "support"), ("市文旅局", "support")]),
    ("（市科协、市教育局分别牵头）", [("市科协", "lead"), ("市教育局", "lead")]),
    ("（市科协牵头落实）", [("市科协", "lead")]),
    ("（省教育厅、科技厅、财政厅等部门和各市人民政府负责）",
     [("省教育厅", "joint"), ("科技厅", "joint"), ("财政厅", "joint"), ("各市人民政府", "joint")]),
    ("（国务院各部门分别负责，年内持续推进）", [("国务院各部门", "joint")]),
], ids=["hui-tong", "you-qian-tou-can-jia", "fen-bie", "qian-tou-luo-shi", "etc-and", "deadline-inside"])
def test_role_cues(text, units):
    got, warnings = read(f"一、任务\n1.开展活动。{text}\n")
    assert got == [units] and warnings == []


def test_labelled_field_lines_with_their_own_role_words_and_people():
    got, warnings = read("一、任务\n1.开展活动。\n工作分工:市科协牵头,市教育局、市文旅局配合\n分管省领导:张三\n完成时限:2025年底前\n")
    assert got == [[("市科协", "lead"), ("市教育局", "support"), ("市文旅局", "support")]]
    assert parse_text("一、任务\n1.开展活动。\n工作分工:市科协牵头\n完成时限:2025年底前\n").measures[0].deadline == "2025年底前"


def test_carried_units_take_the_role_of_the_declaring_list():
    text = ("一、政策\n1.争取资金。(责任单位:市工信局、市财政局,各县区人民政府。以下政策措施均需各县区人民政府落实,不再单独列出)\n"
            "2.降低成本。(责任单位:市发改委)\n"
            "3.优化服务。(牵头单位:市政务办;责任单位:市发改委)\n")
    got, warnings = read(text)
    assert got == [
        [("市工信局", "joint"), ("市财政局", "joint"), ("各县区人民政府", "joint")],
        [("市发改委", "joint"), ("各县区人民政府", "joint")],
        [("市政务办", "lead"), ("市发改委", "support"), ("各县区人民政府", "joint")],
    ]
    assert warnings == []
    # the rule's own list parted by commas, and the rule opened by 以下各项
    got, warnings = read("一、政策\n1.争取资金。(责任单位:市工信局，市财政局。以下各项工作均需各县区人民政府，园区管委会落实,"
                         "不再单独列出)\n2.降低成本。(责任单位:市发改委)\n")
    assert got == [[("市工信局", "joint"), ("市财政局", "joint"), ("各县区人民政府", "joint"), ("园区管委会", "joint")],
                   [("市发改委", "joint"), ("各县区人民政府", "joint"), ("园区管委会", "joint")]]
    assert warnings == []


def test_first_is_lead_declared_in_an_aside_applies_forward():
    got, _ = read("一、任务\n(一)甲。\n责任单位:市发改委、市财政局(第一责任单位为牵头单位,下同)\n"
                  "(二)乙。\n责任单位:市建设局、市交通局\n")
    assert got == [[("市发改委", "lead"), ("市财政局", "support")], [("市建设局", "lead"), ("市交通局", "support")]]


def test_prose_assignment_closing_an_item():
    got, _ = read("一、工作分工\n(一)关于“稳定粮食生产”的问题,由发展改革委会同农业部、财政部等部门研究提出落实意见。\n"
                  "(二)关于“耕地保护”的问题,由国土资源部负责落实。\n")
    assert got == [[("发展改革委", "lead"), ("农业部", "support"), ("财政部", "support")], [("国土资源部", "joint")]]
    assert parse_text("一、工作分工\n(一)关于“稳定粮食生产”的问题,由发展改革委会同农业部等部门负责。\n"
                      ).measures[0].generic_refs == ["等部门"]


def test_a_verb_that_begins_the_unit_name_is_part_of_the_name():
    """组织 in 区委组织部, 研究 in 市农业科学研究院: the name runs on to its suffix."""
    got, _ = read("一、任务\n(一)加强干部科学素质培训,由区委组织部会同区科协负责。\n"
                  "(二)推广农业实用技术,由市农业科学研究院负责落实。\n(三)开展科普日活动,由区科协组织实施。\n")
    assert got == [[("区委组织部", "lead"), ("区科协", "support")], [("市农业科学研究院", "joint")],
                   [("区科协", "joint")]]


def test_unit_first_duty_list_under_a_duties_heading():
    plan = parse_text("三、工作分工\n办公室  组织协调全局政务公开工作;负责年度报告\n法规处  负责规范性文件的法律审核\n")
    assert [(m.units[0].name, m.units[0].role, m.title) for m in plan.measures] == [
        ("办公室", "joint", "组织协调全局政务公开工作"), ("法规处", "joint", "负责规范性文件的法律审核")]
    # the same shape under a heading about something else is not a duty list
    assert parse_text("三、活动安排\n开幕式  在广场举行文艺演出\n闭幕式  在礼堂举行颁奖仪式\n").measures == []
    # an HTML page shows the gap as one space: enough before a duty verb
    plan = parse_text("三、工作分工\n办公室 组织协调全局政务公开工作;负责年度报告\n法规处 负责规范性文件的法律审核\n")
    assert [(m.units[0].name, m.title) for m in plan.measures] == [
        ("办公室", "组织协调全局政务公开工作"), ("法规处", "负责规范性文件的法律审核")]
    assert parse_text("三、活动安排\n开幕式 在广场举行文艺演出\n闭幕式 在礼堂举行颁奖仪式\n").measures == []


def test_unit_first_duties_as_numbered_items():
    """（一）市教育局：负责… one unit (or a list) per item, a colon after it: each item is a
    measure of its units; items opening with a topic (总体目标：…) are not."""
    plan = parse_text("某市科普工作方案\n四、部门职责\n（一）市教育局：负责将科学教育纳入中小学教学。\n"
                      "（二）市科协、市科技局：组织开展全国科普日活动。\n（三）市农业农村局：开展农民科学素质培训。\n")
    assert [([(u.name, u.role) for u in m.units], m.title, m.path) for m in plan.measures] == [
        ([("市教育局", "joint")], "负责将科学教育纳入中小学教学", ["四、部门职责"]),
        ([("市科协", "joint"), ("市科技局", "joint")], "组织开展全国科普日活动", ["四、部门职责"]),
        ([("市农业农村局", "joint")], "开展农民科学素质培训", ["四、部门职责"])]
    assert parse_text("某市科普工作方案\n一、目标\n（一）总体目标：到2025年公民具备科学素质的比例达到15%。\n"
                      "（二）具体目标：建成科普示范社区20个。\n").measures == []
    # one such item among many is a sentence, not a duty list
    assert parse_text("某市科普工作方案\n一、任务\n（一）市教育局：推进科学教育改革。\n（二）开展科普日活动。\n"
                      "（三）建设科普场馆。\n").measures == []


def test_who_does_an_item_said_in_its_last_clause():
    """由A牵头，B、C配合 takes both clauses; …，A负责。 and …，A、B按职责分工落实。 close an item with
    its units; the title keeps every clause of the task before the one saying who does it."""
    plan = parse_text("某市科学素质提升工作方案\n"
                      "1.开展全国科普日活动，举办科普讲座20场，由市科协牵头，市教育局、市科技局配合。\n"
                      "2.建设社区科普e站10个，市民政局负责。\n"
                      "3.开展农民技能培训10万人次，市农业农村局、市人社局按职责分工落实。\n"
                      "4.完善科普工作考核机制，确保责任落实。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展全国科普日活动，举办科普讲座20场", [("市科协", "lead"), ("市教育局", "support"), ("市科技局", "support")]),
        ("建设社区科普e站10个", [("市民政局", "joint")]),
        ("开展农民技能培训10万人次", [("市农业农村局", "joint"), ("市人社局", "joint")])]


def test_who_does_an_item_said_in_a_sentence_of_its_own():
    """…建成10个科技馆。A、B负责。 — the last sentence whole names the units; a sentence that names
    no unit (各单位负责) gives nothing."""
    plan = parse_text("某县科普工作方案\n三、工作任务\n1.实施科技教育提升工程，2025年底前建成10个科技馆。县教育局、县科技局负责。\n"
                      "2.实施科普基础设施工程。县住建局牵头，县发改局、县财政局参与。\n3.开展科普讲座。各单位负责。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("实施科技教育提升工程，2025年底前建成10个科技馆", [("县教育局", "joint"), ("县科技局", "joint")]),
        ("实施科普基础设施工程", [("县住建局", "lead"), ("县发改局", "support"), ("县财政局", "support")])]


def test_units_after_a_dash_or_with_a_word_of_manner_before_the_verb():
    """…活动。——A、B closes an item with its units (a dash before a phrase that names none is
    no annotation); 由A具体负责 is 由A负责."""
    plan = parse_text("某市科普工作要点\n一、主要任务\n1.开展科普进校园活动。——市教育局、市科协\n"
                      "2.建设科普基地——打造科普品牌\n3.举办科技活动周，由市科技局具体负责。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展科普进校园活动", [("市教育局", "joint"), ("市科协", "joint")]),
        ("举办科技活动周", [("市科技局", "joint")])]


def test_a_heading_s_lead_leads_the_items_that_name_only_their_support():
    """（一）…行动（牵头单位：A） over 1.…（配合单位：B）: A leads B's item; an item naming its own
    responsible units keeps them; an item naming none takes the heading's annotation whole."""
    plan = parse_text("某市科普工作方案\n（一）青少年科学素质提升行动（牵头单位：市教育局）\n1.推进科学教育。（配合单位：市科协）\n"
                      "2.开展科技竞赛。（责任单位：团市委）\n3.建设科技馆。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("推进科学教育", [("市教育局", "lead"), ("市科协", "support")]),
        ("开展科技竞赛", [("团市委", "joint")]),
        ("建设科技馆", [("市教育局", "lead")])]


def test_unnumbered_duty_lines_opened_by_several_units():
    """市教育局、市科协：开展… / 各县、区人民政府：负责… / 区科协：负责统筹。 — lines each opened by
    units and a colon, under a heading about duties: each line a measure of its units."""
    plan = parse_text("某市科普工作方案\n一、任务分工\n市教育局、市科协：开展科普进校园活动。\n市科协：建设科普基地。\n"
                      "二、职责分工\n各县、区人民政府：负责组织本地活动。\n区科协：负责统筹。\n")
    assert [(m.title, [u.name for u in m.units]) for m in plan.measures] == [
        ("开展科普进校园活动", ["市教育局", "市科协"]), ("建设科普基地", ["市科协"]),
        ("负责组织本地活动", ["各县、区人民政府"]), ("负责统筹", ["区科协"])]


def test_names_parted_by_a_slash_and_a_label_with_a_word_glued_before_it():
    """（市科协/市教育局）: two units; 区教育/体育局 stays one name; （专责单位：A）: 专责 is the label's."""
    plan = parse_text("某市科普工作要点\n1.开展科普活动。（市科协/市教育局）\n2.建设科普基地。（专责单位：市科技局）\n"
                      "3.开展全民健身。（区教育/体育局负责）\n")
    assert [[u.name for u in m.units] for m in plan.measures] == [["市科协", "市教育局"], ["市科技局"], ["区教育/体育局"]]


def test_labels_in_brackets_or_after_a_dash_run_into_the_task():
    """…制度。【责任单位】A、B / 【牵头单位】A【配合单位】B / …活动——责任单位：A: the label is read as
    one, never as a unit named 责任单位; A(牵头单位)、B stays a role after a name."""
    plan = parse_text("某市科普工作要点\n（一）强化组织领导。建立联席会议制度。【责任单位】市科协、市委宣传部\n"
                      "（二）加大经费投入。【牵头单位】市财政局【配合单位】市科协\n"
                      "（三）开展科普日活动——责任单位：区科协、区文明办\n"
                      "（四）开展科普讲座。（责任单位：市科技局（牵头单位）、市教育局）\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("强化组织领导", [("市科协", "joint"), ("市委宣传部", "joint")]),
        ("加大经费投入", [("市财政局", "lead"), ("市科协", "support")]),
        ("开展科普日活动", [("区科协", "joint"), ("区文明办", "joint")]),
        ("开展科普讲座", [("市科技局", "lead"), ("市教育局", "support")])]
    assert plan.warnings == []


def test_a_label_alone_is_no_unit():
    plan = parse_text("某市科普工作要点\n（一）强化组织领导。（责任单位）\n（二）开展科普日活动。（市科协负责）\n")
    assert [[u.name for u in m.units] for m in plan.measures] == [["市科协"]]
    assert [w.message for w in plan.warnings] == ["not a unit name: 责任单位", "annotation names no unit that could be read"]


def test_tasks_grouped_under_headings_that_name_units():
    """一、区教育局 / 1.… 2.… 二、区科协 / 1.…: each task is its heading's units' (joint); one
    such heading alone, or headings that name topics, give nothing."""
    plan = parse_text("某区2024年科普工作任务分工\n一、区教育局\n1.开展青少年科技创新大赛，参赛学生1万人次。\n"
                      "2.推进中小学科学教育改革。\n二、区科协、区科技局：\n1.开展全国科普日活动。\n")
    assert [(m.path, m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        (["一、区教育局"], "开展青少年科技创新大赛，参赛学生1万人次", [("区教育局", "joint")]),
        (["一、区教育局"], "推进中小学科学教育改革", [("区教育局", "joint")]),
        (["二、区科协、区科技局："], "开展全国科普日活动", [("区科协", "joint"), ("区科技局", "joint")])]
    assert parse_text("某区科普工作要点\n一、区教育局\n1.开展青少年科技创新大赛。\n二、保障措施\n"
                      "1.加强组织领导。\n").measures == []


def test_units_parted_by_spaces_in_a_label_and_a_topic_before_a_colon():
    plan = parse_text("某市科普工作要点\n1.举办科普讲解大赛。（牵头单位：市科协 配合单位：市文旅局 市总工会）\n"
                      "2.加强科普队伍建设：市科协牵头，市人社局、市教育局配合。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("举办科普讲解大赛", [("市科协", "lead"), ("市文旅局", "support"), ("市总工会", "support")]),
        ("加强科普队伍建设", [("市科协", "lead"), ("市人社局", "support"), ("市教育局", "support")])]


def test_units_in_a_bracket_right_after_the_number():
    """1.【区科协】开展… : a bracket opening an item that holds unit names alone names its units;
    one holding anything else (a year, 试行) is no annotation."""
    plan = parse_text("某区科普工作要点\n1.【区科协】开展全国科普日活动，举办科普讲座20场。\n"
                      "2.（区教育局、区科协）开展青少年科技创新大赛。\n3.（2024年）建设社区科普e站10个。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展全国科普日活动，举办科普讲座20场", [("区科协", "joint")]),
        ("开展青少年科技创新大赛", [("区教育局", "joint"), ("区科协", "joint")])]


def test_unnumbered_tasks_with_their_fields_below():
    """A paragraph with no number, then own-line fields of which one names units: a task."""
    plan = parse_text("某区科普工作要点\n\n开展全国科普日活动，举办科普讲座20场。\n责任领导：张三\n责任单位：区科协\n"
                      "开展青少年科技创新大赛。\n责任单位：区教育局、区科协\n完成时限：2024年6月\n")
    assert [(m.title, [(u.name, u.role) for u in m.units], m.deadline) for m in plan.measures] == [
        ("开展全国科普日活动，举办科普讲座20场", [("区科协", "joint")], None),
        ("开展青少年科技创新大赛", [("区教育局", "joint"), ("区科协", "joint")], "2024年6月")]
    # an addressee line split at its colon is no field of units
    assert parse_text("国务院办公厅关于促进煤炭行业平稳运行的意见\n各省、自治区、直辖市人民政府，国务院各部委、"
                      "各直属机构：\n2012年以来，煤炭行业出现结构性产能过剩。\n").measures == []


def test_a_label_qualified_by_a_vague_word_is_one_label():
    """有关单位： and 相关部门： are labels whole: 有关 is no vague reference left before 单位：."""
    plan = parse_text("某区工作要点\n1.开展科普日活动。牵头单位:区科协;有关单位:区教育局、区科技局\n"
                      "2.建设科普e站。\n相关部门：区民政局\n")
    assert [([(u.name, u.role) for u in m.units], m.generic_refs) for m in plan.measures] == [
        ([("区科协", "lead"), ("区教育局", "support"), ("区科技局", "support")], []), ([("区民政局", "joint")], [])]


def test_a_pinyin_gloss_is_no_part_of_a_name():
    plan = parse_text("某區工作要點\n1.開展科普日活動。（區(qū)科協、區（qū）教育局按職責分工負責）\n")
    assert [u.name for u in plan.measures[0].units] == ["區科協", "區教育局"]


def test_a_unit_is_a_unit():
    assert [plausible_unit(n) for n in ("区科协", "各县(市、区)人民政府", "12345热线办公室", "共青团中央",
                                        "不再单独列出", "杭州市2项配合工作", "年内持续推进")] == [
        True, True, True, True, False, False, False]
    got, warnings = read("一、任务\n1.开展活动。（市科协、完成情况良好的单位和个人负责）\n")
    assert got == [[("市科协", "joint")]]
    assert warnings == ["line 2: not a unit name: 完成情况良好的单位和个人: （市科协、完成情况良好的单位和个人负责）"]


def test_names_split_and_kept_by_their_grammar():
    norm = "城乡一体化示范区、高新区党工委和管委会、市水利局"
    assert [norm[a:b] for a, b in split_spans(norm)] == ["城乡一体化示范区、高新区党工委和管委会", "市水利局"]
    assert split_glued("派出所工商质监所") == ["派出所", "工商质监所"]
    assert split_glued("住房和城乡建设局") == ["住房和城乡建设局"]
    assert split_glued("各县(市、区)党委和人民政府") == ["各县(市、区)党委和人民政府"]


def test_recall_net_reports_what_it_could_not_place():
    got, warnings = read("一、任务\n开展科普活动，区科协、区教育局牵头组织实施，确保实效。\n牵头单位 区文旅局\n")
    assert got == [[("区文旅局", "lead")]]  # a label with a gap on its own line is a field
    assert warnings == ["line 2: looks like a responsibility but was not read: 区科协、区教育局牵头"]
    got, warnings = read("牵头单位 区文旅局\n")  # outside any item: reported, not read
    assert (got, warnings) == ([], ["line 1: looks like a responsibility but was not read: 牵头单位 区文旅局"])
    # people in charge are not a responsibility of units
    assert read("成员:区委宣传部、区教委、区科协等单位分管负责同志。\n") == ([], [])


def test_every_traditional_character_reads_as_its_simplified_form():
    """Not only the vocabulary of annotations: 分別 and 內 (OpenCC's character table) too."""
    from kepugraph.reading.textnorm import normalize

    assert normalize("國務院各部門分別負責，年內持續推進") == "国务院各部门分别负责,年内持续推进"
    got, _ = read("一、重點任務\n1.做好宣傳工作。（國務院各部門分別負責，年內持續推進）\n"
                  "2.加強協調。（發展改革委牽頭，財政部、商務部參與）\n")
    assert got == [[("國務院各部門", "joint")], [("發展改革委", "lead"), ("財政部", "support"), ("商務部", "support")]]


def test_units_written_first_answer_for_the_item_after_them():
    plan = parse_text("一、重点任务\n1.【区科协牵头，区教育局配合】开展科技活动周。组织系列活动，普及科学知识。\n"
                      "2.【责任单位：区科学技术局】建设科普基地。完善建设标准。\n"
                      "3.培训科普志愿者（区科协、团区委负责）。每年培训不少于500人次。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("开展科技活动周", [("区科协", "lead"), ("区教育局", "support")]),
        ("建设科普基地", [("区科学技术局", "joint")]),
        ("培训科普志愿者", [("区科协", "joint"), ("团区委", "joint")])]
    assert plan.measures[0].text.endswith("普及科学知识。")
    # what follows the annotation in the item is the measure's too: its target
    assert [t.text for t in plan.measures[2].targets] == ["每年培训不少于500人次"]
    assert plan.warnings == []


def test_a_bracket_opened_by_a_unit_and_its_role_is_never_dropped_in_silence():
    plan = parse_text("一、重点任务\n1.开展科技活动周。组织系列活动。\n说明：本项工作（区科协牵头）另行部署，不作分解。\n"
                      "2.建设科普基地。（区科学技术局负责）\n")
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科学技术局"]]
    assert [(w.line, w.message, w.text) for w in plan.warnings] == [
        (3, "looks like a responsibility but was not read", "（区科协牵头")]


@pytest.mark.parametrize("line, want", [
    ("牵头单位 区科协", [("区科协", "lead")]),
    ("牵头单位——区科协", [("区科协", "lead")]),
    ("牵头单位为区科协，配合单位为区教育局", [("区科协", "lead"), ("区教育局", "support")]),
    ("区科协牵头负责，区教育局协同", [("区科协", "lead"), ("区教育局", "support")]),
    ("主责：区科协；协同：区教育局", [("区科协", "lead"), ("区教育局", "support")]),
    ("（牵头：区科协；配合：区教育局）", [("区科协", "lead"), ("区教育局", "support")]),
    ("区科协负责", [("区科协", "joint")]),
], ids=["gap", "dash", "wei", "role-line", "bare-labels", "bare-labels-bracket", "one-unit-line"])
def test_the_ways_a_line_under_a_measure_names_its_units(line, want):
    """A label parted from its units by a gap, a dash or 为; a role word alone as a label;
    a line of units and role words with no label or bracket."""
    got, warnings = read(f"一、任务\n1.开展科普活动。\n{line}\n2.建设科普基地。（区科学技术局负责）\n")
    assert got == [want, [("区科学技术局", "joint")]] and warnings == []


def test_a_rule_is_not_a_label_and_a_broken_line_is_not_a_role_line():
    got, _ = read("一、任务\n1.开展科普活动。\n责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）\n")
    assert got == [[("市发改委", "lead"), ("市财政局", "support")]]
    got, _ = read("一、任务\n1.关于耕地保护的问题，由国土资源部会同农业部等\n部门负责落实。\n")
    assert got == [[("国土资源部", "lead"), ("农业部", "support")]]


@pytest.mark.parametrize("ann, want", [
    ("（区科协和区教育局按职责分工负责）", ["区科协", "区教育局"]),
    ("（区科协牵头，区教育局及各街道配合）", ["区科协", "区教育局", "各街道"]),
    ("（科技部、国资委和税务总局等按职责分工负责）", ["科技部", "国资委", "税务总局"]),
    ("（责任部门：教育局和农委）", ["教育局", "农委"]),
    # one name each: 和 inside a unit's own name, a bare body sharing its place
    ("（区文化和旅游局、区教育和体育局负责）", ["区文化和旅游局", "区教育和体育局"]),
    ("（各县(市、区)党委和人民政府负责）", ["各县(市、区)党委和人民政府"]),
    ("（高新区党工委和管委会负责）", ["高新区党工委和管委会"]),
], ids=["he", "ji-collective", "etc", "short-names", "inner-he", "shared-place", "bare-body"])
def test_units_joined_by_a_conjunction_are_two_names(ann, want):
    got, _ = read(f"一、任务\n1.开展科普活动。{ann}\n")
    assert [name for name, _ in got[0]] == want


@pytest.mark.parametrize("text, want", [
    # a notice cited in the preamble is not the plan's title: the first line is
    ("加快某市流通业发展实施意见\n为加快发展，根据省政府《关于印发某省流通业政策措施的通知》（某政〔2014〕36号）等文件，制定本意见。\n"
     "一、任务\n1.开展活动。（市商务局负责）\n",
     ("加快某市流通业发展实施意见", None, None, None)),
    # the notice's own words name the plan; a date in brackets under a title
    ("各有关单位：\n现将《某镇2017年度安全生产工作计划》印发给你们，请遵照执行。\n（2017年2月24日）\n某镇2017年度安全生产工作计划\n"
     "一、任务\n1.开展检查。（安监站负责）\n",
     ("某镇2017年度安全生产工作计划", None, "2017-02-24", None)),
    # a 文号 in traditional characters; a signature after the body
    ("韶關市人民政府關於印發某措施的通知（韶府〔2019〕31號）\n一、任務\n1.降低成本。（市工信局負責）\n"
     "某市人民政府办公室\n2019年8月16日\n",
     ("某措施", "韶府〔2019〕31號", "2019-08-16", "韶關市人民政府")),
    # a signature run into the notice's line; a 文号 glued to the title before it
    ("关于促进行业平稳运行的意见国办发〔2013〕104号 各省人民政府： 现提出以下意见。常熟市人民政府办公室 2018年2月24日\n"
     "一、任务\n1.开展活动。（能源局负责）\n",
     (None, "国办发〔2013〕104号", "2018-02-24", "常熟市人民政府办公室")),
], ids=["cited-notice", "printed-notice", "trad-and-signature", "run-in"])
def test_the_plans_own_metadata(text, want):
    meta = parse_text(text).meta
    title, number, date, issuer = want
    assert (meta.doc_number, meta.date, meta.issuer) == (number, date, issuer)
    if title is not None:
        assert meta.title == title


@pytest.mark.parametrize("head, want", [
    # a red-headed document: the 版头 names the body in full, the signature shortens it
    ("鞍山市立山区人民政府文件\n鞍立政发〔2023〕2号\n立山区人民政府关于印发 《立山区2023年重点工作任务分解 和责任分工方案》的通知\n"
     "各街道办事处：\n现将《立山区2023年重点工作任务分解和责任分工方案》印发给你们。\n立山区人民政府\n2023年3月28日\n",
     ("立山区2023年重点工作任务分解和责任分工方案", "立山区人民政府关于印发《立山区2023年重点工作任务分解和责任分工方案》的通知",
      "鞍山市立山区人民政府")),
    # the issuer alone on the line above its notice, which the body's sheet follows without a signature
    ("平顶山市河长制办公室\n\n关于印发《平顶山市全面推行河长制主要任务分解方案》的通知\n\n",
     ("平顶山市全面推行河长制主要任务分解方案", "平顶山市河长制办公室关于印发《平顶山市全面推行河长制主要任务分解方案》的通知",
      "平顶山市河长制办公室")),
    # a notice that issues nothing else is the plan itself, its title wrapped over three lines
    ("國務院辦公廳關於落實中共中央國務院\n關於全面深化農村改革\n若干意見有關政策措施分工的通知\n\n國辦函〔2014〕31號\n\n國務院各部委:\n",
     ("國務院辦公廳關於落實中共中央國務院關於全面深化農村改革若干意見有關政策措施分工的通知", None, "國務院辦公廳")),
    # a page that lost its line breaks: the title stops at 关于, not at the words before it
    ("编辑: 某某 2014-09-04\n(2016)第9期 某区人民政府督查室 签发人:张三 关于2016年重点工作第一季度 落实情况的通报 各街道办事处: 根据要求。\n",
     ("关于2016年重点工作第一季度落实情况的通报", None, None)),
], ids=["masthead", "issuer-above", "wrapped-opinion", "signed-by"])
def test_the_title_and_issuer_of_a_notice(head, want):
    meta = parse_text(head + "一、任务\n1.开展活动。（区科协负责）\n").meta
    assert (meta.title, meta.notice, meta.issuer) == want


@pytest.mark.parametrize("head, want", [
    # a government site's box above the document: its fields give the issuer and the day signed
    ("索引号：11410400MB1234567X/2023-01234\n发文机关：某市人民政府办公室\n成文日期：2023年05月06日\n"
     "发布日期：2023-05-10 09:30\n某市科普工作方案\n", ("某市科普工作方案", "某市人民政府办公室", "2023-05-06")),
    # a labelled publication date under the title is no part of it
    ("某市科普工作方案\n发布时间：2023-05-06\n", ("某市科普工作方案", None, "2023-05-06")),
    # a signature under the title, its date written with dots
    ("某市科普工作方案\n某市科协\n2023.5.6\n", ("某市科普工作方案", "某市科协", "2023-05-06")),
], ids=["site-box", "labelled-date", "dotted-signature"])
def test_the_fields_and_dates_of_a_document_s_head(head, want):
    meta = parse_text(head + "一、任务\n1.开展活动。（市科协负责）\n").meta
    assert (meta.title, meta.issuer, meta.date) == want


def test_a_name_padded_with_spaces_is_the_same_unit():
    plan = parse_text("一、任务\n1.开展科普活动。（区 科 协牵头，区教育局配合）\n2.建设基地。（区科协、区　教　育　局负责）\n")
    assert [[(u.name, u.role) for u in m.units] for m in plan.measures] == [
        [("区科协", "lead"), ("区教育局", "support")], [("区科协", "joint"), ("区教育局", "joint")]]


def test_a_separator_learnt_from_the_document_reads_as_a_line_break():
    """A converter replaced every line break by ■: the ■ before the item markers is learnt."""
    lines = ["关于印发甲方案的通知", "一、总体任务", "1.推进甲事。", "责任单位：市甲局", "2.推进乙事。", "牵头单位：市乙局",
             "配合单位：市丙局、市丁局", "二、保障措施", "加强组织领导。"]
    plan = parse_text("■".join(lines))
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("推进甲事", [("市甲局", "joint")]),
        ("推进乙事", [("市乙局", "lead"), ("市丙局", "support"), ("市丁局", "support")])]
    assert [m.span for m in plan.measures] == [m.span for m in parse_text("\n".join(lines)).measures]
    assert plan.measures[0].text == "1.推进甲事。■责任单位：市甲局"  # the text as written is kept


def test_items_by_their_numbering_sequence_on_one_line():
    """A plan that lost every line break: headings with no full stop run into their first
    item (…建设1.推进…), and the numbering sequence still parts the items."""
    text = ("甲市2025年科普工作要点为深入推进全民科学素质提升，加强科普能力建设，结合我市实际，制定本要点。各单位要高度重视，"
            "认真组织实施，明确责任分工，细化工作措施，加强协调配合，形成工作合力，确保各项任务落到实处。一、提升科普能力（一）加强阵地建设1.推进科普场馆建设，新建科普馆2个，"
            "改造提升科普教育基地5个。（市科协、市教育局按职责分工负责）2.推进科普进校园，每年开展科普活动不少于20场，"
            "覆盖全市中小学校。（市教育局牵头，市科技局配合）（二）壮大科普队伍3.建设科技志愿者队伍，每年培训骨干200人次。"
            "（市科协负责）二、强化保障各单位要加强组织领导，健全工作机制，确保工作落实，年底前报送工作总结。")
    assert len(text) >= 300
    plan = parse_text(text)
    assert [(m.label, m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("1.", "推进科普场馆建设，新建科普馆2个，改造提升科普教育基地5个", [("市科协", "joint"), ("市教育局", "joint")]),
        ("2.", "推进科普进校园，每年开展科普活动不少于20场，覆盖全市中小学校", [("市教育局", "lead"), ("市科技局", "support")]),
        ("3.", "建设科技志愿者队伍，每年培训骨干200人次", [("市科协", "joint")])]
    assert [m.path for m in plan.measures][2] == ["一、提升科普能力", "（二）壮大科普队伍"]


def test_a_text_that_lost_its_line_breaks_is_cut_where_labels_and_table_rows_open():
    """Own-line fields and a | table run into one line: a label after a sentence or a name
    opens a field of its own (时间：… no longer runs into the unit), a number in sequence opens
    each table row."""
    prose = ("甲县科普活动周实施方案为做好今年科普活动周工作，大力弘扬科学精神，普及科学知识，提高全民科学素质，营造"
             "崇尚科学的社会氛围，结合我县实际，制定本方案，请各单位认真组织实施，切实加强组织领导，确保活动取得实效。"
             "一、活动安排1.科普大篷车进乡村。责任单位：县科协时间：5月20日地点：各乡镇2.青少年科技创新大赛。"
             "责任单位：县教育局、县科技局时间：5月22日地点：县第一中学")
    table = ("附件 序号 | 重点任务 | 牵头单位 | 配合单位 |1 | 建设科普示范社区3个，每个社区配备科普宣传栏。 | 县科协 | 县民政局 |"
             "2 | 开展农村实用技术培训不少于50场，培训农民3000人次。 | 县农业农村局 | 县科协、各乡镇 |")
    plan = parse_text(prose + table)
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("科普大篷车进乡村", [("县科协", "joint")]),
        ("青少年科技创新大赛", [("县教育局", "joint"), ("县科技局", "joint")]),
        ("建设科普示范社区3个，每个社区配备科普宣传栏", [("县科协", "lead"), ("县民政局", "support")]),
        ("开展农村实用技术培训不少于50场，培训农民3000人次", [("县农业农村局", "lead"), ("县科协", "support"), ("各乡镇", "support")])]


def test_rows_of_a_pipe_table_run_into_one_line_open_where_a_row_closed():
    """Cells parted by ' | ', each row closed by ' |' with the next glued on: rows found again."""
    rows = [("烟花爆竹检查", "1月份", "安监站"), ("危险化学品检查", "2月份", "安监所"), ("电力设施检查", "3月份", "电管所"),
            ("养老机构检查", "4月份", "民政所"), ("建筑施工检查", "5月份", "城建办"), ("医疗机构检查", "6月份", "卫生院"),
            ("特种设备检查", "7月份", "工商所"), ("网吧歌厅检查", "8月份", "派出所"), ("景区景点检查", "9月份", "旅游办")]
    text = ("甲镇2025年安全生产专项整治工作计划为切实做好全镇安全生产工作，有效防范和遏制各类事故发生，保障人民群众生命财产安全，"
            "根据上级部署，结合我镇实际，制定本计划，请各单位认真贯彻执行，加强组织领导，落实工作责任，确保各项整治任务按时完成，取得实效。"
            "专项整治行业名称 | 时间安排 | 责任单位 |" + "".join(f"{a} | {b} | {c} |" for a, b, c in rows))
    assert len(text) >= 300
    plan = parse_text(text)
    assert [(m.text, [(u.name, u.role) for u in m.units], m.deadline) for m in plan.measures] == [
        (a, [(c, "joint")], b) for a, b, c in rows]


def test_articles_numbered_di_n_tiao_are_items():
    """第一条 … 第三条 of a 若干措施 are items like 1. …, each closed by its assignment."""
    plan = parse_text("某市支持科技创新若干措施\n第一条 加快建设创新平台。由市科技局牵头，市工信局、市发改委配合。\n"
                      "第二条 加大人才引进力度。由市委组织部牵头，市人社局配合。\n第三条 优化科技金融服务。由市金融局负责。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("加快建设创新平台", [("市科技局", "lead"), ("市工信局", "support"), ("市发改委", "support")]),
        ("加大人才引进力度", [("市委组织部", "lead"), ("市人社局", "support")]),
        ("优化科技金融服务", [("市金融局", "joint")])]


def test_a_label_value_set_out_one_unit_a_line():
    """责任单位： with nothing after it, its units one a line (or a list a line) below it: the
    lines are its value, up to the next label; measures keep the lines of the file."""
    plan = parse_text("1.推进科普基础设施建设，建成市科技馆新馆。\n责任单位：\n市科协\n市发展改革委\n市住房城乡建设局\n"
                      "完成时限：2024年12月\n2.开展科学家精神宣讲活动。\n牵头单位：\n市科协\n配合单位：\n市委宣传部、市教育局\n")
    assert [(m.title, m.line, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("推进科普基础设施建设，建成市科技馆新馆", 1,
         [("市科协", "joint"), ("市发展改革委", "joint"), ("市住房城乡建设局", "joint")]),
        ("开展科学家精神宣讲活动", 7, [("市科协", "lead"), ("市委宣传部", "support"), ("市教育局", "support")])]
    assert plan.measures[0].deadline == "2024年12月"


def test_an_annotation_after_the_heading_of_an_item_then_its_body():
    """1.加强宣传引导（A牵头，B配合），充分利用…: the annotation closes the item's short heading and the
    body goes on after a comma or a colon (督查通报: 1.甲项目（A牵头）：已完工…)."""
    plan = parse_text("三、工作措施\n1.加强宣传引导（市委宣传部牵头，市科协配合），充分利用报刊、广播等媒体开展宣传。\n"
                      "2.完善激励机制（市人社局负责），将科普工作纳入考核。\n"
                      "3.科技馆新馆建设项目（市科协、市科技局负责）：主体工程已完工，正在进行布展。\n")
    assert [(m.title, m.path, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("加强宣传引导", ["三、工作措施"], [("市委宣传部", "lead"), ("市科协", "support")]),
        ("完善激励机制", ["三、工作措施"], [("市人社局", "joint")]),
        ("科技馆新馆建设项目", ["三、工作措施"], [("市科协", "joint"), ("市科技局", "joint")])]


def test_articles_in_a_text_that_lost_its_line_breaks():
    """第一条…第五条 run into one line are cut where their sequence goes on, as 1.…5. are."""
    arts = [("一", "加快建设创新平台。支持企业建设研发中心，对新认定的国家级研发平台给予一次性奖励。由市科技局牵头，市工信局配合。"),
            ("二", "加大人才引进力度。对引进的高层次人才给予安家补贴和科研经费支持。由市委组织部牵头，市人社局配合。"),
            ("三", "优化科技金融服务。设立科技成果转化引导基金，支持科技型中小企业融资。由市金融局负责。"),
            ("四", "强化知识产权保护。建立知识产权快速维权机制。由市市场监管局负责。"),
            ("五", "加强科学普及。建设一批科普基地，开展全国科普日等活动，提升公民科学素质。由市科协牵头，市教育局、市科技局配合。")]
    text = ("为深入实施创新驱动发展战略，加快建设区域科技创新中心，推动经济高质量发展，结合我市实际，制定以下措施。"
            + "".join(f"第{n}条 {t}" for n, t in arts))
    assert "\n" not in text and len(text) >= 300
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in parse_text(text).measures] == [
        ("加快建设创新平台", [("市科技局", "lead"), ("市工信局", "support")]),
        ("加大人才引进力度", [("市委组织部", "lead"), ("市人社局", "support")]),
        ("优化科技金融服务", [("市金融局", "joint")]), ("强化知识产权保护", [("市市场监管局", "joint")]),
        ("加强科学普及", [("市科协", "lead"), ("市教育局", "support"), ("市科技局", "support")])]


def test_an_annotation_in_ascii_square_brackets():
    """[牵头单位：A；配合单位：B、C] reads as （…） and 【…】 do: roles kept, no bracket left in a name."""
    plan = parse_text("1.实施科普惠农工程[牵头单位：市农业农村局；配合单位：市科协]\n"
                      "2.实施科普进校园工程[牵头单位：市教育局；配合单位：市科协、团市委]\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("实施科普惠农工程", [("市农业农村局", "lead"), ("市科协", "support")]),
        ("实施科普进校园工程", [("市教育局", "lead"), ("市科协", "support"), ("团市委", "support")])]


def test_an_item_that_opens_with_who_does_it():
    """由A负责，组织… / 由A、B共同负责，… / A牵头，会同B开展… / 由A牵头，B、C配合，组织…: the units
    open the item (right after its number), the task after them is the title; no warning."""
    plan = parse_text("1.由市科协负责，组织开展全国科普日活动。\n2.由市教育局、市科协共同负责，组织青少年科技创新大赛。\n"
                      "3.市卫健委牵头，会同市科协开展健康科普。\n4.由市教育局牵头，市科技局、市科协配合，组织科学教育。\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("组织开展全国科普日活动", [("市科协", "joint")]),
        ("组织青少年科技创新大赛", [("市教育局", "joint"), ("市科协", "joint")]),
        ("开展健康科普", [("市卫健委", "lead"), ("市科协", "support")]),
        ("组织科学教育", [("市教育局", "lead"), ("市科技局", "support"), ("市科协", "support")])]
    assert plan.warnings == []


def test_a_heading_line_over_its_own_fields_is_the_title():
    """（一）科普信息化工程 / 目标：… / 牵头单位：…: the heading line is the title, the fields below
    it (目标：, 工作内容：) are no part of it."""
    plan = parse_text("重点任务\n（一）科普信息化工程\n目标：建设科普云平台。\n措施：整合科普资源。\n牵头单位：市科协\n"
                      "参与单位：市大数据局、市融媒体中心\n（二）科普基础设施工程\n工作内容：新建科普场馆2个。\n牵头单位：市科技局\n")
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("科普信息化工程", [("市科协", "lead"), ("市大数据局", "support"), ("市融媒体中心", "support")]),
        ("科普基础设施工程", [("市科技局", "lead")])]
