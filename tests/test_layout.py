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
    "errors": 0, "vocab": 0, "model": 0, "safety": 0, "lexicon": 0,
    "worker": 0.5,  # a stoppable worker process: above errors, below reading and store that run in it
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
    assert done.stdout == "['errors', 'lexicon', 'names', 'reading', 'safety', 'vocab', 'worker']\n"


@pytest.mark.parametrize("path", [PACKAGE / "rdf", PACKAGE / "store", PACKAGE / "analysis", PACKAGE / "sparql"],
                         ids=lambda p: p.name)
def test_names_are_read_from_the_shared_vocabulary(path):
    for module in sorted(path.rglob("*.py")):
        for node, _ in _kepugraph_imports(ast.parse(module.read_text(encoding="utf-8"))):
            assert not node.module.startswith(("kepugraph.extraction.units", "kepugraph.extraction.aliases")), (
                f"{module.name}:{node.lineno}: unit names come from kepugraph.names")


def _role_words():
    """Every role word of the lexicon: none may stand in a pattern written elsewhere."""
    from kepugraph import lexicon

    return set(lexicon.ROLE_WORDS) | set(lexicon.CLAUSE_VERBS), None


def _constants(tree: ast.AST):
    """The string constants of a module that are not docstrings."""
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node


#: The floors that read text: every pattern they write is checked.
READERS = [p for p in MODULES if _room(p) in ("reading", "names", "extraction")]


@pytest.mark.parametrize("path", READERS, ids=[str(p.relative_to(PACKAGE)) for p in READERS])
def test_no_role_word_pattern_outside_the_lexicon(path):
    """Role words (牵头, 配合, 协办, 负责 …) live in kepugraph/lexicon.py; every stage builds its
    patterns from it, so the stages cannot drift apart (协办 a role here, part of a name there)."""
    words, _ = _role_words()
    for node in _patterns(ast.parse(path.read_text(encoding="utf-8"))):
        found = sorted(w for w in words if w in node.value)
        assert not found, f"{path.name}:{node.lineno}: role words {found} in a pattern: take them from the lexicon"


def _patterns(tree: ast.AST):
    """String constants that read as regular expressions (an alternation, a group, an escape)."""
    for node in _constants(tree):
        if any(mark in node.value for mark in ("|", "(?", "\\", "[^", ")?", "]{")):
            yield node


def test_the_lexicon_scan_sees_a_role_word_pattern():
    tree = ast.parse('"""牵头|配合 in a docstring is prose"""\nX = "(牵头|配合)"\nY = "a message: 牵头单位 (A)"\n')
    assert [n.value for n in _patterns(tree)] == ["(牵头|配合)"]
