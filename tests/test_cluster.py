"""Grading a class on a Dask cluster (grader/cluster.py), in shards, and the grader's fingerprint.

The cluster tests share one LocalCluster of 2 worker processes (started once for the
module) and grade classes of a few submissions with short limits; they are skipped
only where Dask is not installed (CI installs the cluster extra).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
import threading
import time

import jsonschema
import pytest
from conftest import FAST_LIMITS, HW1, ROOT
from test_batch import BUGGY_SOURCE, REFERENCE_SOURCE, STUB_SOURCE, batch, notebook, reports, write_class

from grader import cli
from grader.batch import FINGERPRINT, Layout, find_students, in_shard, parse_shard, run_batch
from grader.batch_report import feedback_markdown
from grader.errors import UsageError
from grader.fingerprint import fingerprint
from grader.homeworks import HOMEWORKS
from grader.sandbox import bubblewrap

try:
    import distributed  # noqa: F401

    HAS_DASK = True
except ImportError:
    HAS_DASK = False

needs_dask = pytest.mark.skipif(not HAS_DASK, reason='Dask is not installed: pip install -e ".[cluster]"')
# One process runs this module's tests, which share the cluster.
pytestmark = pytest.mark.xdist_group("cluster")

# alice's hw1.py only imports her helper module: graded on a worker, it must find the copy sent with it.
CLASS = {
    "alice/hw1.py": "from helpers import *\n",
    "alice/helpers.py": REFERENCE_SOURCE,
    "bob.py": STUB_SOURCE,
    "carol/hw1.ipynb": notebook(REFERENCE_SOURCE),
    "dave/": "",
    "erin.py": BUGGY_SOURCE,
}


@pytest.fixture(scope="module")
def cluster(test_course_secret, examples_cache):
    from grader.cluster import Cluster

    with Cluster("local:2", sandboxed=bubblewrap() is not None) as started:
        yield started


def on_cluster(cluster, folder, out, **kwargs):
    students, _ = find_students(folder, "hw1")
    layout = Layout(out)
    layout.prepare()
    return run_batch(HW1, students, layout, feedback_markdown, jobs=1, private=[folder], limits=FAST_LIMITS,
                     cluster=cluster, **kwargs)


@needs_dask
def test_cluster_results_equal_local_results(tmp_path, cluster):
    folder = write_class(tmp_path / "class", CLASS)
    local = batch(folder, tmp_path / "local", jobs=2, limits=FAST_LIMITS)
    remote = on_cluster(cluster, folder, tmp_path / "cluster")
    assert sorted(remote.documents) == ["alice", "bob", "carol", "dave", "erin"]
    assert remote.documents == local.documents == reports(tmp_path / "cluster")
    assert remote.documents["alice"]["score"] == HW1.points  # her helper module reached the worker
    assert (tmp_path / "cluster" / "gradebook.csv").read_text() == (tmp_path / "local" / "gradebook.csv").read_text()
    for student in remote.documents:
        assert (tmp_path / "cluster" / "feedback" / f"{student}.md").read_text() == \
               (tmp_path / "local" / "feedback" / f"{student}.md").read_text()


def test_a_worker_grades_what_it_is_sent_without_the_clients_files(tmp_path):
    """No shared file system: the task carries the code and the student's own files (her helper module)."""
    from grader.cluster import _task, grade_remote

    folder = write_class(tmp_path / "class", {name: CLASS[name] for name in ("alice/hw1.py", "alice/helpers.py")})
    [alice], _ = find_students(folder, "hw1")
    task = _task(HW1, alice, fingerprint(HW1), FAST_LIMITS, True, [folder], sandboxed=bubblewrap() is not None)
    (folder / "alice" / "hw1.py").unlink()
    (folder / "alice" / "helpers.py").unlink()
    outcome = grade_remote(task)
    assert outcome.fault is None and outcome.document["score"] == HW1.points


@needs_dask
def test_a_worker_killed_mid_batch_loses_nothing(tmp_path, cluster):
    # Each submission sleeps first (no CPU time), so that a grade is under way when a worker is killed.
    entries = {f"s{i}.py": "import time\ntime.sleep(1.5)\n" + STUB_SOURCE for i in range(3)}
    folder = write_class(tmp_path / "class", entries)
    cluster.client.wait_for_workers(2, timeout=120)
    killed = []

    def kill_a_busy_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [address for address, keys in cluster.client.processing().items() if keys]
            if busy:
                pid = cluster.client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        result = on_cluster(cluster, folder, tmp_path / "grades")
    finally:
        killer.join()
    assert killed, "no worker was seen grading"
    assert result.faults == {}
    assert sorted(result.graded) == sorted(result.documents) == ["s0", "s1", "s2"]
    for student, document in result.documents.items():  # graded whole: every function reached, not one crashed
        assert [e["status"] for e in document["exercises"]] == ["not_implemented"] * len(HW1.exercises), student


@needs_dask
def test_resume_after_the_client_is_interrupted(tmp_path, cluster):
    folder = write_class(tmp_path / "class", {f"s{i}.py": STUB_SOURCE for i in range(3)})
    out = tmp_path / "grades"
    cluster.client.wait_for_workers(2, timeout=120)

    def interrupt(outcome, skipped):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        on_cluster(cluster, folder, out, on_done=interrupt)
    first = {p.name: p.stat().st_mtime_ns for p in (out / "reports").glob("*.json")}
    assert len(first) == 1  # the client writes every file: nothing more came after it stopped
    time.sleep(0.01)
    again = on_cluster(cluster, folder, out)
    assert again.skipped == [name.removesuffix(".json") for name in first]
    assert sorted(again.graded + again.skipped) == ["s0", "s1", "s2"]
    for name, mtime in first.items():
        assert (out / "reports" / name).stat().st_mtime_ns == mtime, f"{name} was graded again"
    assert len(list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))) == 3


@needs_dask
def test_a_worker_with_another_fingerprint_is_refused(tmp_path, cluster, monkeypatch):
    folder = write_class(tmp_path / "class", {"alice.py": STUB_SOURCE})
    real = fingerprint(HW1)
    # This machine's fingerprint is patched: the workers' (their own processes) is the real one.
    monkeypatch.setattr("grader.batch.fingerprint", lambda homework, reference=True: {**real, "numpy": "0.0.0"})
    with pytest.raises(UsageError, match=rf"would not grade as this machine does \(numpy version 0\.0\.0 here, "
                                         rf"{real['numpy']} there\); install the same"):
        on_cluster(cluster, folder, tmp_path / "grades")
    assert not list((tmp_path / "grades" / "reports").glob("*.json"))

    # A worker that joins after the check refuses the task itself.
    students, _ = find_students(folder, "hw1")
    with pytest.raises(UsageError, match="numpy version 0.0.0 here"):
        cluster.grade(HW1, students, {**real, "numpy": "0.0.0"}, FAST_LIMITS, True, [folder],
                      lambda student, outcome: pytest.fail("graded by another grader"))


@needs_dask
def test_shards_on_a_cluster_and_alone_cover_the_class_then_merge(tmp_path, cluster, capsys):
    entries = {"alice.py": STUB_SOURCE, **{f"{name}/": "" for name in ("bob", "carol", "dave", "erin", "fay")}}
    folder = write_class(tmp_path / "class", entries)
    out = tmp_path / "grades"
    common = ["hw1", "--submissions", str(folder), "--out", str(out), "--timeout", "2", "--cell-timeout", "1"]
    address = cluster.client.scheduler.address
    seen = {}
    for index in range(3):
        cluster_args = ["--cluster", address] if index == 0 else []
        assert cli.main([*common, "--shard", f"{index}/3", *cluster_args]) == 0, capsys.readouterr()
        now = {p.stem for p in (out / "reports").glob("*.json")}
        seen[index] = now - set().union(*seen.values())
        assert seen[index] == {s for s in ["alice", "bob", "carol", "dave", "erin", "fay"] if in_shard(s, index, 3)}
        assert not (out / "gradebook.csv").exists()
        if index == 0:
            assert cli.main([*common, "--merge"]) == 2  # not every shard is done
            assert "have no report up to date" in capsys.readouterr().err
            assert not (out / "gradebook.csv").exists()
    assert set().union(*seen.values()) == {"alice", "bob", "carol", "dave", "erin", "fay"}
    capsys.readouterr()
    assert cli.main([*common, "--merge"]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave", "erin", "fay"]
    assert "hw1: 6 students" in capsys.readouterr().out


# -------------------------------------------------- without a cluster ---

def test_reports_carry_the_fingerprint_and_another_grader_is_graded_again(tmp_path):
    folder = write_class(tmp_path / "class", {"alice.py": STUB_SOURCE, "bob.py": STUB_SOURCE})
    out = tmp_path / "grades"
    batch(folder, out, jobs=1, limits=FAST_LIMITS)
    documents = reports(out)
    assert all(document[FINGERPRINT] == fingerprint(HW1) for document in documents.values())
    schema = json.loads((ROOT / "grader" / "report.schema.json").read_text())
    for document in documents.values():
        jsonschema.validate(document, schema)
    report = out / "reports" / "alice.json"
    report.write_text(json.dumps({**documents["alice"], FINGERPRINT: {**fingerprint(HW1), "code": "older"}}))
    result = batch(folder, out, jobs=1, limits=FAST_LIMITS)
    assert (result.graded, result.skipped) == (["alice"], ["bob"])
    assert json.loads(report.read_text())[FINGERPRINT] == fingerprint(HW1)


def test_a_fingerprint_changes_with_what_the_grade_depends_on():
    with_reference, without = fingerprint(HW1), fingerprint(HW1, reference=False)
    assert with_reference["reference"] != without["reference"] == "not used"
    assert with_reference["homework"] != fingerprint(HOMEWORKS["hw2"])["homework"]


@pytest.mark.parametrize("text, expected", [("0/1", (0, 1)), ("3/4", (3, 4)), ("4/4", None), ("-1/4", None),
                                            ("1", None), ("a/b", None), ("0/0", None)])
def test_parse_shard(text, expected):
    if expected is None:
        with pytest.raises(UsageError, match="--shard takes I/N with 0 <= I < N"):
            parse_shard(text)
    else:
        assert parse_shard(text) == expected


def test_shards_split_any_class_exactly_once():
    students = [f"student{i}" for i in range(200)] + ["é", "=cmd", "a b"]
    for count in (1, 2, 7):
        owners = [[i for i in range(count) if in_shard(s, i, count)] for s in students]
        assert all(len(owner) == 1 for owner in owners)
        if count > 1:
            assert len({owner[0] for owner in owners}) == count  # every shard gets some of 203 students


def test_without_dask_the_cluster_option_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    folder = write_class(tmp_path / "class", {"alice.py": STUB_SOURCE})
    assert cli.main(["hw1", "--submissions", str(folder), "--out", str(tmp_path / "g"), "--cluster", "local:1"]) == 2
    assert capsys.readouterr().err.strip() == (
        'grade: grading on a cluster needs Dask: install it with pip install -e ".[cluster]" '
        '(or pip install "dask[distributed]")')


@pytest.mark.parametrize("args, message", [
    (["--cluster", "local:0"], "--cluster local:N takes a number of worker processes"),
    (["--cluster", "myhost"], "--cluster takes a scheduler's address"),
    (["--cluster", "local:2", "--jobs", "2"], "--jobs does not go with --cluster"),
    (["--merge", "--shard", "0/2"], "--merge grades nothing, so --shard does not go with it"),
    (["--shard", "2/2"], "--shard takes I/N"),
])
def test_cluster_and_shard_options_are_checked(tmp_path, capsys, args, message):
    folder = write_class(tmp_path / "class", {"alice.py": STUB_SOURCE})
    assert cli.main(["hw1", "--submissions", str(folder), "--out", str(tmp_path / "g"), *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "g" / "reports").exists() or not list((tmp_path / "g" / "reports").iterdir())
