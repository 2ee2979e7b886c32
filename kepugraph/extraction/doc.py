"""The document as the extraction stages share it: the text as written and normalised (same
length, so an offset means the same in both), its lines, and the warnings raised so far."""

from __future__ import annotations

from bisect import bisect

from kepugraph.extraction.segment import as_line_breaks
from kepugraph.model import ParseWarning
from kepugraph.reading.textnorm import normalize


class Doc:
    def __init__(self, text: str):
        self.text = text
        # a separator the document uses for its line breaks (Р, ■, ??) reads as one
        self.norm = as_line_breaks(text, normalize(text))
        self.lines: list[tuple[int, int]] = []  # the stages that split lines set it anew
        self._starts_of: list[tuple[int, int]] | None = None  # the lines _starts were read from
        self._starts: list[int] = []  # where each line starts, for line_of
        pos = 0
        for line in self.norm.split("\n"):
            self.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        self.warnings: list[ParseWarning] = []
        # line breaks a stage read as spaces (a value set out one unit a line): still counted
        self.joined: list[int] = []

    def line_of(self, offset: int) -> int:
        """The index of the line holding ``offset``."""
        lines = self.lines
        if lines is not self._starts_of or len(self._starts) != len(lines):  # lines set anew or added to
            self._starts_of, self._starts = lines, [a for a, _ in lines]
        return max(bisect(self._starts, offset) - 1, 0)

    def line_number(self, offset: int) -> int:
        """The 1-based line of ``offset`` to report, counting the breaks read as spaces."""
        return self.line_of(offset) + 1 + bisect(self.joined, offset)

    def warn(self, offset: int, message: str, end: int | None = None) -> None:
        """Report a stretch the parser could not read (once per place and message)."""
        li = self.line_of(offset)
        snippet = self.text[offset:end if end else self.lines[li][1]].replace("\n", "")[:60]
        w = ParseWarning(line=self.line_number(offset), column=offset - self.lines[li][0] + 1, offset=offset,
                         message=message, text=snippet)
        if not any(x.offset == w.offset and x.message == w.message for x in self.warnings):
            self.warnings.append(w)

    def trim_end(self, start: int, end: int) -> int:
        """``end`` moved back over trailing white space, not before ``start``."""
        while end > start and self.text[end - 1] in " \t\n\r":
            end -= 1
        return end

    def inside_brackets(self, a: int, pos: int) -> bool:
        """Is ``pos`` inside an open bracket of the stretch starting at ``a``?"""
        depth = 0
        for ch in self.norm[a:pos]:
            if ch == "(":
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
        return depth > 0
