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

# right pairs of 393, and excerpts with no measure found
EXPECTED = {
    "as written": (390, 0), "traditional": (390, 0), "ASCII punctuation": (390, 0),
    "full-width punctuation": (390, 0), "hard-wrapped at 76 columns": (382, 0),
    "…and page numbers (— 3 —)": (382, 0), "other role words": (390, 0), "units parted by ，": (389, 0),
    "last two joined by 和": (390, 0), "annotation on its own line": (390, 0), "units first, 1.【…】": (383, 0),
    "as .docx": (387, 0), "as .html": (390, 0),
}


@pytest.mark.parametrize("rewrite", [r for r in invariance.rewrites() if r.kind != "pdf"], ids=lambda r: r.name)
def test_a_rewrite_keeps_what_the_parser_reads(rewrite):
    with tempfile.TemporaryDirectory() as tmp:
        invariance.transformed(ROOT / "tests" / "data" / "dev", Path(tmp), rewrite)
        rows, total = score_dir(tmp)
    lost = sum(1 for r in rows if r.expected and not r.found)
    assert (total.right_pairs, lost) == EXPECTED[rewrite.name]
    assert total.gold_pairs == 393 and total.role_accuracy == 1.0
