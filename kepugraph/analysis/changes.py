"""Dates and versions: the measures due by a date, and what changed between two versions of
a plan (a 征求意见稿 and the issued text, this year's 工作要点 and last year's)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Sequence

from kepugraph.rdf.rows import MeasureRow
from kepugraph.store.links import alignment_text, bigrams
from kepugraph.vocab import ROLE_LABELS

_DUE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:(\d{1,2})\s*月)?\s*(?:(\d{1,2})\s*[日号])?\s*(底|末|上旬|中旬|下旬|前|内|以前)?")
# 2025.6.30, 2025-06-30, 2025/6/30 (a date typed into a cell), and 6月底前 (a year known from elsewhere)
_NUMERIC_RE = re.compile(r"((?:19|20)\d{2})\s*[./\-]\s*(\d{1,2})(?:\s*[./\-]\s*(\d{1,2}))?(?!\d)")
_NO_YEAR_RE = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号])?\s*(底|末|上旬|中旬|下旬|前|内|以前)?")
#: Two measures are one, changed, at or above this similarity of their titles.
SAME_MEASURE = 0.5


def due_date(text: str, year: int | None = None) -> str | None:
    """The last day a deadline allows, as ISO: 2025年6月底前 → 2025-06-30, 2025年底 →
    2025-12-31, 2025年6月30日 and 2025.6.30 → 2025-06-30; None for 长期坚持 and other texts
    without a year. With ``year``, a text that names a month but no year (6月底前) is read
    in that year.

    >>> due_date("2025年6月底前"), due_date("2025年底前"), due_date("2024年3月上旬"), due_date("长期坚持")
    ('2025-06-30', '2025-12-31', '2024-03-10', None)
    >>> due_date("2025年6月30日"), due_date("2025.6.30"), due_date("6月底前", year=2025), due_date("6月底前")
    ('2025-06-30', '2025-06-30', '2025-06-30', None)
    """
    text = text or ""
    m = _NUMERIC_RE.search(text)
    if m and _iso(int(m.group(1)), int(m.group(2)), m.group(3), ""):
        return _iso(int(m.group(1)), int(m.group(2)), m.group(3), "")
    m = _DUE_RE.search(text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)) if m.group(2) else 12, m.group(3), m.group(4) or "")
    m = _NO_YEAR_RE.search(text) if year else None
    if m:
        return _iso(year, int(m.group(1)), m.group(2), m.group(3) or "")
    return None


def _iso(year: int, month: int, day: str | None, part: str) -> str | None:
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day:
        if not 1 <= int(day) <= last:
            return None
        return f"{year:04d}-{month:02d}-{int(day):02d}"
    return f"{year:04d}-{month:02d}-{ {'上旬': 10, '中旬': 20}.get(part, last):02d}"


@dataclass
class DeadlineRow:
    date: str | None  # ISO: the last day allowed; None when the text names no year
    deadline: str  # as written: the measure's 完成时限, or the target that carries a year
    id: str
    title: str
    units: list[tuple[str, str]] = field(default_factory=list)
    source: str = "deadline"  # or "target"


def deadlines(rows: Sequence[MeasureRow], before: str | None = None) -> list[DeadlineRow]:
    """Every measure with a deadline or a dated target, by date (undated last), then order.

    Args:
        before: keep only what is due on or before this ISO date.
    """
    out = []
    for r in rows:
        if r.deadline:
            out.append(DeadlineRow(due_date(r.deadline), r.deadline, r.id, r.title, list(r.units)))
        out += [DeadlineRow(due_date(t), t, r.id, r.title, list(r.units), "target") for t in r.targets
                if due_date(t) and not (r.deadline and due_date(r.deadline) == due_date(t))]
    if before:
        out = [d for d in out if d.date is not None and d.date <= before]
    order = {r.id: k for k, r in enumerate(rows)}
    return sorted(out, key=lambda d: (d.date is None, d.date or "", order[d.id]))


@dataclass
class ChangeRow:
    change: str  # added, removed, changed, same
    old: MeasureRow | None
    new: MeasureRow | None
    similarity: float = 0.0
    units_added: list[str] = field(default_factory=list)
    units_dropped: list[str] = field(default_factory=list)
    roles_changed: list[str] = field(default_factory=list)  # "区科协: 配合 → 牵头"


def diff(old: Sequence[MeasureRow], new: Sequence[MeasureRow], threshold: float = SAME_MEASURE) -> list[ChangeRow]:
    """Measures added, removed and changed between two versions, matched by the similarity
    of their titles (Dice on character bigrams), best pairs first, each measure once; for a
    matched pair, the units added or dropped and the roles that changed."""
    grams_old = [_bigrams(r) for r in old]
    grams_new = [_bigrams(r) for r in new]
    pairs = sorted(((_dice(a, b), i, j) for i, a in enumerate(grams_old) for j, b in enumerate(grams_new)),
                   key=lambda p: (-p[0], p[1], p[2]))
    matched_old: dict[int, tuple[int, float]] = {}
    taken_new: set[int] = set()
    for score, i, j in pairs:
        if score < threshold:
            break
        if i not in matched_old and j not in taken_new:
            matched_old[i] = (j, score)
            taken_new.add(j)
    out = []
    for i, r in enumerate(old):
        if i not in matched_old:
            out.append(ChangeRow("removed", r, None))
            continue
        j, score = matched_old[i]
        out.append(_compare(r, new[j], score))
    out += [ChangeRow("added", None, r) for j, r in enumerate(new) if j not in taken_new]
    return sorted(out, key=lambda c: (c.new.ordinal if c.new else c.old.ordinal, c.new is None))


def _compare(a: MeasureRow, b: MeasureRow, score: float) -> ChangeRow:
    ra, rb = dict(a.units), dict(b.units)
    row = ChangeRow("same", a, b, round(score, 3),
                    units_added=[n for n in rb if n not in ra], units_dropped=[n for n in ra if n not in rb],
                    roles_changed=[f"{n}: {ROLE_LABELS[ra[n]]} → {ROLE_LABELS[rb[n]]}" for n in rb
                                   if n in ra and ra[n] != rb[n]])
    if row.units_added or row.units_dropped or row.roles_changed or a.title != b.title:
        row.change = "changed"
    return row


def _bigrams(row: MeasureRow) -> set[str]:
    return bigrams(alignment_text(row.title, ""))


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0
