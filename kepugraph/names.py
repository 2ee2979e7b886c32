"""The unit vocabulary every layer shares: what ends like a unit name, unit kinds, level and
stem (区科学技术协会 and 区科协 are one stem), the closest names to a misspelt one, and a user's
aliases file. It sits on the bottom floor beside :mod:`kepugraph.vocab`: the graph, the store,
the analysis and the queries read names here, never from the parser
(:mod:`kepugraph.extraction`), which builds on it.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from pathlib import Path
from typing import Iterable, Sequence

from kepugraph.errors import SourceError
from kepugraph.lexicon import ROLE_WORDS, alternation
from kepugraph.reading.textnorm import compact

# Endings of unit names (on normalised, simplified text), longest first so that
# 办事处 wins over 处.
SUFFIXES = sorted(
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
_ROLE_END_RE = re.compile(alternation(ROLE_WORDS) + "$")
_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, SUFFIXES)) + r")(?:\([^()]*\))?$")


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same few hundred names over and over
def looks_like_unit(name: str) -> bool:
    """Does ``name`` end like a unit (局, 委, 中心, 人民政府(管委会) …)?

    >>> looks_like_unit("区科协"), looks_like_unit("各县(市、区)人民政府"), looks_like_unit("培训")
    (True, True, False)
    """
    n = compact(name)
    # 协办, 承办, 主办 end like 区委办 but are role words: 区教育局协办 is a unit and its role
    return bool(n) and bool(_SUFFIX_RE.search(n)) and not _ROLE_END_RE.search(n)



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


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same few hundred names over and over
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


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same few hundred names over and over
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



# --- a user's aliases ------------------------------------------------------------------------


def read_aliases(path) -> dict[str, str]:
    """A user's aliases file: CSV rows ``name,canonical`` (a header row is allowed).

    Raises:
        SourceError: the file is missing, unreadable or has a row without two names.
    """


    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(p, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(p, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    out: dict[str, str] = {}
    for n, row in enumerate(csv.reader(text.splitlines()), 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if n == 1 and [c.strip().lower() for c in row[:2]] in (["name", "canonical"], ["名称", "规范名称"]):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise SourceError(p, f"line {n}: expected 'name,canonical'")
        out[row[0].strip()] = row[1].strip()
    return _resolved(p, out)


def _resolved(path: Path, aliases: dict[str, str]) -> dict[str, str]:
    """Chains followed to their end (甲→乙, 乙→丙: 甲→丙); a cycle is an error naming it."""
    out = {}
    for name in aliases:
        seen, target = [name], aliases[name]
        while target in aliases and target != name and target not in seen:
            seen.append(target)
            target = aliases[target]
        if target in seen or target == name:
            raise SourceError(path, f"aliases form a cycle: {' → '.join(seen + [target])}")
        out[name] = target
    return out


def canonical(name: str, aliases: dict[str, str]) -> str:
    """The name a unit is filed under: its alias, matched exactly or by compact form."""
    if not aliases:  # most builds file names as written
        return name
    if name in aliases:
        return aliases[name]
    key = compact(name)
    for alias, target in aliases.items():
        if compact(alias) == key:
            return target
    return name


def suggest_merges(names: Sequence[str]) -> list[tuple[str, str, str]]:
    """Pairs of names that probably denote the same unit, for a person to confirm.

    >>> suggest_merges(["区科协", "区科学技术协会", "区教育局", "区教育局 ", "市科协"])
    [('区科协', '区科学技术协会', '同一词干'), ('区教育局', '区教育局 ', '写法不同')]
    """
    out = []
    names = list(dict.fromkeys(names))
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if compact(a) == compact(b):
                out.append((a, b, "写法不同"))
            elif level_and_stem(a) == level_and_stem(b):
                out.append((a, b, "同一词干"))
            elif _one_apart(compact(a), compact(b)) and looks_like_unit(a) and looks_like_unit(b) \
                    and level_and_stem(a)[0] == level_and_stem(b)[0]:
                out.append((a, b, "仅差一字"))
    return out


def _one_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))
