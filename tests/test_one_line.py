"""Plans that lost every line break (a page pasted as one line): items are found by their
numbering sequence and labels inside the run-on line, never by newlines. Made-up text."""

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
