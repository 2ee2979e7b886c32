"""Score the parser against hand-made gold: ``python -m kepugraph.eval DIR``.

``DIR`` holds excerpts ``NNN.txt`` (or .docx, .html, …) each beside a gold ``NNN.json`` in the
development corpus's format (see ``tests/data/dev/README.md``). A parsed measure matches a
gold measure when its text, or the source text from where it starts, with white space and
table separators (``|``) removed, starts with the gold ``text_start``;
each gold measure matches at most one parsed measure, in document order.

The figures, per excerpt and in total:

* measures found / expected, and parsed measures that match no gold measure;
* (measure, unit) pairs: precision, recall and F1, where a pair is right when the unit's
  name is among the matched gold measure's units whatever its role;
* role accuracy: of the right pairs, the share whose role equals the gold's.

Generic references (有关部门 …) are not units and count in neither figure.

The plan's metadata is scored too, field by field (title, 文号, date, issuer), wherever the
gold has a value that is not marked as inferred (推定, 摘录); a gold date of a bare year
matches on the year. Some gold values come from the source page, not the excerpt.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kepugraph.errors import KepugraphError
from kepugraph.extraction.parser import parse_source
from kepugraph.model import Plan
from kepugraph.reading.source import read_source
from kepugraph.reading.textnorm import compact
from kepugraph.vocab import ROLES

_SPACE_RE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _text_key(text: str) -> str:
    """A measure's text for matching: no white space and no table separator (a row's
    measure joins its cells with none; the gold's text_start quotes the row as written)."""
    return _squash(text).replace("|", "")


@dataclass
class Score:
    """Counts for one excerpt or a whole folder; the ratios are computed from them."""

    name: str
    expected: int = 0  # gold measures
    found: int = 0  # gold measures matched by a parsed one
    extra: int = 0  # parsed measures matching no gold measure
    gold_pairs: int = 0
    predicted_pairs: int = 0
    right_pairs: int = 0
    right_roles: int = 0
    warnings: int = 0
    error: str = ""
    misses: list[str] = field(default_factory=list)
    meta: dict[str, list[int]] = field(default_factory=dict)  # field → [right, scored]

    def add(self, other: "Score") -> None:
        for name in ("expected", "found", "extra", "gold_pairs", "predicted_pairs",
                     "right_pairs", "right_roles", "warnings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, (right, scored) in other.meta.items():
            mine = self.meta.setdefault(key, [0, 0])
            mine[0] += right
            mine[1] += scored

    @property
    def precision(self) -> float:
        return self.right_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.right_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def role_accuracy(self) -> float:
        return self.right_roles / self.right_pairs if self.right_pairs else 1.0


META_FIELDS = {"title": "title", "doc_number": "文号", "date": "date", "issuer": "issuer"}


def _meta_value(plan: Plan | None, key: str) -> str | None:
    """The parser's value for a gold metadata field: the gold's title is the document's own, so a
    plan issued by a covering notice is scored by the notice's title (the plan's is kept apart)."""
    if plan is None:
        return None
    if key == "title":
        return plan.meta.notice or plan.meta.title
    return getattr(plan.meta, key)


def score_meta(plan: Plan | None, gold: dict) -> dict[str, list[int]]:
    """[right, scored] for each metadata field the gold gives."""
    out: dict[str, list[int]] = {}
    for key in META_FIELDS:
        want = gold.get(key)
        if not want or "推定" in str(want) or "摘录" in str(want):
            continue
        got = _meta_value(plan, key)
        if key == "date" and got and len(str(want)) == 4:
            got = got[:4]
        out[key] = [int(bool(got) and compact(str(got)) == compact(str(want))), 1]
    return out


def _wanted(gold_measure: dict) -> dict[str, tuple[str, str]]:
    """The gold's units of one measure → role, keyed without whitespace: a name broken by
    spaces in the text (区政 府办 公室) matches it read whole, and so does its clean form in
    ``expanded_names``. Each key gives the gold name (a name counts once, however the parser
    spelled it) and its role."""
    expanded = gold_measure.get("expanded_names") or {}
    want = {}
    for role in ROLES:
        for name in gold_measure[role]:
            want[_squash(name)] = (name, role)
            if name in expanded:
                want[_squash(expanded[name])] = (name, role)
    return want


def score_plan(name: str, plan: Plan | None, gold: dict) -> Score:
    """Compare one parsed plan (None when parsing failed) with its gold annotation."""
    score = Score(name, expected=len(gold["measures"]))
    score.meta = score_meta(plan, gold)
    golds = [(_text_key(g["text_start"]), g) for g in gold["measures"]]
    for g in gold["measures"]:
        score.gold_pairs += sum(len(g[r]) for r in ROLES)
    if plan is None:
        return score
    score.warnings = len(plan.warnings)
    next_gold = 0
    for m in plan.measures:
        score.predicted_pairs += len(m.units)
        # the measure's text, or the source as written from where the measure starts (a table
        # row's text leaves out its unit cells; a short row's text_start runs into them)
        texts = (_text_key(m.text), _text_key(plan.text[m.span[0]:m.span[0] + 200]))
        hit = next((i for i in range(next_gold, len(golds)) if any(t.startswith(golds[i][0]) for t in texts)), None)
        if hit is None:
            score.extra += 1
            continue
        next_gold = hit + 1
        score.found += 1
        want, matched = _wanted(golds[hit][1]), set()
        for u in m.units:
            name, role = want.get(_squash(u.name), (None, None))
            if name is not None and name not in matched:
                matched.add(name)
                score.right_pairs += 1
                score.right_roles += role == u.role
    return score


def score_dir(folder: str | Path) -> tuple[list[Score], Score]:
    """Score every excerpt of ``folder`` that has a gold ``.json``; returns rows and the total."""
    rows, total = [], Score("total")
    for gold_path in sorted(Path(folder).glob("*.json")):
        sources = [p for p in gold_path.parent.glob(gold_path.stem + ".*") if p.suffix != ".json"]
        if not sources:
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            plan = parse_source(read_source(sources[0]))
            error = ""
        except KepugraphError as exc:
            plan, error = None, str(exc)
        row = score_plan(gold_path.stem, plan, gold)
        row.error = error
        rows.append(row)
        total.add(row)
    return rows, total


def report(rows: list[Score], total: Score) -> str:
    """The table ``python -m kepugraph.eval`` prints."""
    head = f"{'excerpt':<10}{'measures':>10}{'extra':>7}{'pairs':>9}{'P':>7}{'R':>7}{'F1':>7}{'roles':>7}{'warn':>6}"
    lines = [head]
    for s in [*rows, total]:
        if s is total:
            lines.append("-" * len(head))
        lines.append(
            f"{s.name:<10}{f'{s.found}/{s.expected}':>10}{s.extra:>7}"
            f"{f'{s.right_pairs}/{s.gold_pairs}':>9}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
            f"{s.role_accuracy:>7.3f}{s.warnings:>6}" + (f"  {s.error}" if s.error else ""))
    none = sum(1 for s in rows if s.expected and not s.found)
    lines.append(f"annotated excerpts with no measure found: {none}")
    lines.append("metadata: " + ", ".join(f"{label} {total.meta[key][0]}/{total.meta[key][1]}"
                                          for key, label in META_FIELDS.items() if key in total.meta))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("usage: python -m kepugraph.eval DIR  (a folder of NNN.txt + NNN.json gold)", file=sys.stderr)
        return 2
    rows, total = score_dir(args[0])
    if not rows:
        print(f"Error: {args[0]}: no excerpt with a gold .json found", file=sys.stderr)
        return 1
    print(report(rows, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
