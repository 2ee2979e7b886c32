"""The package's shape: imports run one way down the pipeline, none hide in a function,
and no module grows past what one reader takes in."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kepugraph"

#: Each room of the package and its place in the pipeline; a module may import its own
#: room and the rooms of a lower place only (store reads sparql's Result, never the reverse).
LEVELS = {
    "errors": 0, "vocab": 0, "model": 0, "safety": 0,
    "reading": 1,
    "names": 1.5,  # the unit vocabulary: above reading (textnorm), below the parser and all it feeds
    "extraction": 2,
    "rdf": 3,
    "sparql": 4,
    "store": 5,
    "analysis": 6,
    "outputs": 7,
    "api": 8, "eval": 8,
    "cli": 9,
}
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py"))


def _room(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _kepugraph_imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kepugraph"):
            parts = node.module.split(".")
            rooms = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
            for room in rooms:
                yield node, room
        elif isinstance(node, ast.ImportFrom) and node.level:
            yield node, None  # relative imports are not used: the absolute path says where


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_run_one_way(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    room = _room(path)
    for node, imported in _kepugraph_imports(tree):
        assert imported is not None, f"{path.name}:{node.lineno}: relative import"
        assert imported in LEVELS, f"{path.name}:{node.lineno}: {imported} has no place in LEVELS"
        assert imported == room or LEVELS[imported] < LEVELS[room], (
            f"{path.name}:{node.lineno}: {room} imports {imported}, which sits higher in the pipeline")


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_no_package_import_hides_in_a_function(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("kepugraph")):
                    pytest.fail(f"{path.name}:{node.lineno}: import of the package inside {fn.name}()")


def test_every_room_is_placed():
    rooms = {_room(p) for p in PACKAGE.rglob("*.py")} - {"__init__", "__main__"}
    assert rooms == set(LEVELS)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_modules_stay_small(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by topic"


def test_the_unit_vocabulary_loads_without_the_parser():
    """rdf, store, analysis and sparql read unit names from kepugraph.names: importing it (or
    any of them through it) never loads kepugraph.extraction."""
    probe = ("import sys, kepugraph.names, kepugraph.vocab; "
             "print(sorted({m.split('.')[1] for m in sys.modules if m.startswith('kepugraph.')}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "['errors', 'names', 'reading', 'safety', 'vocab']\n"


@pytest.mark.parametrize("path", [PACKAGE / "rdf", PACKAGE / "store", PACKAGE / "analysis", PACKAGE / "sparql"],
                         ids=lambda p: p.name)
def test_names_are_read_from_the_shared_vocabulary(path):
    for module in sorted(path.rglob("*.py")):
        for node, _ in _kepugraph_imports(ast.parse(module.read_text(encoding="utf-8"))):
            assert not node.module.startswith(("kepugraph.extraction.units", "kepugraph.extraction.aliases")), (
                f"{module.name}:{node.lineno}: unit names come from kepugraph.names")
