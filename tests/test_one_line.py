"""Plans that lost every line break (a page pasted as one line): items are found by their
numbering sequence and labels inside the run-on line, never by newlines. Made-up text."""

from kepugraph.extraction.doc import Doc
from kepugraph.extraction.items import split_run_ons
from kepugraph.extraction.parser import parse_text

#: a preamble long enough that the text reads as a run-on line (≥ 300 characters)
_PREAMBLE = "为普及科学知识，提高公众科学素质，推动全区科普工作深入开展，" * 8 + "现制定方案如下："


def _pairs(plan):
    return [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures]


def test_a_label_that_ends_a_heading_stays_in_it_and_a_placeholder_opens_an_item():
    text = (_PREAMBLE + "一、活动主题：节约能源保护环境二、举办时间：5月18日~25日三、活动内容："
            "1、*区2026年科普周开幕式责任单位：区科协时间：5月18日上午地点：*广场"
            "2、社区科普讲座责任单位：区卫健局时间：5月20日地点：各社区")
    plan = parse_text(text)
    assert _pairs(plan) == [("*区2026年科普周开幕式", [("区科协", "joint")]),
                            ("社区科普讲座", [("区卫健局", "joint")])]
    # the headings keep their label words (举办时间, 活动内容), no field cut them off
    assert [s.title for s in plan.sections] == ["活动主题：节约能源保护环境", "举办时间：5月18日~25日", "活动内容："]


def test_a_list_the_excerpt_enters_midway_is_cut_by_its_sequence():
    # the text opens at 二、 (the page before held 一、): 二、 三、 四、 in a row open items
    text = ("甲镇科普日活动二、活动宗旨" + "围绕科学素质提升，结合我镇实际开展活动。" * 14
            + "三、活动主题节约能源、保护环境四、具体安排1、科普讲座。责任单位：镇科协2、科普展览。责任单位：镇文化站")
    doc = Doc(text)
    split_run_ons(doc)
    heads = [doc.norm[a:b][:6] for a, b in doc.lines]
    assert heads == ["甲镇科普日活", "二、活动宗旨", "三、活动主题", "四、具体安排", "1、科普讲座", "2、科普展览"]
    assert _pairs(parse_text(text)) == [("科普讲座", [("镇科协", "joint")]), ("科普展览", [("镇文化站", "joint")])]


def test_a_number_out_of_sequence_opens_nothing():
    # 3、 with no 4、 5、 after it is a number in a sentence, not the start of a list
    text = "甲镇科普日活动" + "围绕科学素质提升，结合我镇实际开展活动。" * 14 + "全年开展3、5场讲座。责任单位：镇科协"
    doc = Doc(text)
    split_run_ons(doc)
    assert len(doc.lines) == 1


def test_an_annotation_after_the_last_sub_item_closes_its_parent_as_on_its_own_line():
    # (责任单位:…) after (1) (2) stood below them, for 1. as a whole; 2. has no sub-items
    # and its own annotation stays its own (1. is taken already, it does not pull in 一、)
    text = (_PREAMBLE + "一、总体任务1.完善甲体系(1)加强甲管理，规范甲工作。(2)推进甲建设，提高甲水平。"
            "(责任单位：市甲局、市乙局)2.健全乙机制，落实乙责任。(责任单位：市丙局)")
    plan = parse_text(text)
    assert [(m.text[:6], m.path, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        ("1.完善甲体", ["一、总体任务"], [("市甲局", "joint"), ("市乙局", "joint")]),
        ("2.健全乙机", ["一、总体任务"], [("市丙局", "joint")])]


def test_a_heading_closed_by_its_units_gives_them_to_the_items_under_it():
    # 一、…(区乙局牵头) was a heading line; its body and sub-items ran on after it
    text = (_PREAMBLE + "一、强化甲领域建设(区乙局牵头)以甲工程为牵引，推进甲链融合。"
            "(一)加强甲平台建设。加快建设甲研究院。(二)完善甲人才政策。落实甲人才补贴。二、保障措施")
    assert [(m.text[:6], [(u.name, u.role) for u in m.units]) for m in parse_text(text).measures] == [
        ("(一)加强甲", [("区乙局", "lead")]), ("(二)完善甲", [("区乙局", "lead")])]


def test_indentation_left_in_a_page_without_line_breaks_opens_its_paragraphs():
    # each paragraph kept its two-space indent; a unit's name before its duties is a cell, not a line
    text = ("  一、工作分工  甲办公室  负责组织协调全市科普活动；统筹科普资源。  乙科  负责编制年度计划。"
            "  二、重点任务  --开展科普进社区活动。  (责任部门:市丙局、市丁局)  --建设科普示范基地。"
            "  (责任部门:市戊局)")
    doc = Doc(text)
    assert ["".join(doc.norm[a:b].split())[:6] for a, b in doc.lines] == [
        "一、工作分工", "甲办公室负责", "乙科负责编制", "二、重点任务", "--开展科普", "(责任部门:", "--建设科普", "(责任部门:"]
    assert _pairs(parse_text(text))[-2:] == [("开展科普进社区活动", [("市丙局", "joint"), ("市丁局", "joint")]),
                                             ("建设科普示范基地", [("市戊局", "joint")])]


def test_a_list_of_one_item_closed_by_its_fields_is_cut_from_the_preamble():
    # no 2. follows: the 1. after a full stop opens an item because a label closes it
    text = (_PREAMBLE + "现将任务分解如下。1.推进甲中心建设，打造乙品牌。责任领导:张三丰"
            "牵头科室(单位):规划科、甲中心基建办完成时限:2026年12月")
    assert _pairs(parse_text(text)) == [("推进甲中心建设，打造乙品牌", [("规划科", "lead"), ("甲中心基建办", "lead")])]
    # a 1. with no label after it stays inside its sentence
    assert parse_text(_PREAMBLE + "其中:1.甲事已完成。").measures == []


def test_a_table_one_cell_per_line_glued_into_one_line_reads_as_with_its_breaks():
    # header names glued after 序号, rows by their numbers in sequence (a section row between),
    # cells by content: the task's sentence, a date, the lead's name glued to the support list
    cells = ["序号", "重点任务", "完成时限", "牵头单位", "配合单位", "一、甲类任务", "1", "建设甲中心，年内投用。", "12月底前",
             "市甲局", "市乙局、市丙局", "2", "开展乙项培训不少于100场。", "2026年6月", "市丁局", "市戊局",
             "二、乙类任务", "3", "推进丙工程。", "市己局", "各区人民政府"]
    glued = "附件：任务分解表" + "".join(cells)
    want = [("建设甲中心，年内投用。", [("市甲局", "lead"), ("市乙局", "support"), ("市丙局", "support")]),
            ("开展乙项培训不少于100场。", [("市丁局", "lead"), ("市戊局", "support")]),
            ("推进丙工程。", [("市己局", "lead"), ("各区人民政府", "support")])]
    with_breaks = parse_text("附件：任务分解表\n" + "\n".join(cells))
    assert [(m.text, [(u.name, u.role) for u in m.units]) for m in with_breaks.measures] == want
    plan = parse_text(glued)
    assert [(m.text, [(u.name, u.role) for u in m.units]) for m in plan.measures] == want
    assert [(m.deadline, m.path) for m in plan.measures] == [
        ("12月底前", ["一、甲类任务"]), ("2026年6月", ["一、甲类任务"]), (None, ["二、乙类任务"])]


def test_pipe_tables_run_into_one_line_keep_their_rows():
    # rows of ' | ' cells, each closed by '||' with the next row glued on
    rows = ["序号 | 工作任务 | 牵头单位 | 配合单位 ||", "1 | 推进甲事，建成甲平台。 | 市甲局 | 市乙局 ||",
            "2 | 开展乙项培训。 | 市丙局 | 市丁局、市戊局 ||"]
    want = [("推进甲事，建成甲平台", [("市甲局", "lead"), ("市乙局", "support")]),
            ("开展乙项培训", [("市丙局", "lead"), ("市丁局", "support"), ("市戊局", "support")])]
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in parse_text("\n".join(rows)).measures] == want
    plan = parse_text("附表：" + "".join(rows))
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == want
    # one cell per line, each closed by ' |', a line of pipes closing each row, all run together
    cells = ["序号 |", "工作任务 |", "牵头单位 |", "配合单位 |", "||", "1 |", "推进甲事，建成甲平台。 |", "市甲局 |", "市乙局 |",
             "|||", "2 |", "开展乙项培训。 |", "市丙局 |", "市丁局、市戊局 |", "|||"]
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in parse_text("\n".join(cells)).measures] == want
    plan = parse_text("具体如下。" + "".join(cells))
    assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == want


def test_rows_of_a_table_parted_by_spaces_are_cut_by_their_numbers_once_glued():
    rows = ["附件：任务分解表 序号 工作任务 牵头单位", "一、主要目标", "1 甲产业产值增长10%. 市甲局",
            "2 全社会研发投入增长8%. 市乙局、市丙局", "3 新建乙中心3个. 市丁局"]
    want = [("1 甲产业产值增长10%.", [("市甲局", "lead")]),
            ("2 全社会研发投入增长8%.", [("市乙局", "lead"), ("市丙局", "lead")]),
            ("3 新建乙中心3个.", [("市丁局", "lead")])]
    with_breaks = parse_text("\n".join(rows))
    assert [(m.text, [(u.name, u.role) for u in m.units]) for m in with_breaks.measures] == want
    plan = parse_text("".join(rows))
    assert [(m.text, [(u.name, u.role) for u in m.units]) for m in plan.measures] == want
    assert [m.path for m in plan.measures] == [["一、主要目标"]] * 3


def test_a_person_between_the_date_and_the_units_of_a_glued_row_is_no_part_of_a_unit():
    cells = ["序号", "工作任务", "完成时限", "责任领导", "责任科室", "1", "开展甲项服务不少于50场。", "12月底前", "张三丰",
             "文化科", "2", "组织乙项活动。", "6月底前", "李四", "宣传科"]
    want = [("开展甲项服务不少于50场。", [("文化科", "joint")]), ("组织乙项活动。", [("宣传科", "joint")])]
    for text in ("\n".join(cells), "附表" + "".join(cells)):
        assert [(m.text, [(u.name, u.role) for u in m.units]) for m in parse_text(text).measures] == want


def test_a_heading_glued_to_the_header_of_the_table_it_titles_is_cut_where_the_title_ends():
    rows = ["一、甲类整治安排表", "整治行业名称 | 时间安排 | 责任单位 |", "烟花爆竹 | 1月份 | 甲监站 乙监所 |", "电力设施 | 3月份 | 丙管所 |"]
    want = [("烟花爆竹", [("甲监站", "joint"), ("乙监所", "joint")], ["一、甲类整治安排表"]),
            ("电力设施", [("丙管所", "joint")], ["一、甲类整治安排表"])]
    for text in ("\n".join(rows), "".join(rows)):
        plan = parse_text(text)
        assert [(m.title, [(u.name, u.role) for u in m.units], m.path) for m in plan.measures] == want
