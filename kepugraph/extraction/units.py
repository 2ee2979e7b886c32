"""Unit names: splitting lists, telling units from vague references, kinds and stems.

Functions here take names as written; matching happens on :func:`textnorm.normalize`d
forms so that 區科協 and 区科协, or （ and (, count as the same spelling.
"""

from __future__ import annotations

import functools
import re

from kepugraph import lexicon
from kepugraph.names import (  # noqa: F401 — the parser's names come from the shared vocabulary
    SUFFIXES,
    closest,
    level_and_stem,
    looks_like_unit,
    resolve,
    unit_kind,
)
from kepugraph.reading.textnorm import compact, normalize

# The endings of unit names read backwards, matched at the start of the reversed text: an
# anchored test of any stretch of a compact name in time bounded by the longest ending.
_SUFFIX_REVERSED_RE = re.compile(r"(?:\)[^()]*\()?(?:" + "|".join(re.escape(x[::-1]) for x in SUFFIXES) + ")")

# Vague references that name no specific unit (the gold scheme's generic_refs).
_GENERIC_RE = re.compile("(" + lexicon.alternation(lexicon.GENERIC_WORDS) + "|^" + lexicon.alternation(lexicon.GENERIC_OPENINGS) + ")")
# A trailing quantifier: 区水务局等部门 → 区水务局 + the generic 等部门.
_ETC_RE = re.compile(r"等(?:有关|相关)?(?:部门单位|部门|单位|机构|成员单位)?$")

_OPEN, _CLOSE = "(", ")"
SEPARATORS = "、,;，；"
_SEPARATOR_RE = re.compile(f"[{SEPARATORS}]")


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def is_generic(name: str) -> bool:
    """A vague reference (有关部门, 区级相关部门, 相關市、縣政府) rather than a unit."""
    n = compact(name)
    return bool(_GENERIC_RE.search(n)) or n in {"等部门", "等部门单位", "等单位", "等"} or n in lexicon.GENERIC_NAMES


_SHORT_NAME_RE = re.compile(r"[省市区县镇乡][\u4e00-\u9fff]{2,3}")


def short_unit_name(word: str) -> bool:
    """A short name a level opens, as a cell of a unit column writes it (区城投, 区水投): a
    unit by where it stands, not by its ending.

    >>> short_unit_name("区城投"), short_unit_name("已完工"), short_unit_name("区政府民生实事项目")
    (True, False, False)
    """
    n = compact(word)
    return bool(_SHORT_NAME_RE.fullmatch(n)) and not is_generic(n) and not re.search(r"\d", n)


_ASIDE_RE = re.compile(r"[(（]([^()（）]*)[)）]$")
#: An aside naming who acts for the unit: 区教体局（区国资公司代建）.
_AGENT_RE = re.compile(lexicon.alternation(lexicon.AGENT_VERBS) + "$")


def split_aside(name: str) -> tuple[str, list[str]]:
    """A name's trailing aside read: another unit acting for it (区教体局(区国资公司代建) →
    区教体局 and 区国资公司), a note that is no name (…有限公司(开发商配建学校项目) → the
    company), or a second name of the unit, kept (未来科技城(海创园)).

    >>> split_aside("区教体局(区国资公司代建)"), split_aside("甲有限公司(开发商配建学校项目)")
    (('区教体局', ['区国资公司']), ('甲有限公司', []))
    >>> split_aside("未来科技城(海创园)")
    ('未来科技城(海创园)', [])
    """
    m = _ASIDE_RE.search(name)
    if not m or m.start() == 0:
        return name, []
    inner = compact(m.group(1))
    agent = _AGENT_RE.sub("", inner)
    if agent != inner and looks_like_unit(agent):
        return name[:m.start()].rstrip(), [agent]
    if len(inner) > 6 and not looks_like_unit(inner):
        return name[:m.start()].rstrip(), []
    return name, []


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
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
    # read from the list alone (nothing here looks past its ends): the same lists recur
    return [(start + a, start + b) for a, b in _split_list(norm[start:end])]


@functools.lru_cache(maxsize=1 << 16)
def _split_list(norm: str) -> tuple[tuple[int, int], ...]:
    """:func:`split_spans` of a whole text, offsets into it."""
    start, end = 0, len(norm)
    pieces: list[tuple[int, int]] = []
    depth, piece_start = 0, start
    if norm.find(_OPEN, start, end) < 0:  # no bracket (most lists): every separator splits
        for m in _SEPARATOR_RE.finditer(norm, start, end):
            pieces.append((piece_start, m.start()))
            piece_start = m.end()
    else:
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
    return tuple(part for a, b in merged for spaced in _spaced(norm, a, b) for part in _conjoined(norm, *spaced))


_GAP = re.compile(r"[ \t\u3000]+")


def _spaced(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    """市文旅局 市总工会: names parted by spaces alone are names of their own, where every
    part is a whole unit name (区政 府办 公室 and 市科 技局, names broken by spaces, stay one).

    >>> t = "市文旅局 市总工会  各街道"
    >>> [t[x:y] for x, y in _spaced(t, 0, len(t))]
    ['市文旅局', '市总工会', '各街道']
    >>> t = "区政 府办 公室"
    >>> [t[x:y] for x, y in _spaced(t, 0, len(t))]
    ['区政 府办 公室']
    >>> t = "市科 技局"
    >>> [t[x:y] for x, y in _spaced(t, 0, len(t))]
    ['市科 技局']
    """
    gaps = [m.span() for m in _GAP.finditer(norm, a, b)]
    if not gaps:
        return [(a, b)]
    parts, start = [], a
    for x, y in gaps:
        parts.append((start, x))
        start = y
    parts.append((start, b))
    depth_ok = all(norm.count(_OPEN, x, y) == norm.count(_CLOSE, x, y) for x, y in parts)
    # three characters at least: 市科 技局 is one name broken by a space, not two
    if depth_ok and all(len(norm[x:y]) >= 3 and (looks_like_unit(norm[x:y]) or norm[x:y].startswith("各"))
                        for x, y in parts):
        return parts
    return [(a, b)]


_CONJUNCTION = re.compile(r"以及|和|及|与|同|/")  # 市科协/市教育局: a slash between two whole names
_CONJUNCTION_START = re.compile("[以和及与同/]")
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
    if _CONJUNCTION_START.search(norm, a, b) is None:  # most names: no 和/及/与/同 at all
        return [(a, b)]
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
        # (有关部门和单位 is one vague reference: a bare 单位 is no name of its own)
        if (looks_like_unit(left) and len(core) >= 2 and core not in _BARE_BODIES and "的" not in core
                and core not in _BARE_SUFFIXES and not is_generic(left)
                and not core.startswith("所") and (looks_like_unit(core) or core.startswith("各"))):
            rest = _conjoined(norm, m.end(), b)
            return [_trim(norm, a, i)] + [_trim(norm, x, y) for x, y in rest]
    return [(a, b)]


_BARE_SUFFIXES = {"单位", "部门", "机构", "单位部门"}


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def _fragment(name: str) -> bool:
    """A piece too short and unit-less to stand alone: 各县, 哈尔滨, 相关市."""
    n = "".join(name.split())
    if looks_like_unit(n) or n in lexicon.GENERIC_NAMES:  # 各地、各单位: two vague references
        return False
    if n.startswith("各") and len(n) >= 3:  # 各区县市, 各街道: collectives
        return False
    return len(n) <= 4


_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(示范区|开发区|高新区|新区|园区|区|县|市)")
#: The bodies every place of a list has: 人民政府, 党工委和管委会.
_SHARED_BODY_RE = re.compile(r"^(党工委|党委|管委会|管理委员会|人民政府|政府)((和|及)(党工委|党委|管委会|管理委员会|人民政府|政府))?$")


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same neighbouring names over and over
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


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def unspaced(name: str) -> str:
    """A unit's name without the spaces that pad it out between characters (区 科 协, 科　协
    aligned in a table): one unit, one name. Spaces beside Latin letters or digits stay.

    >>> unspaced("区 科 协"), unspaced("市科协（ABC Lab）")
    ('区科协', '市科协（ABC Lab）')
    """
    return _PADDING.sub("", name)


_BREAK_RE = re.compile(r"\s*\n\s*")
#: A pinyin gloss a converter put after a character (區(qū)科協): no part of the name.
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def clean_name(raw: str) -> str:
    """A name as written, with line breaks and inner spaces of wrapped text and pinyin glosses
    (區(qū)科協 → 區科協) removed."""
    return _GLOSS.sub("", _BREAK_RE.sub("", raw)).strip()


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
