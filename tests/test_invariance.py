"""The dev corpus written another way reads the same (bench/invariance.py): the exact pair
counts of every rewrite but the PDF print (LibreOffice's line breaks vary by version)."""

import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import invariance  # noqa: E402

from kepugraph.eval import score_dir  # noqa: E402

# right pairs of 441, and excerpts with no measure found
EXPECTED = {
    "as written": (421, 3), "traditional": (421, 3), "ASCII punctuation": (421, 3),
    "full-width punctuation": (421, 3), "hard-wrapped at 76 columns": (412, 3),
    "…and page numbers (— 3 —)": (412, 3), "other role words": (421, 3), "units parted by ，": (420, 3),
    "last two joined by 和": (421, 3), "annotation on its own line": (421, 3), "units first, 1.【…】": (414, 3),
    "as .docx": (418, 3), "as .html": (421, 3),
}


@pytest.mark.parametrize("rewrite", [r for r in invariance.rewrites() if r.kind != "pdf"], ids=lambda r: r.name)
def test_a_rewrite_keeps_what_the_parser_reads(rewrite):
    with tempfile.TemporaryDirectory() as tmp:
        invariance.transformed(ROOT / "tests" / "data" / "dev", Path(tmp), rewrite)
        rows, total = score_dir(tmp)
    lost = sum(1 for r in rows if r.expected and not r.found)
    assert (total.right_pairs, lost) == EXPECTED[rewrite.name]
    assert total.gold_pairs == 441 and round(total.role_accuracy, 3) == 0.995
