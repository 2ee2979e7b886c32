"""Unit names: splitting lists, telling units from vague references, kinds and stems.

Functions here take names as written; matching happens on :func:`textnorm.normalize`d
forms so that 區科協 and 区科协, or （ and (, count as the same spelling.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Sequence

from kepugraph.reading.textnorm import compact, normalize

# Endings of unit names (on normalised, simplified text), longest first so that
# 办事处 wins over 处.
_SUFFIXES = sorted(
    """
    人民政府 政府 管委会 管理委员会 委员会 办事处 办公室 办公厅 领导小组 工作组 专班 指挥部
    局 委 办 厅 部 署 会 院 校 中心 站 所 队 处 科 室 股 馆 协 联 团 社 司 行 府 组 班 台 团委
    开发区 园区 新区 高新区 示范区 试验区 街道 镇 乡 公司 集团 银行 报社 电视台 大学 学院 学校 党校
    团区委 团市委 团县委 团省委 团中央 妇联 总工会 工会 科协 残联 侨联 工商联 文联 社科联 红十字会 成员单位
    各部门 部门 单位 分局 支队 大队 中队 检察院 法院 海关 分行 支行 公安分局 派出所 供电公司 法庭
    """.split(),
    key=len,
    reverse=True,
)
_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, _SUFFIXES)) + r")(?:\([^()]*\))?$")
# The same ending read backwards, matched at the start of the reversed text: an anchored test
# of any stretch of a compact name in time bounded by the longest ending, not by the stretch.
_SUFFIX_REVERSED_RE = re.compile(r"(?:\)[^()]*\()?(?:" + "|".join(re.escape(x[::-1]) for x in _SUFFIXES) + ")")

# Vague references that name no specific unit (the gold scheme's generic_refs).
_GENERIC_RE = re.compile(r"(有关|相关|其他|其它|其余|涉及|^各责任)")
# A trailing quantifier: 区水务局等部门 → 区水务局 + the generic 等部门.
_ETC_RE = re.compile(r"等(?:部门单位|有关部门|相关部门|部门|单位|机构|成员单位)?$")

_OPEN, _CLOSE = "(", ")"
SEPARATORS = "、,;，；"


def looks_like_unit(name: str) -> bool:
    """Does ``name`` end like a unit (局, 委, 中心, 人民政府(管委会) …)?

    >>> looks_like_unit("区科协"), looks_like_unit("各县(市、区)人民政府"), looks_like_unit("培训")
    (True, True, False)
    """
    n = compact(name)
    return bool(n) and bool(_SUFFIX_RE.search(n))


def is_generic(name: str) -> bool:
    """A vague reference (有关部门, 区级相关部门, 相關市、縣政府) rather than a unit."""
    n = compact(name)
    return bool(_GENERIC_RE.search(n)) or n in {"等部门", "等部门单位", "等单位", "等"}


def split_etc(name: str) -> tuple[str, str | None]:
    """Split a trailing 等部门 / 等部门单位 off a name: ('区水务局', '等部门')."""
    n = normalize(name)
    m = _ETC_RE.search(n)
    if not m or m.start() == 0:
        return name, None
    return name[: m.start()].rstrip(), name[m.start():]


def split_spans(norm: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split a list of names into spans at separators outside brackets.

    Pieces that cannot be units on their own and are short (哈爾濱、黑河、綏芬河市政府,
    各县、区人民政府) are joined to the name that follows, so a distributive name stays
    whole.

    Args:
        norm: normalised text (see :func:`textnorm.normalize`).
        start, end: the region of ``norm`` holding the list.

    Returns:
        (start, end) offsets of each name, whitespace trimmed.
    """
    end = len(norm) if end is None else end
    pieces: list[tuple[int, int]] = []
    depth, piece_start = 0, start
    for i in range(start, end):
        ch = norm[i]
        if ch == _OPEN:
            depth += 1
        elif ch == _CLOSE and depth:
            depth -= 1
        elif depth == 0 and ch in SEPARATORS:
            pieces.append((piece_start, i))
            piece_start = i + 1
    pieces.append((piece_start, end))
    pieces = [_trim(norm, a, b) for a, b in pieces]
    pieces = [(a, b) for a, b in pieces if b > a]
    merged: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for index, (a, b) in enumerate(pieces):
        own = norm[a:b]
        if pending is not None:
            a = pending[0]
            pending = None
        if index < len(pieces) - 1 and (_fragment(own) or _shares_body(own, norm[slice(*pieces[index + 1])])):
            pending = (a, b)
            continue
        if merged and "".join(own.split()) in _BARE_SUFFIXES:  # 市直有关部门、单位: one reference
            merged[-1] = (merged[-1][0], b)
            continue
        merged.append((a, b))
    if pending is not None:
        merged.append(pending)
    return [part for a, b in merged for part in _conjoined(norm, a, b)]


_CONJUNCTION = re.compile(r"以及|和|及|与|同")
_BARE_BODIES = {"人民政府", "政府", "管委会", "党委", "党工委", "委员会", "办事处", "管理委员会"}


def _conjoined(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    """区科协和区教育局, 区教育局及各街道: two units joined by 和/及/与/以及 are two names, where
    each side is a whole unit name on its own (区教育和体育局, 区文化和旅游局 are one).

    >>> t = "区科协和区教育局及各街道"
    >>> [t[x:y] for x, y in _conjoined(t, 0, len(t))]
    ['区科协', '区教育局', '各街道']
    >>> t = "区教育和体育局"
    >>> [t[x:y] for x, y in _conjoined(t, 0, len(t))]
    ['区教育和体育局']
    >>> t = "各县(市、区)党委和人民政府"
    >>> [t[x:y] for x, y in _conjoined(t, 0, len(t))]
    ['各县(市、区)党委和人民政府']
    """
    depth = 0
    for i in range(a, b):
        ch = norm[i]
        depth += 1 if ch == _OPEN else -1 if ch == _CLOSE and depth else 0
        m = _CONJUNCTION.match(norm, i) if depth == 0 else None
        if not m or i == a:
            continue
        left, right = norm[a:i].strip(), norm[m.end():b].strip()
        core = compact(split_etc(right)[0])  # 税务总局等: the name before the 等
        # the right side is a name of its own, not a bare body that shares the left's place
        # (各县(市、区)党委和人民政府, 高新区党工委和管委会 stay one name) nor a clause
        # (成员单位及所挂靠的学会)
        if (looks_like_unit(left) and len(core) >= 2 and core not in _BARE_BODIES and "的" not in core
                and not core.startswith("所") and (looks_like_unit(core) or core.startswith("各"))):
            rest = _conjoined(norm, m.end(), b)
            return [_trim(norm, a, i)] + [_trim(norm, x, y) for x, y in rest]
    return [(a, b)]


_BARE_SUFFIXES = {"单位", "部门", "机构", "单位部门"}


def _fragment(name: str) -> bool:
    """A piece too short and unit-less to stand alone: 各县, 哈尔滨, 相关市."""
    n = "".join(name.split())
    if looks_like_unit(n):
        return False
    if n.startswith("各") and len(n) >= 3:  # 各区县市, 各街道: collectives
        return False
    return len(n) <= 4


_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(示范区|开发区|高新区|新区|园区|区|县|市)")
#: The bodies every place of a list has: 人民政府, 党工委和管委会.
_SHARED_BODY_RE = re.compile(r"^(党工委|党委|管委会|管理委员会|人民政府|政府)((和|及)(党工委|党委|管委会|管理委员会|人民政府|政府))?$")


def _shares_body(name: str, following: str) -> bool:
    """城乡一体化示范区、高新区党工委和管委会: a bare place before a place with a body — the
    body is of both places, one name."""
    n, f = "".join(name.split()), "".join(following.split())
    place = _PLACE_RE.match(f)
    whole = _PLACE_RE.match(n)
    return bool(whole and whole.end() == len(n) and place and _SHARED_BODY_RE.match(f[place.end():]))


def _trim(norm: str, a: int, b: int) -> tuple[int, int]:
    while a < b and norm[a].isspace():
        a += 1
    while b > a and (norm[b - 1].isspace() or norm[b - 1] in "。."):
        b -= 1
    return a, b


_PADDING = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000]+(?=[\u3400-\u9fff])")


def unspaced(name: str) -> str:
    """A unit's name without the spaces that pad it out between characters (区 科 协, 科　协
    aligned in a table): one unit, one name. Spaces beside Latin letters or digits stay.

    >>> unspaced("区 科 协"), unspaced("市科协（ABC Lab）")
    ('区科协', '市科协（ABC Lab）')
    """
    return _PADDING.sub("", name)


def clean_name(raw: str) -> str:
    """A name as written, with line breaks and inner spaces of wrapped text removed."""
    return re.sub(r"\s*\n\s*", "", raw).strip()


# --- kinds and stems -----------------------------------------------------------------------


_LEVEL_RE = re.compile(r"^(中国|全国|国家|省|自治区|市|州|盟|区|县|旗|镇|乡|街道)")
_PARTY_RE = re.compile(r"(^|[省市区县镇乡])委(宣传部|组织部|统战部|政法委|党校|办公室|编办|网信办|政研室|老干部局|机要局|党史研究室)|党校|纪委|监委|党工委|^中央")
_MASS_RE = re.compile(r"(科协|科学技术协会|团委|团[省市区县]委|共青团|妇联|妇女联合会|总工会|工会|残联|侨联|工商联|文联|社科联|红十字会|老科协)$")
_COLLECTIVE_RE = re.compile(r"^各|成员单位$|^全[区市县省]|各部门$")
_BRANCH_RE = re.compile(r"(分局|支队|大队|海关|税务局|气象局|供电公司|调查队|邮政|烟草|派出所|分行|支行|铁路局)$")
_INSTITUTION_RE = re.compile(r"(中心|站|所|馆|院|学校|大学|学院|研究院|报社|电视台|融媒体中心)$")
_ENTERPRISE_RE = re.compile(r"(公司|集团)$")
_GOVERNMENT_RE = re.compile(r"(政府|局|委|办|厅|部|署|管委会|办事处|委员会)$")
_KIND_RULES = [("collective", _COLLECTIVE_RE), ("party", _PARTY_RE), ("mass", _MASS_RE), ("branch", _BRANCH_RE),
               ("institution", _INSTITUTION_RE), ("enterprise", _ENTERPRISE_RE), ("government", _GOVERNMENT_RE)]


def unit_kind(name: str) -> str:
    """Classify a unit by rules on its name; one of :data:`KINDS`' keys.

    >>> [unit_kind(n) for n in ("区委宣传部", "区教育和体育局", "区科协", "区融媒体中心",
    ...                          "市生态环境局泰山分局", "各街道办事处")]
    ['party', 'government', 'mass', 'institution', 'branch', 'collective']
    """
    n = re.sub(r"\([^()]*\)$", "", compact(name))
    # first rule that matches wins: a collective before a party body, a branch (vertically
    # managed: 气象, 税务, 海关 … or 分局 of a higher level) before an institution
    return next((kind for kind, rule in _KIND_RULES if rule.search(n)), "other")


# Long forms and their usual short forms; a short and a long spelling share a stem.
ABBREVIATIONS = {
    "科学技术协会": "科协",
    "科学技术局": "科技局",
    "教育和体育局": "教体局",
    "人力资源和社会保障局": "人社局",
    "发展和改革局": "发改局",
    "发展和改革委员会": "发改委",
    "发展改革委": "发改委",
    "工业和信息化局": "工信局",
    "住房和城乡建设局": "住建局",
    "文化和旅游局": "文旅局",
    "卫生健康局": "卫健局",
    "卫生健康委员会": "卫健委",
    "应急管理局": "应急局",
    "市场监督管理局": "市场监管局",
    "自然资源局": "自然资源局",
    "农业农村局": "农业农村局",
    "生态环境局": "环保局",
    "妇女联合会": "妇联",
    "共青团委员会": "团委",
    "总工会": "总工会",
    "融媒体中心": "融媒体中心",
}


def level_and_stem(name: str) -> tuple[str, str]:
    """Split a unit name into its level prefix and its stem, long forms shortened.

    >>> level_and_stem("区科学技术协会"), level_and_stem("市科协"), level_and_stem("团区委")
    (('区', '科协'), ('市', '科协'), ('区', '团委'))
    """
    n = compact(name)
    m = re.match(r"^团([省市区县])委$", n)
    if m:
        return m.group(1), "团委"
    m = re.match(r"^([省市区县镇乡])委(?!员会)(.{2,})$", n)
    if m:  # 区委宣传部: the district committee's 宣传部
        return m.group(1), "委" + m.group(2) if m.group(2) in ("办公室",) else m.group(2)
    m = _LEVEL_RE.match(n)
    level = m.group(1) if m else ""
    stem = n[len(level):] if level and len(n) > len(level) + 1 else n
    for long, short in ABBREVIATIONS.items():
        if stem.endswith(long):
            stem = stem[: -len(long)] + short
            break
    return level, stem


def closest(name: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """The candidates nearest to ``name``: substring matches first, then by similarity."""
    key = compact(name)
    cands = list(dict.fromkeys(candidates))
    by_key = {c: compact(c) for c in cands}
    contains = [c for c in cands if key and (key in by_key[c] or by_key[c] in key)]
    contains.sort(key=lambda c: (abs(len(by_key[c]) - len(key)), c))
    scored = sorted(
        (c for c in cands if c not in contains),
        key=lambda c: -difflib.SequenceMatcher(None, key, by_key[c]).ratio(),
    )
    similar = [c for c in scored if difflib.SequenceMatcher(None, key, by_key[c]).ratio() >= 0.6]
    return (contains + similar)[:n]


def resolve(name: str, units: Sequence[str]) -> str | None:
    """Find the unit a user means: exact, then same compact form, then same stem+level."""
    if name in units:
        return name
    key = compact(name)
    for u in units:
        if compact(u) == key:
            return u
    level, stem = level_and_stem(name)
    # 教体局 (no level written) finds 区教育和体育局; 市科协 does not find 区科协
    matches = [u for u in units if level_and_stem(u)[1] == stem and (not level or level_and_stem(u)[0] == level)]
    return matches[0] if len(matches) == 1 else None


_SUB_UNIT = re.compile(r"(分局|分中心|分院|分所|支队|大队|中队|分行|支行|办公室|派出所)$")  # 3 characters at most


#: Names of places, not bodies: a part that ends so is the start of a longer name.
_PLACE_END_RE = re.compile(r"(乡|镇|村|区|县|市|省|街道|城乡)$")
#: No one unit's name is longer: a glued cell is split only into parts this long at most.
_LONGEST_PART = 48


def split_glued(name: str, known: set[str] | None = None) -> list[str]:
    """A cell that lost its line break: 文化宣传股文化馆 → 文化宣传股, 文化馆.

    A part ending in a place (住房和城乡, 高新区) or one opening with a conjunction
    (和人民政府) is part of one longer name, never a unit of its own.

    With ``known`` (the names the document writes apart elsewhere), a split is made only
    where one of the two parts is such a name: 杭州城西科创产业集聚区管委会 stays whole.

    >>> split_glued("文化宣传股文化馆"), split_glued("市生态环境局泰山分局"), split_glued("住房和城乡建设局")
    (['文化宣传股', '文化馆'], ['市生态环境局泰山分局'], ['住房和城乡建设局'])
    >>> split_glued("杭州城西科创产业集聚区管委会", known={"市科技局"})
    ['杭州城西科创产业集聚区管委会']
    """
    # Dynamic programming over start positions: the split of name[j:] is worked out once,
    # from the end back, and a part is at most _LONGEST_PART long, so a long run of 办事
    # costs n·_LONGEST_PART anchored tests, not 2ⁿ (issue #25).
    n = len(name)
    if compact(name) == name:
        rev = name[::-1]

        def unit(j: int, i: int) -> bool:  # looks_like_unit(name[j:i]), read backwards from i
            return j < i and _SUFFIX_REVERSED_RE.match(rev, n - i, n - j) is not None
    else:
        def unit(j: int, i: int) -> bool:
            return looks_like_unit(name[j:i])
    right_ok = [n - i >= 3 and unit(i, n) and not _SUB_UNIT.search(name, max(i, n - 3))
                and not name.startswith(("和", "及", "与"), i) for i in range(n + 1)]
    longest_known = max(map(len, known), default=0) if known else 0
    cut: list[int | None] = [None] * (n + 1)  # where the part starting at j ends, if name[j:] splits
    for j in range(n - 1, -1, -1):
        for i in range(j + 3, min(n - 2, j + _LONGEST_PART + 1)):
            if right_ok[i] and unit(j, i) and not unit(j, i - 1) and not _PLACE_END_RE.search(name, j, i) \
                    and (known is None or cut[i] is not None or name[j:i] in known
                         or (n - i <= longest_known and name[i:] in known)):
                cut[j] = i
                break
    parts, j = [], 0
    while cut[j] is not None:
        parts.append(name[j:cut[j]])
        j = cut[j]
    return parts + [name[j:]]
