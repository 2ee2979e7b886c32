"""The plan's own metadata: title, 文号, issuer, date, recipients, period, cited documents."""

from __future__ import annotations

import datetime as dt
import re

from kepugraph.extraction.units import looks_like_unit, split_spans
from kepugraph.model import PlanMeta
from kepugraph.reading.textnorm import normalize

_DOC_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,14}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号")
_CITED_BEFORE_RE = re.compile(r"》\s*\(?\s*$")
_DATE_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE_RE = re.compile(r"^\s*([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$")
_NOTICE_RE = re.compile(r"关于(?:印发|转发|下发|公布)(.+?)的通知")
_PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
_CITE_RE = re.compile(r"《((?:[^《》]|《[^《》]*》)+)》")
_ISSUER_END = re.compile(r"(政府|办公室|办公厅|委员会|局|厅|部|协会|科协|领导小组|办公室\)|小组|中心|委)$")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def cn_number(s: str) -> int | None:
    """二〇二二 → 2022, 十二 → 12; None for what is no number (十十)."""
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if not all(c in _CN_DIGITS for c in s):
        return None
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def _real_date(y: int | None, mo: int | None, da: int | None) -> bool:
    try:
        dt.date(y, mo, da)  # type: ignore[arg-type]
        return True
    except (TypeError, ValueError):
        return False


def read_meta(text: str, body_start: int) -> PlanMeta:
    """Read the metadata from the notice and the preamble.

    Args:
        text: the whole document.
        body_start: offset of the first heading of the plan's body; the notice and
            the preamble lie before it.
    """
    head = text[:body_start]
    lines = head.split("\n")
    meta = PlanMeta()
    # a 文号 in the citation of another document (《泰安市…》（泰政办字〔2022〕12号）) is never the plan's own
    m = next((m for m in _DOC_NO_RE.finditer(text[: max(body_start, 600)])
              if not _CITED_BEFORE_RE.search(normalize(text[max(0, m.start() - 4):m.start()]))), None)
    if m:
        meta.doc_number = re.sub(r"\s+", "", m.group(0))
    date_line = None
    for i, line in enumerate(lines):
        d = _DATE_RE.match(line)
        c = _CN_DATE_RE.match(line) if not d else None
        if d or c:
            y, mo, da = (int(x) for x in d.groups()) if d else (
                cn_number(c.group(1)), cn_number(c.group(2)), cn_number(c.group(3)))
            if _real_date(y, mo, da):  # 2022年2月31日 or 十十月 is no date: the line is passed over
                meta.date = f"{y:04d}-{mo:02d}-{da:02d}"
                date_line = i
                break
    if date_line is not None:
        for j in range(date_line - 1, max(-1, date_line - 4), -1):
            cand = lines[j].strip()
            if cand:
                if _ISSUER_END.search(normalize(cand)) and len(cand) <= 40:
                    meta.issuer = cand
                break
    meta.recipients = _recipients(lines)
    meta.title = _title(text, head, lines)
    p = _PERIOD_RE.search(normalize(meta.title))
    if p:
        meta.period = f"{p.group(1)}-{p.group(2)}"
    meta.cites = _cites(head, meta.title)
    return meta


def _recipients(lines: list[str]) -> list[str]:
    for line in lines[:30]:
        s = line.strip()
        n = normalize(s)
        if n.endswith(":") and 4 <= len(n) <= 200 and "。" not in n:
            body = s[:-1]
            names = [body[a:b] for a, b in split_spans(normalize(body)) if b > a]
            if names and all(looks_like_unit(x) or normalize(x).startswith("各") or "有关" in x for x in names):
                return names
    return []


def _title(text: str, head: str, lines: list[str]) -> str:
    joined = "".join(line.strip() for line in head.split("\n")[:15])
    m = _NOTICE_RE.search(joined)
    if m:
        title = m.group(1).strip("《》 ")
        inner = re.search(r"《(.+)》", title)
        return inner.group(1) if inner else title
    # no covering notice: the first lines of text that are not a 文号 or a date
    parts: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            if parts:
                break
            continue
        if _DOC_NO_RE.fullmatch(s) or _DATE_RE.match(s) or s.startswith("附件"):
            continue
        if len(s) > 60 or re.search(r"[。:：]$", normalize(s)) or "。" in s:
            break
        parts.append(s)
        if len(parts) == 2 or len(s) >= 30:
            break
    return "".join(parts)


def _cites(head: str, title: str) -> list[str]:
    """The 《…》 titles of the preamble (the paragraph just before the body), without the plan's own."""
    paragraphs = [p for p in head.split("\n") if p.strip()]
    preamble = ""
    for p in reversed(paragraphs):
        if "《" in p or len(p) > 40:
            preamble = p
            break
    own = normalize(title).replace(" ", "")
    out: list[str] = []
    for m in _CITE_RE.finditer(preamble):
        name = m.group(1).strip()
        if normalize(name).replace(" ", "") == own or name in out:
            continue
        out.append(name)
    return out
