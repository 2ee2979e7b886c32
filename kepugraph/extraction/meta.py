"""The plan's own metadata: title, 文号, issuer, date, recipients, period, cited documents."""

from __future__ import annotations

import datetime as dt
import re

from kepugraph.extraction.units import looks_like_unit, split_spans
from kepugraph.model import PlanMeta
from kepugraph.reading.textnorm import compact, normalize

_DOC_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,14}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\d{1,4}\s*号")
_CITED_BEFORE_RE = re.compile(r"》\s*\(?\s*$")
# Where the plan's own 文号 stands (on normalised text): alone on its line or after a 文号 label,
# after the issuer's 文件, or glued to the end of the title (…的通知(韶府〔2019〕31號)).
_OWN_BEFORE_RE = re.compile(r"(?:^|文件|(?:发文字号|发文号|文号|字号)\s*:?|(?:的|意见|通知|方案|决定|办法|规划|要点|纲要|函)\s*\(?)\s*$")
# …号文件精神, …号要求: a 文号 a sentence cites
_CITED_AFTER_RE = re.compile(r"\s*(?:文件|精神|要求|部署|规定|有关|等|的|和|、|,|;|。)")
_DATE_RE = re.compile(r"^\s*[(（]?\s*((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|([-./])\s*(\d{1,2})\s*\4\s*(\d{1,2}))"
                      r"\s*[)）]?\s*$")
#: The fields a government site's box or a document's head gives: 发文机关：… 成文日期：… 发布日期：…
_FIELD_RE = re.compile(r"^\s*(发文机关|发布机构|发文单位|成文日期|发文日期|印发日期|发布日期|发布时间|文号|发文字号|标题|索引号|主题分类|"
                       r"公开方式|有效性|来源|生效日期)\s*[:：]\s*(.*)$")
_CN_DATE_RE = re.compile(r"^\s*([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$")
_NOTICE_RE = re.compile(r"关于(?:印发|转发|下发|公布)(.+?)的通知")
_PRINTED_RE = re.compile(r"(?:现将|现把|特将)《([^《》\n]+)》(?:\([^)\n]*\))?(?:印发|转发|下发|予以印发)")
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
    # matched on the normalised text (韶府〔2019〕31號), kept as written
    window = text[: max(body_start, 600)]
    norm = normalize(window)
    for m in _DOC_NO_RE.finditer(norm):
        number = re.sub(r"\s+", "", window[m.start():m.end()])
        # a 文号 glued to the title before it (…的意见国办发〔2013〕104号): the title's words go
        glued = re.search(r".*(?:的|意见|通知|方案|决定|办法|规划|要点)", number.split("〔")[0].split("[")[0])
        number = number[glued.end():] if glued else number
        if _own_number(norm, m.start() + (glued.end() if glued else 0), m.end()):
            meta.doc_number = number
            break
    dated = next(((i, date) for i, line in enumerate(lines) if (date := _line_date(line))), None)
    if dated is not None:
        meta.date, meta.issuer = dated[1], _issuer_above(lines, dated[0])
    else:
        meta.date, meta.issuer = _signature(text, head)
    meta.recipients = _recipients(lines)
    meta.title = _title(text, head, lines)
    meta.notice = _notice(head.split("\n"))
    if meta.notice and not _NOTICE_RE.search(normalize(meta.notice)):
        # a notice or an opinion that issues nothing else is itself the plan: its title is the plan's
        document, meta.notice = meta.notice, None
        meta.title = meta.title if compact(meta.title) == compact(document) else document
    # the formal name of the body that issues it: the 版头 (鞍山市立山区人民政府文件) or the notice's
    # own words (厦门市人民政府办公厅关于印发…), over a signature that may shorten it (立山区人民政府)
    meta.issuer = _masthead(head.split("\n")) or _issuer_of(meta.notice or meta.title) or meta.issuer
    fields = _fields(lines)
    meta.issuer = meta.issuer or fields.get("发文机关") or fields.get("发布机构") or fields.get("发文单位")
    # the day it was signed, else the day the site published it
    meta.date = meta.date or next((d for key in ("成文日期", "发文日期", "印发日期", "发布日期", "发布时间")
                                   if key in fields and (d := _day(fields[key]))), None)
    p = _PERIOD_RE.search(normalize(meta.title))
    if p:
        meta.period = f"{p.group(1)}-{p.group(2)}"
    meta.cites = _cites(head, meta.title)
    return meta


def _own_number(norm: str, start: int, end: int) -> bool:
    """Does the 文号 at norm[start:end] stand where a plan writes its own (the header, by the
    title or the issuer), not in a sentence that cites another plan (依据:鲁政办字〔2021〕5号,
    (鲁政办字〔2021〕5号文件精神))?

    >>> _own_number("鲁政办字〔2021〕5号", 0, 13), _own_number("依据:鲁政办字〔2021〕5号", 3, 16)
    (True, False)
    """
    before = norm[norm.rfind("\n", 0, start) + 1:start]
    line_end = norm.find("\n", end)
    after = norm[end:line_end if line_end >= 0 else len(norm)]
    if _CITED_BEFORE_RE.search(before) or _CITED_AFTER_RE.match(after):
        return False
    # (鲁政办字〔2021〕5号) alone under the title
    return bool(_OWN_BEFORE_RE.search(before)) or (before.strip() == "(" and after.strip().startswith(")"))


def _line_date(line: str, numerals: bool = True) -> str | None:
    """The date a line holds alone (2022年5月31日, （2022年5月31日）, with ``numerals`` also
    二〇二二年五月三十一日) as YYYY-MM-DD; None for none, or for 2022年2月31日 or 十十月.

    >>> _line_date("（2022年5月31日）"), _line_date("二〇二二年五月三十一日"), _line_date("2022年2月31日")
    ('2022-05-31', '2022-05-31', None)
    """
    d = _DATE_RE.match(line)
    c = _CN_DATE_RE.match(line) if numerals and not d else None
    if not (d or c):
        return None
    y, mo, da = (int(d[1]), int(d[2] or d[5]), int(d[3] or d[6])) if d else (
        cn_number(c.group(1)), cn_number(c.group(2)), cn_number(c.group(3)))
    return f"{y:04d}-{mo:02d}-{da:02d}" if _real_date(y, mo, da) else None


def _day(value: str) -> str | None:
    """The date a field gives (2023年05月06日, 2023-05-06 09:30)."""
    return _line_date(re.split(r"\s+\d{1,2}:\d{2}", value.strip())[0])


def _issuer_above(lines: list[str], date_line: int) -> str | None:
    """The signing body on the lines just above the date, if it reads like one."""
    for j in range(date_line - 1, max(-1, date_line - 4), -1):
        cand = lines[j].strip()
        if cand:
            return cand if _ISSUER_END.search(normalize(cand)) and len(cand) <= 40 else None
    return None


_SIGNED_RE = re.compile(r"(?:^|[^\u4e00-\u9fff])(?P<issuer>[\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府办公厅|办公厅|办公室|"
                        r"人民政府|委员会|局|厅|科协))\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")


def _signature(text: str, head: str) -> tuple[str | None, str | None]:
    """The date and signing body of a document whose head holds no date line: a signature
    block further on (the body, then 国务院办公厅 / 2018年12月7日), or run into a line
    (…常熟市人民政府办公室 2018年2月24日…)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        date = _line_date(line, numerals=False)
        issuer = _issuer_above(lines, i) if date else None
        if issuer:
            return date, issuer
    tail = "\n".join(lines[-3:])
    for part in (head, tail):
        m = _SIGNED_RE.search(normalize(part))
        if m and _real_date(int(m["y"]), int(m["m"]), int(m["d"])):
            return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}", part[m.start("issuer"):m.end("issuer")]
    return None, None


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


def _title_block(lines: list[str]) -> str:
    """The lines a document opens with before its first sentence or its recipients line
    (各县(市、区)人民政府：): where its own title stands, never a citation in a preamble."""
    block = []
    for line in lines[:15]:
        s = line.strip()
        n = normalize(s)
        if "。" in n or n.endswith(":") or len(s) > 120:
            break
        block.append(s)
    return "".join(block)


def _title(text: str, head: str, lines: list[str]) -> str:
    joined = _title_block(head.split("\n"))
    m = _NOTICE_RE.search(normalize(joined))  # 關于印發 as 关于印发: the offsets are the same
    if m:
        title = joined[m.start(1):m.end(1)].strip("《》<> ")
        inner = re.search(r"[《<](.+)[》>]", title)
        return _unwrapped(inner.group(1) if inner else title)
    # the notice's own words: 现将《徐庄镇2017年度安全生产专项整治工作计划》印发给你们
    opening = "\n".join(head.split("\n")[:12])
    m = _PRINTED_RE.search(normalize(opening))
    if m:
        return opening[m.start(1):m.end(1)]
    # no covering notice: the first lines of text that are not a 文号 or a date
    parts: list[str] = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            if parts:
                break
            continue
        if _DOC_NO_RE.fullmatch(s) or _DATE_RE.match(s) or s.startswith("附件") or _FIELD_RE.match(s):
            if parts:  # the title ends at the date or the fields under it
                break
            continue
        if "|" in s:  # a row of a sheet or a Word table: a title is a merged cell alone in its row
            cells = [c.strip() for c in s.split("|") if c.strip()]
            if len(cells) == 1 and len(cells[0]) <= 60 and not _DATE_RE.match(cells[0]):
                return cells[0]  # (the sheet's name above it is no part of the title)
            break
        if len(s) > 60 or re.search(r"[。:：]$", normalize(s)) or "。" in s:
            break
        if parts and s == parts[-1]:  # a title printed twice (a page heading and the document's)
            continue
        if parts and looks_like_unit(normalize(s)) and _dated_next(lines, i):
            break  # 平顶山市科协 / 2023年5月6日 under the title: the signature, not the title's end
        parts.append(s)
        if len(parts) == 3 or len(s) >= 30:  # a title wraps over three lines at most
            break
    return "".join(parts)


# A document's own title as a notice or an opinion that issues or sets out something
# (never one inside a 《…》 it issues: 关于印发《关于…的意见》的通知)
_DOCUMENT_RE = re.compile(r"关于[^。:;\n]+?的(?:通知|意见|决定|批复|函|通报)(?![^《\n]*》)")
_MASTHEAD_RE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff()（）]{4,40}?)\s*文件(?:\s|$)")


def _notice(lines: list[str]) -> str | None:
    """The document's own title as a notice or an opinion (国务院办公厅关于印发…的通知, wrapped over
    lines, under its issuer on a line of its own, or at the start of a page that lost its line
    breaks), joined and without the spaces of a wrap; None when it opens with none.

    >>> _notice(["平顶山市河长制办公室", "", "关于印发《平顶山市…分解方案》的通知", "各县:"])
    '平顶山市河长制办公室关于印发《平顶山市…分解方案》的通知'
    """
    block = [s.strip() for s in lines[:15]]
    for i, line in enumerate(block):
        n = normalize(line)
        at = n.find("关于")
        if not 0 <= at <= 60:
            if "。" in n or n.endswith(":") or len(line) > 160:
                return None
            continue
        # the title may wrap over the next two lines; it ends at its 的通知 (or 的意见 …)
        text = "".join(block[i:i + 3])
        m = _DOCUMENT_RE.match(normalize(text), at)
        if not m:
            return None
        start = _title_start(text, _after_number(text[:at]), at)
        above = next((s for s in reversed(block[:i]) if s), "")
        if start == at and _issuer_of(above + "关于") and not _DOC_NO_RE.search(normalize(above)):
            text, start = above + text, 0  # the issuer alone on the line above (平顶山市河长制办公室)
            m = _DOCUMENT_RE.search(normalize(text))
        return _unwrapped(text[start:m.end()])
    return None


def _title_start(text: str, start: int, at: int) -> int:
    """Where a title whose 关于 stands at ``at`` begins: at the issuer glued to it or parted by a
    space (国务院办公厅 关于…), never at other words of the line before it (签发人:赵兴书 关于…)."""
    tokens = re.split(r"\s+|[:：]", text[start:at])
    if tokens[-1]:
        return at - len(tokens[-1])
    named = len(tokens) > 1 and _issuer_of(tokens[-2] + "关于")
    return text.rindex(tokens[-2], start, at) if named else at


def _after_number(before: str) -> int:
    """Where a title starts after a 文号 glued in front of it (鞍立政发〔2023〕2号立山区人民政府关于…)."""
    found = list(_DOC_NO_RE.finditer(normalize(before)))
    return found[-1].end() if found else 0


def _unwrapped(title: str) -> str:
    """A title without the spaces a wrap or a justified line left between Han characters."""
    return re.sub(r"(?<=[\u4e00-\u9fff《》“”])\s+(?=[\u4e00-\u9fff《》“”])", "", title.strip())


def _issuer_of(notice: str | None) -> str | None:
    """The issuing body a notice's title opens with (厦门市人民政府办公厅 in 厦门市人民政府办公厅关于…)."""
    if not notice:
        return None
    before = notice[:normalize(notice).find("关于")].strip()
    return before if 2 <= len(before) <= 40 and _ISSUER_END.search(normalize(before)) else None


def _masthead(lines: list[str]) -> str | None:
    """The issuing body of a red-headed document, named on its first line (鞍山市立山区人民政府文件)."""
    first = next((s.strip() for s in lines[:5] if s.strip()), "")
    m = _MASTHEAD_RE.match(first)
    return m["issuer"] if m and _ISSUER_END.search(normalize(m["issuer"])) else None


def _dated_next(lines: list[str], i: int) -> bool:
    nxt = next((s for s in lines[i + 1:i + 4] if s.strip()), "")
    return _line_date(nxt) is not None


def _fields(lines: list[str]) -> dict[str, str]:
    """The labelled fields of a document's head (a government site's box: 发文机关：…)."""
    out: dict[str, str] = {}
    for line in lines[:40]:
        m = _FIELD_RE.match(normalize(line))
        if m and m[2].strip():
            out.setdefault(m[1], line.strip()[len(line.strip()) - len(m[2].strip()):].strip())
    return out


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
