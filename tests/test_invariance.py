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
    "as written": (441, 0), "traditional": (440, 0), "ASCII punctuation": (441, 0),
    "full-width punctuation": (437, 0), "hard-wrapped at 76 columns": (432, 0),
    "…and page numbers (— 3 —)": (432, 0), "other role words": (441, 0), "units parted by ，": (440, 0),
    "last two joined by 和": (441, 0), "annotation on its own line": (441, 0), "units first, 1.【…】": (434, 0),
    "as .docx": (429, 0), "as .html": (430, 0),
}


@pytest.mark.parametrize("rewrite", [r for r in invariance.rewrites() if r.kind != "pdf"], ids=lambda r: r.name)
def test_a_rewrite_keeps_what_the_parser_reads(rewrite):
    with tempfile.TemporaryDirectory() as tmp:
        invariance.transformed(ROOT / "tests" / "data" / "dev", Path(tmp), rewrite)
        rows, total = score_dir(tmp)
    lost = sum(1 for r in rows if r.expected and not r.found)
    assert (total.right_pairs, lost) == EXPECTED[rewrite.name]
    assert total.gold_pairs == 441 and round(total.role_accuracy, 3) == 1.0
