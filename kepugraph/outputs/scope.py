"""What an answer is for: the plan (title and 文号), the plans of a workspace, or the sample.

Every output names it — the first line of a table, the first row of a CSV, a field of each
JSON row, the title rows of a workbook — so that nobody reads the bundled sample's answer
as their own plan's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kepugraph.outputs.language import current

#: How to leave the sample, said wherever the sample answers.
BUILD_HINT_ZH = "建立自己的方案：kepugraph build 文件"
BUILD_HINT_EN = "build your own: kepugraph build FILE"


@dataclass(frozen=True)
class PlanInfo:
    iri: str
    title: str
    doc_number: str = ""
    file: str = ""  # the source file it was built from, when known

    def label(self) -> str:
        """``title（文号）``, or the title alone.

        >>> PlanInfo("x", "某区科普工作实施方案", "某政办字〔2024〕3号").label()
        '某区科普工作实施方案（某政办字〔2024〕3号）'
        """
        title = self.title or self.file or self.iri.rsplit("/", 1)[-1]
        return f"{title}（{self.doc_number}）" if self.doc_number else title

    def short(self) -> str:
        """What a 方案 column shows: the 文号 when the plan has one, else the title."""
        return self.doc_number or self.title or self.file or self.iri.rsplit("/", 1)[-1]


#: How many plans a line or a cell names before it counts the rest: a unit of a national corpus
#: appears in thousands of plans, and a cell of 26,000 labels helps nobody.
LISTED = 5


def listed(labels: list[str], sep: str = "、", total: int | None = None) -> str:
    """Up to :data:`LISTED` labels, then how many more there are, in the current language.

    >>> listed(["甲", "乙"])
    '甲、乙'
    >>> listed([str(i) for i in range(1, 8)])
    '1、2、3、4、5 等 7 份方案'
    """
    total = len(labels) if total is None else total  # ``labels`` may be the first few of ``total``
    if total <= LISTED:
        return sep.join(labels[:total])
    head = sep.join(labels[:LISTED])
    return f"{head} and {total - LISTED} more plans" if current() == "en" else f"{head} 等 {total} 份方案"


@dataclass
class Scope:
    """The plans an answer covers."""

    plans: list[PlanInfo] = field(default_factory=list)
    sample: bool = False  # the bundled plan, answering because nothing has been built

    @property
    def several(self) -> bool:
        return len(self.plans) > 1

    def line(self) -> str:
        """One line naming what the answer is for, in the current language.

        >>> Scope([PlanInfo("x", "某方案", "某政办字〔2024〕3号")]).line()
        '方案：某方案（某政办字〔2024〕3号）'
        >>> Scope([PlanInfo("x", "甲方案"), PlanInfo("y", "乙方案")]).line()
        '2 份方案：甲方案；乙方案'
        """
        en = current() == "en"
        labels = [p.label() for p in self.plans]
        if self.sample:
            return f"Sample plan: {labels[0]}; {BUILD_HINT_EN}" if en else f"示例方案：{labels[0]}；{BUILD_HINT_ZH}"
        if self.several:
            return f"{len(labels)} plans: " + listed(labels, "; ") if en else f"{len(labels)} 份方案：" + listed(labels, "；")
        if not labels:
            return "No plan" if en else "没有方案"
        return f"Plan: {labels[0]}" if en else f"方案：{labels[0]}"

    def label_of(self, iri: str) -> str:
        """The 方案 column's value for a plan IRI (its 文号, else title)."""
        # asked once per unit mention: a scan of the plans each time was 82 s on 3,000 plans
        labels = self.__dict__.get("_labels")
        if labels is None or self.__dict__.get("_labels_n") != len(self.plans):
            labels = self.__dict__["_labels"] = {}
            self.__dict__["_labels_n"] = len(self.plans)
            for p in self.plans:
                labels.setdefault(p.iri, p.short())
        return labels[iri] if iri in labels else iri.rsplit("/", 1)[-1]

    def json_fields(self) -> dict:
        """The fields every JSON row of a one-plan answer carries."""
        out: dict = {"plan": self.plans[0].label()} if len(self.plans) == 1 else {}
        if self.sample:
            out["sample"] = True
        return out
