"""What one piece of an annotation names: a unit, a vague reference, or nothing (a rule,
a time, an aside). Pure functions of the piece's text, cached: a plan names the same few
dozen units over and over, and so do the plans of a corpus."""

from __future__ import annotations

import functools
import re

from kepugraph import lexicon
from kepugraph.extraction.units import clean_name, is_generic, looks_like_unit, split_etc
from kepugraph.reading.textnorm import normalize
from kepugraph.safety import opens_like_formula

_ALT = lexicon.alternation
FIRST_LEAD_RE = re.compile(
    _ALT(lexicon.FIRST_LEAD_PHRASES, capture=True) + r"的?(单位|部门|者)?(为|是)?" + _ALT(lexicon.LEAD)
)
FORWARD_RE = re.compile(r"(下同|不再(?:单独|一一|重复|另行)?(?:列出|列明|标注|做分工|分工|重复)|以下各项|以下同)")
#: What a name never is: a rule, a time, a count (不再单独列出, 年内持续推进, 杭州市2项配合工作).
_NOT_A_NAME_RE = re.compile(r"(\d|%|不再|以下|以上|落实|推进|完成|列出|持续|年内|年底|月底|长期|开展|加强|实施|做好|确保|"
                            r"按照|根据|分工|的$|前$)")
# Words that end like a unit but, alone in brackets, are an aside: 人民政府(管委会).
_BARE_WORDS = {"管委会", "办公室", "委员会", "领导小组", "人民政府", "办事处", "管理委员会", "工作组",
               "指挥部", "开发区", "示范区", "成员单位", "政府", "部门", "单位", "中心"}
_ASIDE_END_RE = re.compile(r"\(([^()]*)\)$")
_SENTENCE_MARK_RE = re.compile(r"[。!?？！]")
_HAN_RE = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def name_of(raw: str) -> tuple[str | None, bool, tuple[str, ...]]:
    """What :func:`~kepugraph.extraction.annotations.read_name` reads in a piece of text:
    the name (None: nothing, or a vague reference), whether an aside declares the first
    listed unit the lead, and the vague references the piece holds, in order."""
    name = clean_name(raw)
    if "".join(name.split()) in lexicon.PLACEHOLDERS:  # /, 无: the cell names nobody
        return None, False, ()
    if len(name) > 2 and normalize(name[0]) == "由":  # 由区科协牵头
        name = name[1:]
    first_is_lead, generic = False, []
    aside = _ASIDE_END_RE.search(normalize(name))
    if aside and (FIRST_LEAD_RE.search(aside.group(1)) or FORWARD_RE.search(aside.group(1))):
        # 市财政局（第一责任单位为牵头单位，下同）: a rule in an aside, not part of the name
        first_is_lead = bool(FIRST_LEAD_RE.search(aside.group(1)))
        name = name[:aside.start()].rstrip()
    name, etc = split_etc(name)
    if etc:
        generic.append(clean_name(etc))
    if not name:
        return None, first_is_lead, tuple(generic)
    if is_generic(name):
        generic.append(name)
        return None, first_is_lead, tuple(generic)
    return name, first_is_lead, tuple(generic)


#: A label with a role in it names no unit: 【责任单位】 read as a bracket, 实施主体 as a name
_LABEL_ONLY_RE = re.compile(_ALT(lexicon.LEVELS) + "?(?=.*(?:" + lexicon.ROLE_WORD + "|实施))"
                            + _ALT(tuple(lexicon.ROLE_WORDS) + lexicon.LABEL_VERBS) + "{1,2}" + _ALT(lexicon.LABEL_NOUNS))


@functools.lru_cache(maxsize=1 << 16)  # pure, asked of the same unit names over and over
def plausible_unit(name: str) -> bool:
    """Could ``name`` name an organisation? By its ending (局, 委员会, 人民政府 …), as a
    collective (各…), or as a short name with nothing in it a name never holds (a number,
    a rule, a time)."""
    n = normalize("".join(name.split()))
    if opens_like_formula(n):  # =1+1局: no organisation's name opens like a spreadsheet formula
        return False
    if len(n) > 30 or _SENTENCE_MARK_RE.search(n) or not _HAN_RE.search(n):
        return False
    if _LABEL_ONLY_RE.fullmatch(n.strip("()")):
        return False
    if looks_like_unit(n) or n.startswith("各"):
        return True  # 12345热线办公室, 110指挥中心: digits in a name that ends like a unit are its own
    return len(n) <= 8 and not _NOT_A_NAME_RE.search(n)


def standalone_unit(name: str) -> bool:
    """A bare-list name must look like a whole unit, not an aside like (管委会)."""
    if name.startswith("各") and len(name) >= 3:
        return True
    return len(name) >= 3 and looks_like_unit(name) and normalize(name) not in _BARE_WORDS
