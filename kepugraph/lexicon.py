"""The lexicon: every word the reader takes as evidence of a role, a label, a person, a
deadline or a vague reference, in one place. Words here are evidence, never gates: a table's
columns are typed by what their cells hold and items by their numbering; these words then say
which role a column, a label or a clause gives.

Every stage builds its patterns from these lists (:func:`alternation`); no other module
writes a role word into a regular expression (``tests/test_layout.py`` scans the source).
It sits on the bottom floor so that the readers, the unit vocabulary and the parser share it.

Roles:

* ``lead`` — 牵头 and its kin;
* ``support`` — 配合, 协同, 协办, 协助, 参与, 参加, 协作;
* ``carry`` — the unit that carries a task out (负责, 责任, 承办, 主办, 举办): jointly
  responsible alone, the lead beside a support column or clause (dev README: 307, 304).
"""

from __future__ import annotations

import re

#: Role words → role. Longest first where one holds another (总牵头 before 牵头).
ROLE_WORDS: dict[str, str] = {
    "总牵头": "lead", "牵头": "lead", "主责": "lead", "主要责任": "lead", "总负责": "lead",
    "协同": "support", "配合": "support", "协办": "support", "协助": "support", "协作": "support",
    "参与": "support", "参加": "support",
    "负责": "carry", "责任": "carry", "承办": "carry", "主办": "carry", "举办": "carry",
}
LEAD = tuple(w for w, r in ROLE_WORDS.items() if r == "lead")
SUPPORT = tuple(w for w, r in ROLE_WORDS.items() if r == "support")
CARRY = tuple(w for w, r in ROLE_WORDS.items() if r == "carry")
#: Words a label may hold before its noun besides role words: 牵头落实科室, 实施主体, 组织单位.
LABEL_VERBS = ("落实", "实施", "完成", "组织", "工作", "部门")
#: Nouns of units that end a label: 责任单位, 协同部门, 牵头科室, 实施主体, 部门分工.
LABEL_NOUNS = ("单位", "部门", "科室", "处室", "股室", "主体", "机构", "分工")
#: Levels a label may open with: 省牵头单位.
LEVELS = ("省", "市", "区", "县", "镇")
#: Columns and fields that hold people, never units: 责任领导, 分管副市长, 联系人.
PERSON_ENDS = ("领导", "责任人", "联系人", "负责人")
PERSON_WORDS = PERSON_ENDS + ("分管",)
#: What opens a person label before 领导: 分管县领导, 牵头领导, 责任领导, 联系领导.
PERSON_PREFIXES = ("分管", "牵头", "责任", "联系")
#: Fields of a measure that name no unit (besides deadlines and people): 地点：…, 参加人员：…
OTHER_FIELDS = ("时间", "地点", "内容", "议程", "参加人员", "工作目标", "备注", "主要内容")
#: Columns and fields that hold a deadline.
DEADLINE_WORDS = ("完成时限", "完成时间", "时间节点", "时限要求", "时间安排", "截止", "完成期限", "进度安排", "时限")
#: Words a table's column name ends with (序号, 重点工作任务, 责任股室, 完成时限 …): where the cells
#: of a header glued into one line part again. A cell of two characters stands alone only when
#: it is one of HEADER_SHORT (项目 of 项目建设规模及内容 does not); a cell is never cut before one
#: of HEADER_TAILS (项目名称, 指标要求, 目标类型).
HEADER_ENDS = LABEL_NOUNS[:-1] + PERSON_ENDS + (
    "序号", "编号", "任务", "内容", "措施", "举措", "事项", "项目", "名称", "要求", "目标", "指标", "要点", "时限", "时间",
    "期限", "年限", "备注", "说明", "类别", "类型", "情况", "来源", "进度", "投资", "计划", "数量")
HEADER_SHORT = ("序号", "编号", "备注", "指标", "类别", "说明")
HEADER_TAILS = ("名称", "要求", "类型", "类别", "情况", "进度", "数量", "内容", "时限", "期限")
#: Words a table's title ends with (…安排表, 重点工作任务分解, …清单): where a section heading glued to
#: the first name of the header under it ends.
TABLE_TITLE_ENDS = ("表", "分解", "清单", "分工", "一览", "安排")
#: Words that make a reference vague: 有关部门, 相关单位, 其他成员单位.
GENERIC_WORDS = ("有关", "相关", "其他", "其它", "其余", "涉及")
#: A rule that the first unit listed leads: 排在首位的为牵头单位, 第一责任单位为牵头单位.
FIRST_LEAD_PHRASES = ("排在首位", "排名首位", "排名第一", "排在第一位", "排在第一", "列第一位", "列在首位", "列首位",
                      "排第一位", "排第一", "位列第一", "第一个", "首位", "第一责任")
#: Verbs of a unit acting for another, in an aside after its name: 区教体局（区国资公司代建）.
AGENT_VERBS = ("代建", "代管", "代办", "承建", "实施")
#: References that name no unit however they are written: 各地、各单位.
GENERIC_NAMES = ("各地", "各地区", "各单位", "各有关方面", "各方面")
#: What a cell holds when it names nobody: /, 无, —.
PLACEHOLDERS = ("/", "／", "无", "暂无", "—", "——", "-", "--", "空", "\\")
#: A plan kept in code (JSON, a JavaScript literal): the Chinese header a table writes for an
#: English field name, so that the table reader weighs it as it weighs any header (a field not
#: listed is its own header; the cells decide what a column holds).
CODE_HEADERS = {
    "id": "序号", "no": "序号", "index": "序号", "seq": "序号", "num": "序号", "number": "序号",
    "title": "任务名称", "name": "任务名称", "task": "任务名称", "label": "任务名称", "item": "任务名称",
    "content": "任务内容", "text": "任务内容", "desc": "任务内容", "description": "任务内容",
    "detail": "任务内容", "details": "任务内容", "measure": "任务内容", "measures": "任务内容",
    "owner": "责任单位", "owners": "责任单位", "dept": "责任单位", "depts": "责任单位",
    "department": "责任单位", "departments": "责任单位", "unit": "责任单位", "units": "责任单位",
    "responsible": "责任单位", "org": "责任单位", "orgs": "责任单位",
    "lead": "牵头单位", "leader": "牵头单位", "leads": "牵头单位", "lead_unit": "牵头单位", "leadunit": "牵头单位",
    "leader_unit": "牵头单位",
    "support": "配合单位", "supports": "配合单位", "partners": "配合单位", "cooperate": "配合单位",
    "cooperation": "配合单位", "assist": "配合单位", "coop": "配合单位",
    "deadline": "完成时限", "due": "完成时限", "duedate": "完成时限", "due_date": "完成时限", "time": "完成时限",
    "target": "目标值", "remark": "备注", "remarks": "备注", "note": "备注", "notes": "备注",
}
#: What opens a vague collective: 各责任科室 (each responsible section, none named).
GENERIC_OPENINGS = ("各责任",)
#: Verbs of a clause naming who does the work: 由A牵头, A负责, A配合, A会同B.
CLAUSE_VERBS = {
    "牵头负责": "lead", "牵头抓总": "lead", "牵头": "lead",
    "配合": "support", "参与": "support", "协助": "support", "协办": "support", "参加": "support",
    "协同": "support", "协作": "support",
}
#: A unit that works with others: 市甲局会同市乙局负责 — the first leads.
WITH_WORD = "会同"
#: How a clause that carries a forward rule ends: 以下各项均需X负责落实.
RULE_ENDINGS = ("负责落实", "落实", "负责", "参与", "配合")
#: The verb of a unit that carries a task out: A负责, A、B按职责分工负责.
CARRY_VERB = "负责"
#: Verbs that say who does the work in a sentence naming the unit first: 区科协牵头实施…
PROSE_VERBS = ("牵头", CARRY_VERB)
#: Verbs after 由X that end X's name: 由X负责, 由X研究提出, 由X承办.
BY_VERBS = ("牵头负责", "牵头", "负责", "研究", "组织", "制定", "提出", "落实", "办理", "承办")
#: Verbs opening the duties of a unit-first duty list: 办公室  负责…; 市科协：组织…
DUTY_VERBS = ("负责", "组织", "协调", "牵头", "参与", "承担", "会同", "配合", "指导", "督促", "做好", "抓好", "开展",
              "制定", "研究", "统筹", "落实")
#: Verbs closing an item's last clause after its units: …，A、B负责。 / …，A牵头。 / …，A、B按职责分工落实。
CLOSING_VERBS = ("负责落实", "牵头", CARRY_VERB, "落实")
#: Words between such units and their verb that divide the work among them: A、B按职责分工负责.
DIVIDING_WORDS = ("按照职责分工", "按职责分工", "分别", "共同")
#: Words of manner between a unit and its verb: 由市科协具体负责, A切实负责.
MANNER_WORDS = ("具体", "切实", "主要", "统一")
#: Verbs a recall-net list of units ends with: 区科协、区教育局牵头 / …会同 / …按职责.
RECALL_VERBS = ("牵头", "配合", "参与", "协助", "协办", "会同", "共同", "按职责", "按照职责", "分别", "落实")


def alternation(words, capture: bool = False) -> str:
    """A regular expression matching any of ``words``, longest first.

    >>> alternation(("牵头", "总牵头", "配合"))
    '(?:总牵头|牵头|配合)'
    """
    body = "|".join(re.escape(w) for w in sorted(dict.fromkeys(words), key=len, reverse=True))
    return f"({body})" if capture else f"(?:{body})"


#: Any role word (牵头, 配合, 协办, 负责 …).
ROLE_WORD = alternation(ROLE_WORDS)
#: A role word that names a role by itself (not 负责/责任, which only carry).
ROLE_MARK = alternation(LEAD + SUPPORT)


def role_of_words(text: str) -> str | None:
    """The role the words of ``text`` give: lead before support before carry.

    >>> [role_of_words(x) for x in ("牵头落实科室", "协同责任单位", "承办单位", "实施主体")]
    ['lead', 'support', 'carry', None]
    """
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(text):
            return role
    return None


#: role_of_words runs on every label a plan holds: its patterns are built once
_ROLE_PATTERNS = tuple((role, re.compile(alternation(words)))
                       for role, words in (("lead", LEAD), ("support", SUPPORT), ("carry", CARRY)))
