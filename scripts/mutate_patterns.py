"""Pattern mutation check: does a test fail when a module-level regex of the package stops matching?

For every compiled pattern bound to a module-level name in ``pow_extract`` (``NAME = re.compile(...)``), the
pattern is replaced by one that never matches, and the tests that exercise its module are run; a pattern whose
replacement no test notices is a *survivor*: either it needs a test that fails without it, or it is dead weight and
goes. Prints one line per pattern and exits 1 when any pattern survives.

The replacement is done in a child process with :func:`never_matching`: it imports every module of the package,
swaps the pattern for ``re.compile(r"(?!x)x")`` wherever it is bound (its module, and every module that imported it
by name), and the child runs pytest in-process (``-x -q``, so the first failing test ends the run).

    python scripts/mutate_patterns.py                 # every pattern
    python scripts/mutate_patterns.py --module pow_extract.rules.sweep
    python scripts/mutate_patterns.py --list          # only list the patterns found
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pow_extract"
TESTS = ROOT / "tests"
NEVER = r"(?!x)x"


@dataclass(frozen=True)
class Pattern:
    module: str
    name: str
    line: int
    users: tuple[str, ...] = ()  # the modules binding this pattern: its own, and those that import it by name


def find_patterns(only: str | None = None) -> list[Pattern]:
    """Every name bound at module level in the package (``NAME = ...``, typed or not) whose value, once the module
    is imported, is a compiled pattern: ``re.compile(...)`` and patterns built by helpers such as
    ``lexicon.word_pattern(...)`` alike."""
    found: list[Pattern] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if only and module != only:
            continue
        names: list[tuple[str, int]] = []
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets = [node.target]
            names += [(t.id, node.lineno) for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        loaded = importlib.import_module(module)
        found += [Pattern(module, n, line) for n, line in names if isinstance(getattr(loaded, n, None), re.Pattern)]
    modules = {n: m for n, m in sys.modules.items() if n.startswith("pow_extract")}
    return [
        dataclasses.replace(p, users=tuple(sorted(
            n for n, m in modules.items() if any(v is getattr(modules[p.module], p.name) for v in vars(m).values())
        )))
        for p in found
    ]  # fmt: skip


def tests_for(module: str) -> list[str]:
    """The test files that import the pattern's module (by dotted name or as ``from package import module``); none
    means the whole suite runs."""
    short = module.rsplit(".", 1)[-1]
    parent = module.rsplit(".", 1)[0]
    chosen = []
    for path in sorted(TESTS.glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if module in text or re.search(rf"from {re.escape(parent)} import [^\n]*\b{short}\b", text):
            chosen.append(str(path))
    return chosen


def _import_package() -> None:
    """Import every module of the package, so that every binding of a pattern is loaded."""
    import pow_extract

    for info in pkgutil.walk_packages(pow_extract.__path__, "pow_extract."):
        if info.name.endswith("__main__"):
            continue  # running it would start the command line
        with suppress(ImportError):  # an optional extra (ray) that is not installed
            importlib.import_module(info.name)


@contextmanager
def never_matching(module: str, name: str) -> Iterator[None]:
    """Inside the block, the pattern ``module.name`` is one that never matches wherever it is bound: its module and
    every module of the package that imported it by name. Used here on the tests and by ``evals/levers.py
    --patterns`` on the eval."""
    _import_package()
    original = getattr(importlib.import_module(module), name)
    bound = [(m, a) for n, m in list(sys.modules.items()) if n.startswith("pow_extract")
             for a, v in list(vars(m).items()) if v is original]  # fmt: skip
    never = re.compile(NEVER)
    for loaded, attr in bound:
        setattr(loaded, attr, never)
    try:
        yield
    finally:
        for loaded, attr in bound:
            setattr(loaded, attr, original)


_CHILD = """
import sys
import pytest
sys.path.insert(0, {scripts!r})
from mutate_patterns import never_matching
with never_matching({module!r}, {name!r}):
    marks = "not live and not browser and not ray"
    sys.exit(pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--no-header", "-m", marks, *{tests!r}]))
"""


def run_mutant(pattern: Pattern, tests: list[str], timeout: float) -> tuple[bool, float]:
    """(killed, seconds): killed when some test failed with the pattern disabled."""
    code = _CHILD.format(scripts=str(ROOT / "scripts"), module=pattern.module, name=pattern.name, tests=tests)
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{TESTS}"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return True, time.perf_counter() - started  # a hang is noticed too
    return done.returncode not in (0, 5), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", help="only the patterns of this module (dotted name)")
    parser.add_argument("--list", action="store_true", help="list the patterns and their tests, run nothing")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant (default 300)")
    args = parser.parse_args(argv)
    patterns = find_patterns(args.module)
    if not patterns:
        print("no module-level patterns found", file=sys.stderr)
        return 2
    survivors = []
    started = time.perf_counter()
    for pattern in patterns:
        importlib.invalidate_caches()
        tests = sorted({test for user in pattern.users for test in tests_for(user)})
        where = f"{pattern.module}:{pattern.line} {pattern.name}"
        if args.list:
            print(f"{where}  <- {len(tests)} test files (used in {', '.join(pattern.users)})")
            continue
        if not tests:
            tests = [str(TESTS)]  # nothing imports it directly: the whole suite
        killed, seconds = run_mutant(pattern, tests, args.timeout)
        print(f"{'killed  ' if killed else 'SURVIVES'} {where}  ({seconds:.1f} s)", flush=True)
        if not killed:
            survivors.append(where)
    if args.list:
        return 0
    print(f"{len(patterns)} patterns, {len(survivors)} survive, {time.perf_counter() - started:.0f} s in all")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
