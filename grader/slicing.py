"""Which top-level statements a function's definition needs: the slice `check()` runs.

A notebook's kernel history holds everything a student ran: the functions, but also
a training loop of a minute, plots and experiments. To grade one function within a
second, `check()` runs only the statements that define it and, transitively, the
global names its code uses: imports, other functions, constants. A training loop
runs only if it binds a name the function reads.

The analysis is static and errs on the side of running more: every import is kept,
and a function's globals are the names it reads and does not assign (nested
functions included), so only statements that bind nothing needed are left out.
"""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


# CPython 3.11 can fail (SystemError: AST constructor recursion depth mismatch, gh-106905)
# when threads build ASTs at once, as a class batch's do: the grading process parses under this.
_PARSING = threading.Lock()


def parse(source: str) -> ast.Module:
    """ast.parse, one thread at a time; once more if another thread's AST (hypothesis's, which
    takes no lock) upset CPython's shared depth counter: the source itself is fine."""
    with _PARSING:
        try:
            return ast.parse(source)
        except SystemError as error:
            if "recursion depth mismatch" not in str(error):
                raise
            return ast.parse(source)


@dataclass(frozen=True)
class Statement:
    source: int  # which of the sources it belongs to
    first_line: int
    last_line: int
    binds: frozenset[str]
    uses: frozenset[str]
    always: bool  # an import: kept whatever it binds


def statements_of(sources: list[str]) -> tuple[list[Statement], list[int]]:
    """The top-level statements of each source, and the sources that do not parse.

    Kept whatever they bind: imports, and calls into an imported library made for their
    effect (`np.seterr(over="ignore")`, `np.random.seed(0)`), which change how the
    function behaves. A statement that changes a name in place (`W[0] = 1`,
    `params.update(...)`) counts as binding it.
    """
    parsed, broken = [], []
    for index, source in enumerate(sources):
        try:
            parsed.append((index, parse(source).body))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            broken.append(index)
    imported = {name for _, body in parsed for node in body if isinstance(node, (ast.Import, ast.ImportFrom))
                for name in _binds(node)}
    statements = []
    for index, body in parsed:
        for node in body:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            library_call = _root_of_call(node) in imported
            statements.append(Statement(index, first, node.end_lineno or node.lineno,
                                        frozenset(_binds(node) | _changes(node, imported)),
                                        frozenset() if library_call else frozenset(_uses(node)),
                                        library_call or isinstance(node, (ast.Import, ast.ImportFrom))))
    return statements, broken


def needed(statements: list[Statement], names: set[str]) -> list[Statement]:
    """The statements that bind `names` or what those statements use, transitively, in order."""
    wanted, kept = set(names), set()
    changed = True
    while changed:
        changed = False
        for number, statement in enumerate(statements):
            if number in kept:
                continue
            if statement.always or "*" in statement.binds or statement.binds & wanted:
                kept.add(number)
                wanted |= statement.uses
                changed = True
    return [s for n, s in enumerate(statements) if n in kept]


def keep_lines(source: str, statements: list[Statement]) -> str:
    """`source` with every line outside `statements` blanked: line numbers stay as they were."""
    lines = source.split("\n")
    kept = {n for s in statements for n in range(s.first_line, s.last_line + 1)}
    return "\n".join(line if number in kept else "" for number, line in enumerate(lines, start=1))


def _root_of_call(node: ast.AST) -> str | None:
    """`np` for the statement `np.random.seed(0)`; None for anything but a call statement."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None
    func = node.value.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def _changes(node: ast.AST, imported: set[str]) -> set[str]:
    """Names a top-level statement changes in place: `W[0] = 1`, `cfg.lr = 2`, `params.update(d)`."""
    targets = []
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
            isinstance(node.value.func, ast.Attribute):
        targets = [node.value.func.value]
    names = set()
    for target in targets:
        while isinstance(target, (ast.Subscript, ast.Attribute)):
            target = target.value
        if isinstance(target, ast.Name) and target.id not in imported:
            names.add(target.id)
    return names


def _binds(node: ast.AST) -> set[str]:
    """Names a top-level statement binds in the module's namespace."""
    names: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            names.add("*" if alias.name == "*" else (alias.asname or alias.name.split(".")[0]))
        return names
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return {node.id}
    if isinstance(node, _SCOPES[3:]):
        return names
    for child in ast.iter_child_nodes(node):
        names |= _binds(child)
    return names


def _uses(node: ast.AST) -> set[str]:
    """Global names a statement reads: at the top level, or inside the functions it defines."""
    if isinstance(node, _SCOPES):
        inside = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        local |= {a.arg for n in ast.walk(node) if isinstance(n, ast.arguments)
                  for a in [*n.posonlyargs, *n.args, *n.kwonlyargs, n.vararg, n.kwarg] if a is not None}
        declared = {name for n in ast.walk(node) if isinstance(n, ast.Global) for name in n.names}
        return (inside - local) | declared
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Load) else set()
    names: set[str] = set()
    for child in ast.iter_child_nodes(node):
        names |= _uses(child)
    return names


def reached(sources: list[str], name: str) -> set[str]:
    """The global names that defining and calling `name` may reach: those bound by its slice."""
    statements, _ = statements_of(sources)
    return {bound for statement in needed(statements, {name}) for bound in statement.binds}
