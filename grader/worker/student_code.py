"""The student's code in the worker: load the submission, call its functions.

`Worker.load` runs the top-level code one unit at a time (a notebook cell, a
statement of a .py), each within its CPU-time budget; `Worker.call` calls one
function on a list of arguments and reports what it returned and what it warned,
and, when asked, the arguments as they are after each call. Nothing here judges:
the grader does, from the reply (whether the arguments changed too: see grader.purity).
"""

from __future__ import annotations

import ast
import linecache
import sys
import time
import traceback
import types
import warnings

import numpy as np

from . import budget
from .tracebacks import describe_error, error_event
from .wire import arguments_digest, generator_states, materialize

MAX_LOAD_EVENTS = 50  # events of top-level code sent back (a statement that raised, a cell skipped)


class Worker:
    """The submission loaded in this process, and the two requests it answers: load and call."""

    def __init__(self, progress=lambda message: None) -> None:
        self.namespace: dict = {}
        self.filenames: set[str] = set()
        self.progress = progress  # sends a frame to the grader before each unit of top-level code
        self.future_flags = 0  # from `from __future__ import ...` statements run so far

    def load(self, request: dict) -> dict:
        """Run the submission's top-level code in a fresh module namespace, one unit at a time.

        A unit is a notebook cell, or one top-level statement of a .py (cells marked
        `split`). Each unit has `cell_seconds` of CPU time; one that runs past it is
        stopped and skipped, like one that raises. Within a notebook cell, a failing
        import does not stop the statements after it. Once `load_seconds` of CPU time
        are spent on top-level code, only definitions run; a unit stopped for its time,
        or listed in `skip` (it hung, or ran past its time, in an earlier worker) and so
        not run at all, counts its whole `cell_seconds`.
        """
        module = types.ModuleType(request["module"])
        module.__file__ = request["cells"][0]["filename"] if request["cells"] else None
        sys.modules[request["module"]] = module
        self.namespace = module.__dict__
        skip = {tuple(unit) for unit in request.get("skip", ())}
        cell_seconds, load_seconds = request.get("cell_seconds"), request.get("load_seconds")
        spent, events = 0.0, []
        for index, cell in enumerate(request["cells"]):
            filename = cell["filename"]
            self.filenames.add(filename)
            lines = cell["source"].splitlines(keepends=True)
            linecache.cache[filename] = (len(cell["source"]), None, lines, filename)
            try:
                tree = compile(cell["source"], filename, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            except BaseException as exc:  # SyntaxError, or a source too deep to parse
                events.append(self._syntax_error(exc, index))
                continue
            units = [[s] for s in tree.body] if cell.get("split") else [tree.body] if tree.body else []
            for number, statements in enumerate(units):
                unit = (index, number)
                if unit in skip:  # it ran past its time before: it counts its whole budget again
                    spent += cell_seconds or 0.0
                    continue
                if load_seconds is not None and spent >= load_seconds:
                    kept = [s for s in statements if is_definition(s)]
                    if len(kept) < len(statements) and not any(e["kind"] == "budget" for e in events):
                        events.append({"kind": "budget", "unit": list(unit), "line": statements[0].lineno})
                    statements = kept
                if not statements:
                    continue
                self.progress({"running": list(unit)})
                started = time.process_time()
                event = self._run_unit(statements, filename, not cell.get("split"), cell_seconds)
                used = time.process_time() - started
                if event is not None and event["kind"] in ("timeout", "caught"):
                    # The timer that stopped it counts CPU by the clock tick, which on a busy machine
                    # can run ahead of process_time: a unit stopped for its time costs all of it.
                    used = max(used, cell_seconds or 0.0)
                spent += used
                if event is not None:
                    events.append(event | {"unit": list(unit)})
        # A reply of bounded size, however many statements raised: the first ones are what a student reads.
        return {"events": events[:MAX_LOAD_EVENTS], "more_events": max(len(events) - MAX_LOAD_EVENTS, 0)}

    def _run_unit(self, statements: list, filename: str, in_notebook: bool, seconds: float | None):
        """Run statements in order; what went wrong as an event, else None.

        In a notebook cell, a failing import does not stop the statements after it, and
        after any other error the cell's remaining definitions still run (so a setup cell's
        `sns.set()` failing does not lose the functions defined below it).
        """
        errors, definitions_only = [], False
        budget.arm(seconds, self.filenames)
        try:
            for statement in statements:
                if definitions_only and not is_definition(statement):
                    continue
                try:
                    code = compile(ast.Module([statement], type_ignores=[]), filename, "exec",
                                   flags=self.future_flags, dont_inherit=True)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        exec(code, self.namespace)
                    if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
                        self.future_flags |= _future_flags(statement)
                except budget.Timeout:
                    raise
                except BaseException as exc:  # SystemExit and KeyboardInterrupt too
                    if len(errors) < 3:
                        errors.append(error_event(exc, self.filenames, statement.lineno))
                    if not in_notebook:
                        break
                    if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                        definitions_only = True
            if budget.spent_where() is not None:  # the budget ran out, and the code caught the interrupt
                return {"kind": "caught", "where": budget.spent_where(), "line": statements[0].lineno}
        except budget.Timeout as timeout:
            return {"kind": "timeout", "where": timeout.where, "line": statements[0].lineno}
        finally:
            budget.disarm()
        if not errors:
            return None
        return errors[0] | {"also": errors[1:], "definitions_only": definitions_only}

    def _syntax_error(self, exc: BaseException, index: int) -> dict:
        error = {"kind": "syntax", **describe_error(exc, self.filenames), "unit": [index, None]}
        if isinstance(exc, SyntaxError):
            error["line"] = exc.lineno
            error["message"] = str(exc.msg)[:2000]  # str(exc) repeats the file and line
            error["traceback"] = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
        return error

    def call(self, request: dict) -> dict:
        """Call one function on each argument list; report result, warnings, with `inputs_after`
        the arguments as they are after each call, and with `generators` the state of each
        Generator argument after each call (reading and sending it costs more than many a call:
        only the checks of what a function draws ask for it).

        All calls together have `seconds` of CPU time; past it, the reply says where
        the student's code was.
        """
        function = self.namespace.get(request["function"])
        if not callable(function):
            return {"missing": True}
        outcomes, generators = [], {}
        budget.arm(request.get("seconds"), self.filenames)
        try:
            with RecordedWarnings() as recorded:
                for sent_args, sent_kwargs in request["calls"]:
                    if request.get("global_seed") is not None:
                        np.random.seed(request["global_seed"])
                    args = [materialize(a, generators, fresh=True) for a in sent_args]
                    kwargs = {k: materialize(v, generators, fresh=True) for k, v in sent_kwargs.items()}
                    sent = (sent_args, sent_kwargs) if request.get("inputs_after") is True else None
                    outcomes.append(self._call_one(function, args, kwargs, recorded, request.get("pick"), sent,
                                                   request.get("generators") is True))
        except budget.Timeout as timeout:
            return {"timed_out": timeout.where}
        finally:
            budget.disarm()
        return {"outcomes": outcomes}

    def _call_one(self, function, args: list, kwargs: dict, recorded: RecordedWarnings, pick: int | None = None,
                  sent: tuple[list, dict] | None = None, generators: bool = False) -> dict:
        """Call once; with `pick`, send back only that element of the result (e.g. the loss);
        with `sent` (the arguments as the request holds them), the arguments as they are right
        after the call (see _inputs_after); with `generators`, the state of the Generator
        arguments, after the call or the raise."""
        try:
            result = function(*args, **kwargs)
            if pick is not None:
                result = result[pick]
        except budget.Timeout:
            raise
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, GeneratorExit too
            recorded.take()
            raised = {"raised": describe_error(exc, self.filenames)}
            if generators:
                raised["generators"] = generator_states(args, kwargs)
            return raised
        outcome = {
            "returned": result,
            "warnings": [f"{w.category.__name__}: {w.message}" for w in recorded.take()[:20]],
        }
        if generators:
            outcome["generators"] = generator_states(args, kwargs)
        if sent is not None:
            outcome["inputs_after"] = _inputs_after(args, kwargs, sent)
        return outcome


class RecordedWarnings:
    """Every warning of a request's calls, recorded under one catch_warnings, call by call (`take`).

    Entering a catch_warnings for each call cost more than calling a small function (a
    request asks hundreds). As one per call would, each call starts with every warning shown
    ("always") and recorded: a call that changed the warnings machinery (a filter of its own
    in front, warnings.filters or showwarning replaced) has it put back before the next call.
    """

    def __enter__(self) -> RecordedWarnings:
        self._catcher = warnings.catch_warnings(record=True)
        self._caught = self._catcher.__enter__()
        warnings.simplefilter("always")
        self._state = self._now()
        return self

    def __exit__(self, *exc_info) -> None:
        self._catcher.__exit__(*exc_info)

    @staticmethod
    def _now() -> tuple:
        # The first filter decides for every warning: ("always", any message, Warning, any module).
        try:
            filters = warnings.filters
            return filters, filters[0], warnings.showwarning, warnings._showwarnmsg_impl
        except BaseException:  # the student's code emptied or replaced them: never the state at the start
            return (object(),)

    def take(self) -> list:
        """The warnings recorded since the last take; the machinery as it was at the start."""
        caught, self._caught[:] = list(self._caught), []
        now = self._now()
        if any(a is not b for a, b in zip(now, self._state)):
            self.__exit__(None, None, None)
            self.__enter__()
        return caught


def _future_flags(statement: ast.ImportFrom) -> int:
    """The compiler flags of a `from __future__ import ...` statement."""
    import __future__

    flags = 0
    for alias in statement.names:
        feature = getattr(__future__, alias.name, None)
        flags |= getattr(feature, "compiler_flag", 0)
    return flags


def is_definition(statement: ast.stmt) -> bool:
    """What still runs once the time for top-level code is spent: def, class, import, and
    assignments that call nothing (`lr = 0.1`, `relu = lambda z: np.maximum(z, 0)`)."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        return not _calls(statement.value)
    return False


def _calls(node: ast.AST) -> bool:
    """The expression calls something when evaluated (a lambda's body is not evaluated)."""
    if isinstance(node, ast.Call):
        return True
    return not isinstance(node, ast.Lambda) and any(_calls(child) for child in ast.iter_child_nodes(node))


def _inputs_after(args: list, kwargs: dict, sent: tuple[list, dict]) -> object:
    """The arguments after a call, for the grader to compare with those it sent (grader.purity).

    Where they are as the request holds them, which they nearly always are, only their digest
    ({"digest": wire.arguments_digest}), which the grader checks against the one it computes from
    what it sent: decoding and comparing a copy of every argument cost the grader more than the
    calls. Else copies of them all, [positional, keyword], from which the grader tells which
    changed; None when they cannot be copied (the grader counts every argument as changed).
    """
    try:
        digest = arguments_digest(args, kwargs)
        if digest == arguments_digest(*sent):
            return {"digest": digest}
    except budget.Timeout:
        raise
    except BaseException:  # a value with no digest (an object of the student's class): copies say more
        pass
    try:
        return [[_copy(a) for a in args], {k: _copy(v) for k, v in kwargs.items()}]
    except budget.Timeout:
        raise
    except BaseException:  # e.g. a list the function appended to itself: the grader counts it as changed
        return None


def _copy(value: object) -> object:
    """An argument as it is now, arrays and containers copied (later calls may change them again).
    Other values go as they are: the wire sends numbers and strings, and names any other object."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value
