"""The parsed plan as plain dataclasses: what the parser read, before any RDF."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PlanMeta:
    """What the document says about itself."""

    title: str = ""
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    recipients: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    period: str | None = None  # "2021-2025"
    notice: str | None = None  # the covering notice's title: …关于印发…的通知


@dataclass
class Section:
    """One heading of the plan's heading tree."""

    id: str  # "s3-1-1": ordinals down the tree
    label: str  # the marker as written: "三、", "（一）", "1."
    title: str  # the heading text without its marker, up to the first 。
    level: int  # 0 for the top level
    parent: str | None
    ordinal: int  # position among its siblings, from 1
    span: tuple[int, int]

    @property
    def heading(self) -> str:
        return f"{self.label}{self.title}"


@dataclass
class UnitRef:
    """A unit named on a measure, with its role."""

    name: str  # as written in the document
    role: str  # lead | support | joint
    position: int  # order within the measure's annotation, from 1


@dataclass
class Target:
    """A quantitative commitment: 每年培训科技辅导员不少于50人次."""

    text: str
    value: float
    unit: str
    comparator: str  # ">=", "<=", "=", "~", "+" (increase by), "-" (decrease by)
    period: str | None  # "每年", "2025"
    span: tuple[int, int]
    subject: str = ""  # what is counted: 培训科技辅导员


@dataclass
class Measure:
    """One task of the plan and the units that answer for it."""

    id: str  # "m12"
    ordinal: int
    section: str | None  # id of the innermost heading
    path: list[str]  # headings from the top, as written
    label: str  # the item marker ("——", "1.", "") as written
    title: str
    text: str
    span: tuple[int, int]
    units: list[UnitRef]
    annotation: str  # the annotation exactly as written
    generic_refs: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    deadline: str | None = None
    source: str = "annotation"  # "annotation", "field", "heading", "table" or "prose"
    line: int = 0


@dataclass
class ParseWarning:
    """Something that looked like an annotation but could not be read."""

    line: int
    column: int
    offset: int
    message: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}: {self.text}"

    def at(self, path) -> str:
        """``PATH:LINE:COLUMN: message: text``, as compilers report."""
        return f"{path}:{self.line}:{self.column}: {self.message}: {self.text}"


@dataclass
class Plan:
    """A parsed plan: metadata, heading tree, measures, targets and warnings."""

    meta: PlanMeta
    sections: list[Section]
    measures: list[Measure]
    targets: list[Target]  # targets outside any measure (the plan's goals)
    warnings: list[ParseWarning]
    text: str
    path: str = ""
    sha256: str = ""

    def units(self) -> list[str]:
        """Distinct unit names in order of first mention."""
        seen: dict[str, None] = {}
        for m in self.measures:
            for u in m.units:
                seen.setdefault(u.name, None)
        return list(seen)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of ``kepugraph extract``."""
        return {
            "plan": asdict(self.meta),
            "measures": [
                {
                    "id": m.id,
                    "path": m.path,
                    "title": m.title,
                    "text": m.text,
                    "span": list(m.span),
                    "line": m.line,
                    "units": [{"name": u.name, "role": u.role} for u in m.units],
                    "generic_refs": m.generic_refs,
                    "annotation": m.annotation,
                    "deadline": m.deadline,
                    "source": m.source,
                    "targets": [_target_json(t) for t in m.targets],
                }
                for m in self.measures
            ],
            "targets": [_target_json(t) for t in self.targets],
            "sections": [
                {"id": s.id, "heading": s.heading, "level": s.level, "parent": s.parent}
                for s in self.sections
            ],
            "warnings": [
                {"line": w.line, "column": w.column, "message": w.message, "text": w.text}
                for w in self.warnings
            ],
        }


def _target_json(t: Target) -> dict[str, Any]:
    value: float | int = int(t.value) if float(t.value).is_integer() else t.value
    return {"text": t.text, "subject": t.subject, "value": value, "unit": t.unit,
            "comparator": t.comparator, "period": t.period, "span": list(t.span)}
