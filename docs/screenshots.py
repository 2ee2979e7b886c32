"""Make the README's pictures of what an office opens, as a person would see them.

The matrix and a unit's task sheets (XLSX and DOCX) are printed to PDF by LibreOffice and
the first page rendered to PNG; the units page is opened in headless Chromium, a unit
searched and its panel shown. Run with ``make screenshots`` (needs soffice and chromium).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from click.testing import CliRunner

from kepugraph.cli import main

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
UNIT = "区科协"


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    if result.exit_code:
        sys.exit(f"kepugraph {' '.join(args)} failed: {result.output}")


def first_page_png(document: Path, target: Path, work: Path, width: int = 1600) -> None:
    """LibreOffice prints ``document`` as it would on paper; page 1 becomes ``target``."""
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
                           "--convert-to", "pdf", "--outdir", str(work / "pdf"), str(document)],
                          capture_output=True, text=True, timeout=300)
    pdf = work / "pdf" / (document.stem + ".pdf")
    if done.returncode or not pdf.exists():
        sys.exit(f"LibreOffice could not print {document}: {done.stderr.strip()}")
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=width / page.get_width()).to_pil()
    image.convert("RGB").quantize(64).save(target, optimize=True)  # a sheet needs few colours
    print(f"→ {target.relative_to(ROOT)}")


def panel_png(target: Path, work: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = work / "units.html"
    run("viz", "--graph", str(work / "graph" / "taishan-kepu-plan-2021-2025.ttl"), "-o", str(page_file))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto(page_file.as_uri())
        page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0")
        page.wait_for_timeout(3000)  # the layout settles and freezes
        page.fill("#kp-search", "教育")
        page.press("#kp-search", "Enter")
        page.wait_for_timeout(300)
        page.screenshot(path=str(target))
        browser.close()
    print(f"→ {target.relative_to(ROOT)}")


def main_() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # the files as a user's plan gives them: from its built graph (with nothing built, the
        # bundled plan would answer as the sample and say so on every sheet)
        run("build", "-o", str(work / "graph"))
        graph = str(work / "graph" / "taishan-kepu-plan-2021-2025.ttl")
        run("matrix", "--graph", graph, "-o", str(work / "matrix.xlsx"))
        run("sheets", "--graph", graph, "-o", str(work / "xlsx"))
        run("sheets", "--graph", graph, "-o", str(work / "docx"), "--format", "docx")
        first_page_png(work / "matrix.xlsx", DOCS / "matrix.png", work)
        (work / "sheet.xlsx").write_bytes((work / "xlsx" / f"{UNIT}.xlsx").read_bytes())
        (work / "sheet.docx").write_bytes((work / "docx" / f"{UNIT}.docx").read_bytes())
        first_page_png(work / "sheet.xlsx", DOCS / "sheet-xlsx.png", work)
        first_page_png(work / "sheet.docx", DOCS / "sheet-docx.png", work)
        panel_png(DOCS / "panel.png", work)


if __name__ == "__main__":
    main_()
