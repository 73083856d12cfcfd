"""The grade command as students and scripts use it: output, JSON contract, exit codes, errors."""

from __future__ import annotations

import json

import pytest

from conftest import FULL_MARKS, REFERENCE, ROOT, STUBS, reference_source, run_grade, with_function

EXERCISES = list(FULL_MARKS)


def _json(result) -> dict:
    document = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert set(document) >= {"assignment", "score", "max_score", "exercises"}
    for entry in document["exercises"]:
        fields = {"name", "score", "max_score", "status", "feedback", "checks"}
        assert fields <= set(entry) <= fields | {"cause", "follows", "helpers"}
        assert isinstance(entry["score"], float) and isinstance(entry["max_score"], float)
    return document


def test_reference_scores_full_marks_and_exits_0():
    result = run_grade("hw1", "--submission", str(REFERENCE), "--json")
    document = _json(result)
    assert result.returncode == 0
    assert document["score"] == 100.0 and document["max_score"] == 100.0
    assert [e["name"] for e in document["exercises"]] == EXERCISES
    assert all(e["status"] == "passed" for e in document["exercises"])
    assert result.stderr == ""


def test_stubs_score_zero_not_implemented_and_exit_1():
    result = run_grade("hw1", "--submission", str(STUBS), "--json")
    document = _json(result)
    assert result.returncode == 1
    assert document["score"] == 0.0
    assert {e["status"] for e in document["exercises"]} == {"not_implemented"}
    assert all(e["feedback"] == "not implemented yet" for e in document["exercises"])


def test_grade_from_a_course_checkout_finds_the_stubs():
    result = run_grade("hw1", "--json", cwd=ROOT / "assignments")
    assert _json(result)["score"] == 0.0


def test_rich_table_then_details_then_total(tmp_path):
    path = tmp_path / "hw1.py"
    path.write_text(with_function(reference_source(), "mse_grad",
                                  "def mse_grad(y_pred, y_true):\n    return (y_pred - y_true) / y_pred.size\n"))
    result = run_grade("hw1", "--submission", str(path))
    score = _json(run_grade("hw1", "--submission", str(path), "--json"))["score"]
    out = result.stdout
    assert result.returncode == 1 and score < 100
    assert out.index("Function") < out.index("mse_grad") < out.index("likely cause") < out.index(f"Total: {score:g}/100")
    assert "missing factor 2" in out
    assert "  expected  " in out and "got  " in out and "  input  " in out


def test_one_exercise():
    document = _json(run_grade("hw1", "--submission", str(REFERENCE), "--exercise", "mse", "--json"))
    assert [e["name"] for e in document["exercises"]] == ["mse"]
    assert document["max_score"] == FULL_MARKS["mse"]


def test_list():
    result = run_grade("--list")
    assert result.returncode == 0
    for name in EXERCISES:
        assert name in result.stdout


def test_student_prints_never_reach_stdout(tmp_path):
    path = tmp_path / "hw1.py"
    path.write_text('print("{\\"score\\": 100}")\n' + reference_source().replace(
        "    ### BEGIN SOLUTION\n    return float(np.mean", "    ### BEGIN SOLUTION\n    print('debug')\n    return float(np.mean"))
    document = _json(run_grade("hw1", "--submission", str(path), "--json"))
    assert document["score"] == 100.0


def test_unloadable_submission_lists_every_function_with_the_reason(tmp_path):
    path = tmp_path / "hw1.py"
    path.write_text("import numpy as np\n\ndef sigmoid(z)\n    return z\n")
    result = run_grade("hw1", "--submission", str(path), "--json")
    document = _json(result)
    assert result.returncode == 1
    assert "SyntaxError" in document["error"] and "line 3" in document["error"]
    assert [e["name"] for e in document["exercises"]] == EXERCISES
    assert all(e["score"] == 0.0 and "line 3" in e["feedback"] for e in document["exercises"])


@pytest.mark.parametrize("args, message", [
    (["hw9"], "there is no homework 'hw9'"),
    (["hw1", "--exercise", "softmax"], "hw1 has no exercise 'softmax'"),
    (["hw1", "--bogus"], "unrecognized arguments: --bogus"),
    (["hw1", "--submission", "/no/such/file.py"], "no such file or folder"),
    ([], "name the homework to grade"),
], ids=["unknown homework", "unknown exercise", "unknown flag", "missing file", "no homework"])
def test_usage_errors_are_one_sentence_and_exit_2(args, message):
    result = run_grade(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_submission_with_json_still_prints_a_zero_document():
    result = run_grade("hw1", "--submission", "/no/such/file.py", "--json")
    document = _json(result)
    assert result.returncode == 2
    assert document["score"] == 0.0 and "no such file" in document["error"]


def test_nothing_to_grade_here(tmp_path):
    result = run_grade("hw1", cwd=tmp_path)
    assert result.returncode == 2
    assert "--submission" in result.stderr


def test_limits_are_printed():
    result = run_grade("hw1", "--limits")
    assert result.returncode == 0
    assert "memory" in result.stdout and "2 GiB" in result.stdout and "5 s" in result.stdout
    assert "Isolation layers active here" in result.stdout


def test_memory_limit_is_configurable_and_named(tmp_path):
    path = tmp_path / "hw1.py"
    path.write_text(with_function(reference_source(), "adagrad_step",
                                  "def adagrad_step(param, grad, cache, lr=1e-2, eps=1e-8):\n"
                                  "    block = np.empty(2**30 // 8)\n    return param + 0 * block[:1] + 1, cache\n"))
    document = _json(run_grade("hw1", "--submission", str(path), "--json", "--exercise", "adagrad_step",
                               "--memory-limit", "512MiB"))
    assert document["limits"]["memory_bytes"] == 512 * 2**20
    assert "exceeded the 512 MiB memory limit" in document["exercises"][0]["feedback"]
    assert _json(run_grade("hw1", "--submission", str(path), "--json", "--exercise", "adagrad_step"))[
        "exercises"][0]["status"] == "failed"  # 1 GiB fits in the default 2 GiB: only the value is wrong


@pytest.mark.parametrize("flag, value", [("--memory-limit", "3x"), ("--memory-limit", "1MiB"), ("--timeout", "-1")],
                         ids=["not a size", "too small", "negative timeout"])
def test_bad_limits_are_usage_errors(flag, value):
    result = run_grade("hw1", flag, value)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert flag in result.stderr


def test_the_worker_starts_before_numpy_is_imported():
    """`grade` starts the worker right after parsing its arguments, so that the worker's start-up
    (bubblewrap, Python, numpy) overlaps the grader's own imports: what starting it takes (the
    runner, the sandbox, finding the submission, the limits) imports no numpy."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from grader import cli\n"
            "workers = cli._start_early(cli.build_parser().parse_args(['hw1', '--submission', sys.argv[1]]))\n"
            "workers.student._started()\n"  # it starts in a thread of its own: see StudentProcess.start_soon
            "print(workers is not None and workers.student._proc is not None, 'numpy' in sys.modules)\n"
            "workers.stop()\n")
    done = subprocess.run([sys.executable, "-c", code, str(REFERENCE)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.split() == ["True", "False"], done.stderr


def test_only_the_command_s_own_process_stops_collecting_what_it_made():
    """The `grade` command leaves the objects it made out of the garbage collector's walks
    (gc.freeze: its process ends when grading does); main() called in a caller's process, with
    its arguments given, leaves the caller's collector as it was."""
    import gc
    import subprocess
    import sys

    from grader import cli

    frozen = gc.get_freeze_count()
    assert cli.main(["hw1", "--submission", str(REFERENCE), "--exercise", "mse", "--json"]) == 0
    assert gc.get_freeze_count() == frozen
    code = ("import gc, sys\nfrom grader import cli\n"
            "sys.argv = ['grade', 'hw1', '--submission', sys.argv[1], '--exercise', 'mse', '--json']\n"
            "code = cli.main()\nprint(code, gc.get_freeze_count() > 0, gc.isenabled(), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, str(REFERENCE)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stderr.split()[-3:] == ["0", "True", "True"], done.stderr


def test_the_command_collects_no_garbage_while_it_imports():
    """The command's imports (numpy's, the homework's, the engine's) made the cyclic garbage
    collector walk their new objects some 50 times, ~20 ms of CPU, to free nothing: it collects
    from the moment grading starts (and the collector is on again when the command returns)."""
    import subprocess
    import sys

    code = ("import gc, sys\nfrom grader import cli\n"
            "importing = []\n"
            "gc.callbacks.append(lambda phase, info: phase == 'start' and 'grader.engine' not in sys.modules\n"
            "                    and importing.append(info['generation']))\n"
            "sys.argv = ['grade', 'hw1', '--submission', sys.argv[1], '--exercise', 'mse', '--json']\n"
            "code = cli.main()\nprint(code, len(importing), gc.isenabled(), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, str(REFERENCE)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.stderr.split()[-3:] == ["0", "0", "True"], done.stderr
