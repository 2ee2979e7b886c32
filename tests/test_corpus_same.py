"""A corpus build writes exactly what the plain path gives: each file parsed on its own
(parse_one), every plan bulk-loaded at once (with the store's totals), the vocabulary, then
every link recomputed from the store (link(None)) — whatever the batches and the threads
of the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kepugraph.rdf.namespace import KP
from kepugraph.rdf.triples import ntriples, vocabulary_triples
from kepugraph.reading.source import BUNDLED_PLAN
from kepugraph.store.corpus import BuildReport, Corpus
from kepugraph.store.graphs import VOCABULARY
from kepugraph.store.parsed import parse_one, split_hash

DATA = Path(__file__).parent / "data"
#: the three plans of a cascade (province, city, the sample: links across them) and real
#: excerpts in other layouts: a table, own-line labels, an organiser line
DEV = ("101.txt", "115.txt", "130.txt", "162.txt")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("plans")
    for path in sorted((DATA / "corpus").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    shutil.copy(BUNDLED_PLAN, folder / "taishan.txt")
    for name in DEV:
        shutil.copy(DATA / "dev" / name, folder / f"dev-{name}")
    return sorted(folder.iterdir())


def quads(store: ox.Store) -> list[str]:
    return sorted(str(q) for q in store)


@pytest.fixture(scope="module")
def plain(sources, tmp_path_factory) -> list[str]:
    """The store as the plain path writes it."""
    with Corpus(tmp_path_factory.mktemp("plain") / "store") as corpus:
        parsed = [parse_one(str(p)) for p in sources]
        assert [p.error for p in parsed] == [""] * len(sources)
        corpus._load(parsed, BuildReport())  # one bulk load of every plan (and their totals)
        vocabulary = ntriples(vocabulary_triples(s for p in parsed for s in p.stems))
        corpus.store.bulk_load(vocabulary.encode("utf-8"), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(VOCABULARY))
        corpus.link(None)
        return quads(corpus.store)


@pytest.mark.parametrize("workers, parts", [(1, 1), (2, 1), (2, 2)],
                         ids=["one process", "two workers", "two workers, in two builds"])
def test_a_build_writes_what_the_plain_path_writes(sources, plain, tmp_path, workers, parts):
    with Corpus(tmp_path / "store") as corpus:
        half = len(sources) // parts  # two builds: the second's plans link to and from the first's
        for part in (sources[:half], sources[half:]) if parts == 2 else (sources,):
            report = corpus.build(part, workers=workers)
            assert (len(report.loaded), report.failed) == (len(part), [])
        built = quads(corpus.store)
    assert len(built) == len(plain)
    assert built == plain


def test_the_cascade_is_linked(plain):
    """The comparison above holds links: the city plan implements the province's; the sample
    cites both and is aligned with the nearer, the city's."""
    implements = [q.split()[::2][:2] for q in plain
                  if "<https://w3id.org/kepugraph#implements>" in q and "/links>" in q]
    city, province, sample = ("<https://w3id.org/kepugraph/id/泰政办字-2022-12号>",
                              "<https://w3id.org/kepugraph/id/鲁政办字-2021-150号>",
                              "<https://w3id.org/kepugraph/id/泰山政办字-2022-7号>")
    assert implements == [[sample, city], [sample, province], [city, province]]
    aligned = [q.split()[::2][:2] for q in plain if "<https://w3id.org/kepugraph#alignedWith>" in q]
    assert {(a.split("/measure/")[0] + ">", b.split("/measure/")[0] + ">") for a, b in aligned} == {
        (sample, city), (city, province)}


class Stop(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 2])
def test_a_first_build_broken_off_while_streaming_is_written_whole_by_the_next(sources, plain, tmp_path, workers):
    """The plans streamed before the break are in the store without their source hash (and no
    totals): the next build parses every source again and replaces them, as the plain path writes."""
    seen = []

    def stop_at_fourth(parsed):
        seen.append(parsed)
        if len(seen) == 4:
            raise Stop

    with Corpus(tmp_path / "store") as corpus:
        with pytest.raises(Stop):
            corpus.build(sources, workers=workers, progress=stop_at_fourth)
        # what came before the break went in, but for the hashes: nothing counts as loaded
        assert 0 < len(corpus.plans()) <= 4
        assert all("hash" not in r for r in corpus.plans())
        assert next(corpus.store.quads_for_pattern(None, ox.NamedNode(str(KP.sourceHash)), None, None), None) is None
        report = corpus.build(sources, workers=workers)
        assert (len(report.loaded), report.skipped, report.failed) == (len(sources), [], [])
        assert quads(corpus.store) == plain
        again = corpus.build(sources, workers=workers)  # every source unchanged now
        assert (len(again.loaded), len(again.skipped)) == (0, len(sources))


def test_the_source_hash_is_cut_from_a_plans_quads_exactly(sources):
    whole = parse_one(str(sources[0]))
    iri, sha = whole.iri, whole.sha256
    line = f'<{iri}> <{KP.sourceHash}> "{sha}" <{iri}> .\n'.encode("utf-8")
    assert whole.hash_quad == line and line not in whole.nquads
    assert whole.nquads.count(b"\n") == len(set(whole.nquads.splitlines()))  # every other quad, once
    text = b"<a:x> <a:p> \"x\" <a:g> .\n"
    assert split_hash(text + line + text, iri, sha) == (text + text, line)
    assert split_hash(text, iri, sha) == (text, b"") and split_hash(text + line, iri, "") == (text + line, b"")
