"""A plan kept as a task tree in code — JSON, or a JavaScript object literal
(``var plan = {title: …, children: [...]}``) — read by its structure: each node becomes an item
of the outline (一、 （一） 1. （1） by depth), its title and text a sentence, its unit fields
(``owner``, ``lead``, ``support`` …, names from the lexicon) an annotation closing it.
"""

from __future__ import annotations

import json
import re

from kepugraph.lexicon import ROLE_LABELS, TREE_CHILDREN, TREE_ROLES, TREE_TEXT, TREE_TITLE

_ASSIGNED = re.compile(r"^\s*(?:(?:var|let|const)\s+[\w$]+\s*=|export\s+default|module\.exports\s*=)\s*")
_BARE_KEY = re.compile(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:")
_MARKERS = ("{n}、", "（{n}）", "{n}.", "（{n}）")
_CN = "零一二三四五六七八九十"


def tree_text(text: str) -> str | None:
    """The outline a task tree gives, or None when ``text`` holds no task tree.

    >>> print(tree_text('{title: "科普工作", children: [{title: "建设科普馆", content: "新建2个", owner: ["市科协", "市教育局"]}]}'))
    一、科普工作
    （一）建设科普馆。新建2个（责任单位：市科协、市教育局）
    """
    stripped = text.strip()
    if not stripped.startswith(("{", "[")) and not _ASSIGNED.match(stripped):
        return None
    data = _load(_ASSIGNED.sub("", stripped).rstrip(";").strip())
    if data is None:
        return None
    lines: list[str] = []
    for node in data if isinstance(data, list) else [data]:
        _walk(node, 0, 1, lines)
    return "\n".join(lines) if lines else None


def _load(code: str):
    for attempt in (code, _BARE_KEY.sub(r'\1"\2":', code.replace("'", '"'))):
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", attempt))  # trailing commas as JS allows
        except ValueError:
            continue
    return None


def _field(node: dict, names) -> object:
    keys = {str(k).lower(): v for k, v in node.items()}
    return next((keys[n] for n in names if n in keys), None)


def _names(value) -> str:
    if isinstance(value, list):
        return "、".join(_names(v) for v in value if v)
    if isinstance(value, dict):
        return _names(_field(value, ("name", "title", "名称")) or "")
    return str(value).strip()


def _walk(node, depth: int, number: int, lines: list[str]) -> None:
    if not isinstance(node, dict):
        return
    title = _names(_field(node, TREE_TITLE) or "")
    body = _names(_field(node, TREE_TEXT) or "")
    roles = [(ROLE_LABELS[role], _names(v)) for key, v in node.items()
             if (role := TREE_ROLES.get(str(key).lower())) and _names(v)]
    n = _CN[number] if depth < 2 and number <= 10 else str(number)
    line = _MARKERS[min(depth, 3)].format(n=n) + title
    if body:
        line += ("。" if title and not title.endswith(("。", "；")) else "") + body
    if roles:
        line += "（" + "；".join(f"{label}：{names}" for label, names in roles) + "）"
    lines.append(line)
    children = _field(node, TREE_CHILDREN)
    for k, child in enumerate(children if isinstance(children, list) else [], 1):
        _walk(child, depth + 1, k, lines)
