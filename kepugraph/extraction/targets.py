"""Quantitative targets in measure text: 每年培训科技辅导员不少于50人次, 比例不低于18%."""

from __future__ import annotations

import re
from bisect import bisect_right

from kepugraph.extraction.quickre import prefiltered
from kepugraph.model import Target
from kepugraph.reading.textnorm import normalize

_UNITS = (
    "万人次|人次|万人|万户|万元|亿元|万亩|万吨|万平方米|平方米|平方公里|公里|千米|个百分点|%|个|人|家|场|所|处|项|名|"
    "次|元|亩|吨|天|小时|台|套|部|期|座|间|户|条|篇|支|批|件|本|册|张|种|类|校|村|镇|课时|学时|门|节"
)
_COMPARATORS = {
    "不少于": ">=", "不低于": ">=", "达到": ">=", "超过": ">", "突破": ">", "力争达到": ">=",
    "提高到": ">=", "提升到": ">=", "不超过": "<=", "不高于": "<=", "控制在": "<=", "低于": "<",
    "增长": "+", "增加": "+", "提高": "+", "下降": "-", "降低": "-", "减少": "-",
}
_TARGET_RE = re.compile(
    r"(?P<cmp>" + "|".join(sorted(map(re.escape, _COMPARATORS), key=len, reverse=True)) + r")?"
    r"(?P<value>(?<![\d.第])\d+(?:\.\d+)?)\s*(?P<mult>万|亿)?(?P<unit>" + _UNITS + r")"
    r"(?P<post>以上|以下|以内|左右|及以上)?"
)
_PERIOD_RE = re.compile(r"(每年|每季度|每月|每周|年均|每届|全年|到\d{4}年底?|\d{4}年底?前|\d{4}年)")
_TARGET_RE, _PERIOD_RE = prefiltered(_TARGET_RE), prefiltered(_PERIOD_RE)  # the same matches (see quickre)
_CLAUSE_START = re.compile(r"[,，。;；:：、\n(（]")


def find_targets(orig: str, start: int, end: int, norm_text: str | None = None) -> list[Target]:
    """Every quantitative target in ``orig[start:end]``.

    >>> [(t.subject, t.value, t.unit, t.comparator, t.period)
    ...  for t in find_targets("每年培训科技辅导员不少于50人次。", 0, 17)]
    [('培训科技辅导员', 50.0, '人次', '>=', '每年')]
    """
    # norm_text: normalize(orig), when the caller has it already
    norm = norm_text[start:end] if norm_text is not None else normalize(orig[start:end])
    out: list[Target] = []
    breaks: list[int] | None = None
    for m in _TARGET_RE.finditer(norm):
        if m.group("unit") in ("个", "名", "次", "批", "期", "届") and norm[max(0, m.start("value") - 1)] == "第":
            continue
        value = float(m.group("value")) * {"万": 1e4, "亿": 1e8}.get(m.group("mult") or "", 1)
        unit = m.group("unit")
        if m.group("mult") and unit in ("人", "元", "亩", "吨"):
            unit = m.group("mult") + unit
            value = float(m.group("value"))
        cmp = _COMPARATORS.get(m.group("cmp") or "", "=")
        post = m.group("post")
        if post in ("以上", "及以上"):
            cmp = ">="
        elif post in ("以下", "以内"):
            cmp = "<="
        elif post == "左右":
            cmp = "~"
        if breaks is None:  # where clauses end, found once per text
            breaks = [c.end() for c in _CLAUSE_START.finditer(norm)]
        k = bisect_right(breaks, m.start())
        clause_start = breaks[k - 1] if k else 0
        clause = norm[clause_start:m.start()]
        period = None
        p = _PERIOD_RE.search(clause)
        if p:
            period = p.group(1)
            y = re.search(r"\d{4}", period)
            period = y.group(0) if y else period
        subject = orig[start + clause_start:start + m.start()]
        if p:
            subject = subject.replace(orig[start + clause_start + p.start():start + clause_start + p.end()], "", 1)
        subject = subject.strip()
        if m.group("cmp") and subject.endswith(orig[start + m.start():start + m.start() + len(m.group("cmp"))]):
            subject = subject[: -len(m.group("cmp"))]
        text_start = start + clause_start
        out.append(Target(
            text=orig[text_start:start + m.end()].strip(), value=value, unit=unit, comparator=cmp,
            period=period, span=(text_start, start + m.end()), subject=subject.rstrip("的"),
        ))
    return out
