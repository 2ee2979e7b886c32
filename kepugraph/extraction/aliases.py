"""One unit under one name across documents: a user's aliases file (区科学技术协会 → 区科协),
the name a unit is filed under, and the pairs of names a person may want to merge."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from kepugraph.errors import SourceError
from kepugraph.extraction.units import level_and_stem, looks_like_unit
from kepugraph.reading.textnorm import compact


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
