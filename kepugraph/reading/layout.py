"""What the layout of a plan looks like: list markers and task-table column names.

Shared by the readers (.pdf line joining, .docx tables) and the parser, so that neither
imports the other.
"""

from __future__ import annotations

import re

_CN = "一二三四五六七八九十百零〇"

#: Item markers by style, matched on normalised text; nesting follows the order in
#: which a document first uses each style.
MARKERS = [
    ("chapter", re.compile(rf"第[{_CN}\d]+[章部篇节]\s*|第[{_CN}\d]+部分\s*")),
    ("cn", re.compile(rf"[{_CN}]{{1,3}}\s*[、.]\s*")),
    ("pcn", re.compile(rf"\(\s*[{_CN}]{{1,3}}\s*\)\s*")),
    ("num", re.compile(r"\d{1,3}\s*(?:、|\.(?!\d))\s*")),
    ("pnum", re.compile(r"\(\s*\d{1,3}\s*\)\s*|\d{1,3}\)\s*")),
    ("circ", re.compile(r"[①-⑳⑴-⒇]\s*")),
    ("dash", re.compile(r"(?:——|—|--)\s*")),
]

_HEADER_CLASSES = [
    ("no", re.compile(r"^序号$")),
    ("lead", re.compile(r"牵头")),
    ("person", re.compile(r"(领导|责任人|联系人|负责人)")),
    ("deadline", re.compile(r"(时限|完成时间|时间节点|进度)")),
    ("unit", re.compile(r"(单位|部门|股室|科室|处室)")),
    ("task", re.compile(r"(任务|内容|目标|事项|举措|措施|工作)")),
]


def opens_item(norm_line: str) -> bool:
    """Does a (normalised) line start with a list marker?"""
    return any(rx.match(norm_line) for _, rx in MARKERS)


def classify_header(header: str) -> str:
    """The role of a task-table column by its name: no, lead, person, deadline, unit, task, other.

    >>> classify_header("牵头单位"), classify_header("责任股室(单位)"), classify_header("重点任务")
    ('lead', 'unit', 'task')
    """
    h = "".join(header.split())
    for name, rx in _HEADER_CLASSES:
        if rx.search(h):
            return name
    return "other"
