"""The language of what a table shows: Chinese by default, English on request.

A command's rows carry machine keys (``role``, ``risk``) and, where a value has a Chinese
label, the label beside it under the key with ``_zh`` (``role_zh``). Headers are written
in Chinese. In English, :func:`localize` puts the English header and the plain key in
their place. The language is set for a block with :func:`language` (the CLI's
``--lang``); JSON, being data, keeps its keys in every language.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, Sequence

LANGS = ("zh", "en")
_LANG: ContextVar[str] = ContextVar("kepugraph_lang", default="zh")

HEADERS_EN = {
    "单位": "unit", "类别": "kind", "任务数": "measures", "牵头": "lead", "配合": "support", "负责": "joint",
    "分担": "share", "机构类型": "body type", "单位数": "units", "章节": "section", "单位A": "unit A",
    "单位B": "unit B", "理由": "reason", "序号": "id", "角色": "role", "任务": "measure", "共担任务": "shared",
    "合作单位": "partner", "度": "degree", "加权度": "weighted degree", "中介中心性": "betweenness",
    "特征向量中心性": "eigenvector", "组": "group", "风险": "risk", "日期": "date", "完成时限": "deadline",
    "编号": "id", "标题": "title", "依据": "implements", "名称": "name", "说明": "description", "参数": "parameters",
    "变化": "change", "原序号": "old id", "新序号": "new id", "新增单位": "units added", "删去单位": "units dropped",
    "角色变化": "role changes", "行": "line", "责任单位": "units", "目标": "target", "数值": "value",
    "计量单位": "measure unit", "比较": "comparator", "期限": "period", "合作": "partner", "方案": "plan",
}

# SPARQL result variables of the named queries, as a Chinese table shows them
VARIABLES_ZH = {
    "unit": "单位", "unit1": "单位A", "unit2": "单位B", "partner": "合作单位", "shared": "共担任务",
    "measures": "任务数", "lead": "牵头", "support": "配合", "joint": "负责", "units": "单位数", "id": "序号",
    "title": "任务", "section": "章节", "role": "角色", "kind": "类别", "target": "目标", "value": "数值",
    "measure_unit": "计量单位", "comparator": "比较", "period": "期限", "owner": "责任单位", "plan": "方案",
    "deadline": "完成时限", "due": "截止日期", "status": "最新进展", "tasks": "任务数",
}
ROLE_VALUES_ZH = {"lead": "牵头", "support": "配合", "joint": "负责"}


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Show tables in ``lang`` (zh or en) inside the block."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; languages: {', '.join(LANGS)}")
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


def current() -> str:
    return _LANG.get()


def localize(rows: Sequence[dict], columns: Sequence[str],
             headers: Sequence[str] | None) -> tuple[list[str], list[str] | None]:
    """Columns and headers to show in the current language.

    >>> with language("en"):
    ...     localize([{"role": "lead", "role_zh": "牵头"}], ["role_zh"], ["角色"])
    (['role'], ['role'])
    >>> localize([{"role": "lead", "role_zh": "牵头"}], ["role_zh"], ["角色"])
    (['role_zh'], ['角色'])
    """
    if current() != "en":
        return list(columns), list(headers) if headers else None
    first = rows[0] if rows else {}
    shown = [c[:-3] if c.endswith("_zh") and (not rows or c[:-3] in first) else c for c in columns]
    return shown, [HEADERS_EN.get(h, h) for h in headers] if headers else None
