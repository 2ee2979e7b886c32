"""The link stage of a build keeps its bulk out of memory: each plan's alignment texts and the
new links' N-Quads go to unnamed temporary files. What comes back is exactly what went in,
the links are those of a build that held everything in memory, and a build broken off
while linking leaves no file behind and is relinked whole by the next build."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from kepugraph.store import links as links_module
from kepugraph.store.corpus import Corpus
from kepugraph.store.links import AlignTexts, Spill

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import write  # noqa: E402

PLAN = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号"


def test_alignment_texts_come_back_as_they_went_in():
    texts = AlignTexts()
    try:
        texts.put(PLAN, [(f"{PLAN}/measure/1", "加强科普基础设施建设"), (f"{PLAN}/measure/2", ""),
                         ("https://example.org/other/measure/3", "ABC科普2025")])
        texts.put("https://w3id.org/kepugraph/id/空", [])
        texts.put("https://w3id.org/kepugraph/id/甲", [("https://w3id.org/kepugraph/id/甲/measure/7", "甲乙")])
        assert texts[PLAN] == [(f"{PLAN}/measure/1", "加强科普基础设施建设"), (f"{PLAN}/measure/2", ""),
                               ("https://example.org/other/measure/3", "ABC科普2025")]
        assert texts["https://w3id.org/kepugraph/id/空"] == []
        assert texts["https://w3id.org/kepugraph/id/甲"] == [("https://w3id.org/kepugraph/id/甲/measure/7", "甲乙")]
        texts.put(PLAN, [(f"{PLAN}/measure/1", "新")])  # a plan parsed again: its later texts
        assert texts[PLAN] == [(f"{PLAN}/measure/1", "新")]
        assert PLAN in texts and "https://w3id.org/kepugraph/id/乙" not in texts
    finally:
        texts.close()


@pytest.mark.parametrize("size", [1, 7, 16, 1 << 20])
def test_a_spill_is_read_back_in_whole_lines(size):
    lines = [f"<a{i}> <p> \"第{i}条\" <g> .\n".encode("utf-8") for i in range(12)]
    spill = Spill()
    try:
        spill.write(b"".join(lines[:5]))
        spill.write(b"".join(lines[5:]))
        chunks = list(spill.chunks(size))
    finally:
        spill.close()
    assert b"".join(chunks) == b"".join(lines)
    assert all(c.endswith(b"\n") for c in chunks)
    if size == 1:  # smaller than any line: a line each
        assert chunks == lines
    if size == 1 << 20:
        assert len(chunks) == 1


def _open_temporary_files() -> int:
    """How many unnamed (deleted) files in the temporary folder this process holds open."""
    folder = tempfile.gettempdir()
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += os.path.dirname(target) == folder and target.endswith(" (deleted)")
    return count


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write(24, tmp_path_factory.mktemp("plans"))


@pytest.fixture(scope="module")
def cold(files, tmp_path_factory, link_quads) -> set[str]:
    """The links of a cold build, the link N-Quads loaded in one piece."""
    with Corpus(tmp_path_factory.mktemp("cold") / "store") as corpus:
        report = corpus.build(files, workers=1)
        assert (len(report.loaded), report.failed) == (24, [])
        found = link_quads(corpus)
    assert sum(1 for q in found if "#alignedWith>" in q) == 23 * 30  # every measure of the 23 plans citing one
    return found


def test_links_loaded_in_many_small_pieces_by_two_workers_are_the_same(files, cold, tmp_path, monkeypatch,
                                                                             link_quads):
    monkeypatch.setattr(links_module, "_LOAD_CHUNK", 1000)  # a few lines a bulk load
    before = _open_temporary_files()
    with Corpus(tmp_path / "store") as corpus:
        report = corpus.build(files, workers=2)
        assert (len(report.loaded), report.failed) == (24, [])
        assert corpus.links_complete()
        assert link_quads(corpus) == cold
    assert _open_temporary_files() == before


class Stop(Exception):
    pass


def _stop_at_third_group(real):
    calls = []

    def align_group(task):
        calls.append(task)
        if len(calls) == 3:
            raise Stop
        return real(task)
    return align_group


def _stop_after_first_chunk(real):
    def chunks(self, size):
        for n, chunk in enumerate(real(self, 200)):
            if n == 1:
                raise Stop
            yield chunk
    return chunks


def _stop(*args, **kwargs):
    raise Stop


@pytest.mark.parametrize("where", ["computing", "before writing", "writing"])
def test_a_build_broken_off_while_linking_leaves_no_file_and_is_relinked_next_time(files, cold, tmp_path,
                                                                                   monkeypatch, where, link_quads):
    before = _open_temporary_files()
    with Corpus(tmp_path / "store") as corpus:
        with monkeypatch.context() as m:
            if where == "computing":
                m.setattr(links_module, "align_group", _stop_at_third_group(links_module.align_group))
            elif where == "before writing":  # every link computed, none written
                m.setattr(Corpus, "link", _stop)
            else:  # some links written, the rest not
                m.setattr(links_module.Spill, "chunks", _stop_after_first_chunk(links_module.Spill.chunks))
            with pytest.raises(Stop) as broken:
                corpus.build(files, workers=1)
        # closed by the build itself, not by the collector: its frames live on in the traceback
        assert broken.tb is not None and _open_temporary_files() == before
        assert not corpus.links_complete()
        assert link_quads(corpus) != cold
        again = corpus.build(files, workers=1)  # every source unchanged: only the links redone
        assert (len(again.loaded), len(again.skipped)) == (0, 24)
        assert corpus.links_complete()
        assert link_quads(corpus) == cold
