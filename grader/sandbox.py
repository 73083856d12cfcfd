"""How a worker process is started: the layers that contain untrusted student code.

The layers, each used where the platform has it:

- bubblewrap (Linux, when `bwrap` is installed and works): the worker sees a
  read-only view of the system and of Python's own folders, an empty /tmp, a
  scratch folder as its only writable place, no network, its own PID namespace
  (every process it starts dies with it, even one that called setsid), and no
  capabilities. The reference solutions and the course files are not in its view.
- an unprivileged user (POSIX, a grader running as root without bubblewrap, as on
  Gradescope in a container that stops bubblewrap): the worker runs as the user
  GRADER_SANDBOX_USER names, who cannot read the course source, the reference or
  the results (the Gradescope bundle creates that user and hides those from it).
- resource limits (POSIX): memory, CPU time, file size and core dumps, set by the
  worker on itself before it loads the submission (see grader/worker/limits.py).
- a cgroup (Linux, cgroup v1 or v2, where the grader may make one): at most
  MAX_TASKS processes and threads, and the memory limit for all of them together,
  memory held in files (memfds, tmpfs) included.
- audit hooks (PEP 578, every platform): installed by the worker before the
  submission loads; they refuse to start processes, send signals, open sockets,
  load C libraries, read the reference or the course files, and write outside
  the scratch folder.
"""

from __future__ import annotations

import atexit
import importlib.util
import itertools
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader.limits import Limits
from grader.course import ASSIGNMENTS, COURSE
from grader.worker.frames import encode_plain

# The code that runs inside the sandbox, started as `python -I WORKER_FOLDER/__main__.py`.
WORKER_FOLDER = Path(__file__).resolve().with_name("worker")
PACKAGE_ROOT = COURSE.root  # the checkout, or site-packages


@dataclass(frozen=True)
class Launch:
    """Everything needed to start one worker."""

    command: list[str]
    cwd: Path
    env: dict[str, str]
    layers: tuple[str, ...]
    cgroup: "Cgroup | None" = None  # to remove when the worker stops
    own_files_left_out: int = 0  # files of the student's folder not copied: over the count or size limit
    user: "tuple[int, int] | None" = None  # (uid, gid) to run the worker as: see sandbox_user()
    # The worker's configuration, the first frame on its stdin: not on its command line, which
    # any process in the sandbox can read (/proc/<pid>/cmdline), since it names the secret paths.
    config: bytes = b""


# Processes and threads a submission may have at once, the worker's own included
# (bubblewrap's two, Python's main thread and its parent watcher).
MAX_TASKS = 32


# Where the cgroup filesystems are mounted, and where this process's cgroups are listed
# (parameters, so that the cgroup v2 code is tested against a fake tree).
CGROUP_MOUNT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


class Cgroup:
    """Kernel caps on a whole submission, all its processes together: at most MAX_TASKS
    tasks (no fork bomb) and the memory limit in all (not per process, as RLIMIT_AS is;
    and counting what RLIMIT_AS does not: memfds and tmpfs files).

    Made where the grader may make one (root in a container, as on the grading machines);
    elsewhere the other layers stand alone, and the report's layers say so.

    - cgroup v1: a child of the grader's own cgroup in the pids and in the memory hierarchy
      (/sys/fs/cgroup/<controller>/...): pids.max, memory.limit_in_bytes, and the
      out-of-memory verdict from memory.failcnt.
    - cgroup v2 (one unified hierarchy, told by /sys/fs/cgroup/cgroup.controllers): a child
      of a delegated cgroup, the one named by GRADER_CGROUP_ROOT (a subtree an administrator
      delegated, or a systemd scope with Delegate=yes), else the grader's own; memory and pids
      must be enabled in its cgroup.subtree_control, which the kernel refuses while that cgroup
      holds processes itself (the no-internal-processes rule): then there is no cgroup layer.
      memory.max, memory.swap.max = 0 (the limit is not dodged by swapping), pids.max; the
      verdict from the oom and oom_kill counts of memory.events.
    """

    def __init__(self, folders: list[Path], version: int = 1) -> None:
        self.folders = folders
        self.version = version

    @classmethod
    def create(cls, memory_bytes: int) -> "Cgroup | None":
        if not sys.platform.startswith("linux") or os.environ.get("GRADER_NO_CGROUP") == "1":
            return None
        name = f"nn-grader-{os.getpid()}-{next(_COUNTER)}"
        if (CGROUP_MOUNT / "cgroup.controllers").exists():
            return cls._create_v2(name, memory_bytes)
        return cls._create_v1(name, memory_bytes)

    @classmethod
    def _create_v1(cls, name: str, memory_bytes: int) -> "Cgroup | None":
        wanted = {"pids": ("pids.max", MAX_TASKS), "memory": ("memory.limit_in_bytes", memory_bytes)}
        folders: list[Path] = []
        try:
            own = _own_cgroups()
            for controller, (setting, value) in wanted.items():
                folder = CGROUP_MOUNT / controller / own[controller].lstrip("/") / name
                _remove_stale(folder.parent)
                folder.mkdir()
                folders.append(folder)
                _write(folder / setting, str(value))
        except (KeyError, OSError, ValueError):
            cls(folders).remove()
            return None
        return cls(folders, 1)

    @classmethod
    def _create_v2(cls, name: str, memory_bytes: int) -> "Cgroup | None":
        try:
            parent = _delegated_cgroup()
            if not _enable_controllers(parent, ("memory", "pids")):
                return None
            _remove_stale(parent)
            folder = parent / name
            folder.mkdir()
        except (OSError, ValueError):
            return None
        cgroup = cls([folder], 2)
        try:
            _write(folder / "memory.max", str(memory_bytes))
            _write(folder / "pids.max", str(MAX_TASKS))
        except OSError:
            cgroup.remove()
            return None
        try:
            _write(folder / "memory.swap.max", "0")
        except OSError:  # a kernel without swap accounting: no swap to dodge the limit with
            pass
        return cgroup

    def wrap(self, command: list[str]) -> list[str]:
        """The command, started from a shell that first moves itself into the cgroup (so that
        every process the worker ever has is in it, with no race)."""
        joins = "; ".join(f'echo $$ > "{folder / "cgroup.procs"}" || exit 97' for folder in self.folders)
        return ["/bin/sh", "-c", f'{joins}; exec "$@"', "sh", *command]

    def ran_out_of_memory(self) -> bool:
        for folder in self.folders:
            try:
                if self.version == 2:
                    counts = dict(line.split()[:2] for line in (folder / "memory.events").read_text().splitlines()
                                  if len(line.split()) >= 2)
                    if int(counts.get("oom", 0)) > 0 or int(counts.get("oom_kill", 0)) > 0:
                        return True
                elif int((folder / "memory.failcnt").read_text()) > 0:
                    return True
            except (OSError, ValueError):
                continue
        return False

    def remove(self) -> None:
        """Kill whatever is left in it, then remove it."""
        for folder in self.folders:
            for _ in range(500):  # at most a second, as before, but looking more often: this ends every grade
                try:
                    for pid in (folder / "cgroup.procs").read_text().split():
                        try:
                            os.kill(int(pid), signal.SIGKILL)
                        except (ProcessLookupError, PermissionError, ValueError):
                            pass
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # busy: its processes are still exiting
                    time.sleep(0.002)


_COUNTER = itertools.count()


def _write(path: Path, text: str) -> None:
    """Write a cgroup setting (the kernel refuses a bad one with an OSError)."""
    path.write_text(text)


def _remove_stale(parent: Path) -> None:
    """Remove the empty cgroups left by graders that were killed before they could."""
    for folder in parent.glob("nn-grader-*-*"):
        try:
            owner = int(folder.name.split("-")[2])
            if owner != os.getpid() and not Path(f"/proc/{owner}").exists():
                folder.rmdir()  # fails, harmlessly, while processes remain in it
        except (ValueError, OSError):
            pass


def _own_cgroups() -> dict[str, str]:
    """This process's cgroup path per v1 controller, from /proc/self/cgroup."""
    paths = {}
    for line in PROC_SELF_CGROUP.read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            paths[controller] = path
    return paths


def _delegated_cgroup() -> Path:
    """The cgroup v2 folder to make the workers' cgroups in: GRADER_CGROUP_ROOT (a folder of the
    cgroup mount, or a path inside it), else this process's own cgroup (the '0::/path' line)."""
    given = os.environ.get("GRADER_CGROUP_ROOT")
    if given:
        path = Path(given)
        return path if path.is_absolute() and CGROUP_MOUNT in path.parents else CGROUP_MOUNT / given.lstrip("/")
    for line in PROC_SELF_CGROUP.read_text().splitlines():
        if line.startswith("0::"):
            return CGROUP_MOUNT / line[3:].strip().lstrip("/")
    raise ValueError("no cgroup v2 entry in /proc/self/cgroup")


def _enable_controllers(parent: Path, controllers: tuple[str, ...]) -> bool:
    """Make `controllers` available to the children of cgroup `parent`; False if it has not got them.

    Raises OSError when the kernel refuses (EBUSY: `parent` holds processes itself)."""
    available = (parent / "cgroup.controllers").read_text().split()
    if not all(c in available for c in controllers):
        return False
    enabled = (parent / "cgroup.subtree_control").read_text().split()
    missing = [c for c in controllers if c not in enabled]
    if missing:
        _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))
    return True


def layers_available(cgroup: "Cgroup | None" = None, user: "tuple[int, int] | None" = None) -> tuple[str, ...]:
    """The isolation layers this machine offers, strongest first."""
    layers = []
    if bubblewrap() is not None:
        layers.append("bubblewrap")
    if user is not None:
        layers.append("unprivileged user")
    if cgroup is not None:
        layers.append("cgroup")
    if os.name == "posix":
        layers.append("resource limits")
    if hasattr(sys, "addaudithook"):
        layers.append("audit hooks")
    return tuple(layers)


_BWRAP: list = []  # [path or None], probed once per process


def bubblewrap() -> str | None:
    """The path of a working `bwrap`, or None (not Linux, not installed, or not allowed here)."""
    if not _BWRAP:
        path = shutil.which("bwrap") if sys.platform.startswith("linux") else None
        if path is not None and os.environ.get("GRADER_NO_BWRAP") != "1":
            try:
                probe = subprocess.run([path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                                       capture_output=True, timeout=10)
                path = path if probe.returncode == 0 else None
            except (OSError, subprocess.TimeoutExpired):
                path = None
        else:
            path = None
        _BWRAP.append(path)
    return _BWRAP[0]


def require_bubblewrap(task: str, override: str) -> None:
    """Refuse to grade other people's code without the OS-level sandbox.

    The in-process layers (audit hooks, resource limits) stop accidents and casual
    tricks, but a determined submission can get around them from Python alone (numpy
    can write raw memory). A student grading their own work needs no more; a class does.
    """
    if bubblewrap() is None:
        from grader.errors import GraderError

        raise GraderError(
            f"{task} runs other people's code, which needs the bubblewrap sandbox, and it is not available "
            f"here. On Linux install it (e.g. apt-get install bubblewrap); or, if every submission is "
            f"trusted or this machine is itself disposable, {override}"
        )


SANDBOX_USER_VARIABLE = "GRADER_SANDBOX_USER"


def sandbox_user() -> tuple[int, int] | None:
    """(uid, gid) of the unprivileged user to run workers as, or None.

    A grader running as root without bubblewrap (Gradescope's containers often stop it)
    would otherwise run student code as root: code that gets around the audit hooks
    would read the reference and the course source and could write results.json.
    Gradescope's advice is to run student code as a separate user; the bundle's
    setup.sh creates one and run_autograder names it in GRADER_SANDBOX_USER. Only
    root can switch users; with bubblewrap, which is the stronger wall, none is needed.
    """
    name = os.environ.get(SANDBOX_USER_VARIABLE)
    if not name or os.name != "posix" or os.geteuid() != 0:
        return None
    import pwd

    from grader.errors import GraderError

    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise GraderError(f"{SANDBOX_USER_VARIABLE} names the user {name!r}, who does not exist here; create "
                          f"that user (useradd --system {name}) or name another") from None
    if entry.pw_uid == 0 or entry.pw_gid == 0:
        raise GraderError(f"{SANDBOX_USER_VARIABLE} names {name!r}, who is root or in root's group; name an "
                          f"unprivileged user")
    return entry.pw_uid, entry.pw_gid


SHARED_MEMORY = Path("/dev/shm")


def remove_shared_memory_of(uid: int, folder: Path = SHARED_MEMORY) -> None:
    """Remove the files the unprivileged user left in /dev/shm: memory that outlives the worker.

    Without bubblewrap, /dev/shm is a world-writable tmpfs; the audit hook refuses writing
    there, but code that switched the hook off could leave files holding memory that no limit
    counts. The user is the sandbox's own (GRADER_SANDBOX_USER), so whatever it owns there is
    a submission's."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.stat(follow_symlinks=False).st_uid == uid and not entry.is_dir(follow_symlinks=False):
                        os.unlink(entry.path)
                except OSError:
                    continue
    except OSError:
        pass


_WORKER_COPY: list = []  # [folder], made once per process


def _worker_folder_for_user() -> Path:
    """A copy of the worker's folder where every user may read it and none may change it.

    The grader's own copy may lie where the unprivileged user must not look (on
    Gradescope, /autograder/source, beside the reference). The whole folder, .py files
    only: the worker loads every module of it before it hardens itself.
    """
    if not _WORKER_COPY:
        top = Path(tempfile.mkdtemp(prefix="grade-worker-"))
        atexit.register(shutil.rmtree, top, True)
        top.chmod(0o755)
        copy = top / WORKER_FOLDER.name
        copy.mkdir()
        for source in sorted(WORKER_FOLDER.glob("*.py")):
            shutil.copyfile(source, copy / source.name)
            (copy / source.name).chmod(0o644)
        copy.chmod(0o755)
        _WORKER_COPY.append(copy)
    return _WORKER_COPY[0]


def _let_user_join(cgroup: Cgroup, user: tuple[int, int]) -> bool:
    """Let the cgroup wrapper's shell, which runs as the user, move itself into the cgroup.

    cgroup v1 asks only that the writer may write cgroup.procs and moves its own
    process; the user can then move nothing of root's, and change no limit. cgroup v2
    (a folder with cgroup.controllers) also asks for write access to the cgroup the
    process leaves, root's: there the user cannot join, and False says so.
    """
    if any((folder / "cgroup.controllers").exists() for folder in cgroup.folders):
        return False
    try:
        for folder in cgroup.folders:
            os.chown(folder / "cgroup.procs", *user)
    except OSError:
        return False
    return True


def secret_paths() -> list[Path]:
    """Never readable by student code: the reference solutions, the nbgrader source, the course secret
    and the examples drawn from it."""
    from grader.secret import default_path, examples_folder

    paths = [*COURSE.private_folders, default_path(), examples_folder(default_path())]
    spec = importlib.util.find_spec("solutions")
    if spec is not None and spec.submodule_search_locations:
        paths += [Path(p) for p in spec.submodule_search_locations]
    return _unique(paths)


def private_paths(submission: Path, extra: list[Path] = ()) -> list[Path]:
    """Not readable by student code, except Python's own folders inside them: the course
    checkout (hidden checks, other homeworks), the folder of the submission (in a batch,
    the other students' work; the student reads copies of their own files) and any `extra` folder."""
    paths = [submission.parent, *extra]
    if COURSE.is_source_tree():  # running from a source checkout
        paths.append(PACKAGE_ROOT)
    return _unique(paths)


def own_folder(submission: Path, homework: str, extra: list[Path] = ()) -> Path | None:
    """The student's own folder, whose files the student's code may read (copies of them), or None.

    Only a folder that holds one student's work: the submission is named after the
    homework (hw1.py, HW1.ipynb), as in a folder per student, a Gradescope or an nbgrader
    submission. Not a folder of <student>.py files, even when one of them is graded on its
    own; not a folder that holds, or lies inside, the reference or the course checkout
    (except the checkout's assignments/), nor one that holds a class (`extra`).
    """
    if submission.stem.lower() != homework.lower():
        return None
    folder = Path(os.path.realpath(submission.parent))
    secret = [Path(os.path.realpath(p)) for p in secret_paths()]
    if any(folder == p or p in folder.parents or folder in p.parents for p in secret):
        return None
    for path in extra:
        path = Path(os.path.realpath(path))
        if folder == path or folder in path.parents:
            return None
    if COURSE.is_source_tree():  # a course checkout: only its assignments/ are students'
        root = Path(os.path.realpath(PACKAGE_ROOT))
        if (folder == root or root in folder.parents or folder in root.parents) and \
                root / ASSIGNMENTS not in folder.parents:
            return None
    return folder


# What is copied of the student's own folder for their code to read: a helper module,
# a small data file. Links (symbolic or hard), special files and hidden entries are left out.
OWN_FILES_MAX = 200
OWN_FILES_BYTES = 32 * 1024 * 1024
_NOT_COPIED = {"__pycache__", ".ipynb_checkpoints", "__MACOSX"}
_LISTED_MAX = 10_000  # entries read from one folder of the student's


def copy_own_files(folder: Path, into: Path, depth: int = 2) -> tuple[list[str], int]:
    """Copy the regular files of `folder` and of its subfolders (`depth` levels) into `into`.

    Returns the names copied at the top of `into`, and how many files were left out once
    OWN_FILES_MAX (files and folders) or OWN_FILES_BYTES was reached. A folder's own files come before its
    subfolders, and .py files first, so a helper module beside the submission is copied
    even when a data folder beside it is large. Never follows a link, even one swapped in
    while copying (the student may be changing the folder as it is read): each subfolder is
    opened from its parent's descriptor without following a link, listed through its own
    descriptor, and each file opened from its folder's descriptor with O_NOFOLLOW and
    checked to be a regular file with one name on the open descriptor.
    """
    top: list[str] = []
    budget = [OWN_FILES_MAX, OWN_FILES_BYTES, 0]  # files left, bytes left, files left out
    try:
        queue = [(_open_folder(None, folder), into, 0)]  # `folder` itself may be a link: own_folder chose it
    except OSError:
        return top, 0
    try:
        while queue:
            source, target, level = queue[0]
            try:
                with os.scandir(source) as listing:
                    entries = list(itertools.islice(listing, _LISTED_MAX))
            except OSError:
                entries = []
            entries = [e for e in entries if not e.name.startswith(".") and e.name not in _NOT_COPIED]
            files = sorted((e for e in entries if e.is_file(follow_symlinks=False)),
                           key=lambda e: (not e.name.endswith(".py"), e.name))
            for entry in files:
                if _copy_file(source, entry.name, target / entry.name, budget) and level == 0:
                    top.append(entry.name)
            if level < depth:
                for entry in sorted((e for e in entries if e.is_dir(follow_symlinks=False)), key=lambda e: e.name):
                    if budget[0] <= 0:  # a folder counts as a file: thousands of empty ones cost time too
                        budget[2] += 1
                        continue
                    try:
                        inner = _open_folder(source, entry.name)
                    except OSError:  # gone, or a link by now
                        continue
                    budget[0] -= 1
                    (target / entry.name).mkdir(exist_ok=True)
                    queue.append((inner, target / entry.name, level + 1))
                    if level == 0:
                        top.append(entry.name)
            _close_folder(queue.pop(0)[0])
    finally:
        for source, _, _ in queue:
            _close_folder(source)
    return top, budget[2]


_DIR_FDS = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_NOFOLLOW")
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_folder(parent: int | Path | None, name: str | Path) -> int | Path:
    """A folder to list and read from: a descriptor opened from `parent`'s without following a
    link (POSIX), or, where there are no descriptors of folders (Windows), a path looked at first.
    `parent` None: `name` is the student's folder itself, which may be a link."""
    if not _DIR_FDS:
        path = Path(name) if parent is None else Path(parent) / name
        if parent is not None and (path.is_symlink() or not path.is_dir()):
            raise OSError(f"{path} is not a folder")
        return path
    if parent is None:
        return os.open(name, _FOLDER_FLAGS)
    return os.open(name, _FOLDER_FLAGS | os.O_NOFOLLOW, dir_fd=parent)


def _close_folder(folder: int | Path) -> None:
    if isinstance(folder, int):
        os.close(folder)


def _copy_file(folder: int | Path, name: str, target: Path, budget: list[int]) -> bool:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if budget[0] <= 0:
        budget[2] += 1
        return False
    try:
        fd = os.open(name, flags, dir_fd=folder) if isinstance(folder, int) else os.open(Path(folder) / name, flags)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:  # a hard link is a link too
            return False
        with open(fd, "rb", closefd=False) as stream:
            data = stream.read(budget[1] + 1) if info.st_size <= budget[1] else None
        if data is None or len(data) > budget[1]:
            budget[2] += 1
            return False
        target.write_bytes(data)
        budget[0] -= 1
        budget[1] -= len(data)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _unique(paths: list[Path]) -> list[Path]:
    unique: list[Path] = []
    for path in paths:
        resolved = Path(os.path.realpath(path))
        if resolved not in unique:
            unique.append(resolved)
    return unique


def prepare(limits: Limits, scratch: Path, private: list[Path], own: Path | None = None) -> Launch:
    """The command line, working folder and environment of a worker.

    own: the student's own folder; read-only copies of its files are put in the scratch
    folder (the worker's working folder), where `open("data.csv")` and `import helpers` find them.
    """
    bwrap = bubblewrap()
    user = sandbox_user() if bwrap is None else None  # first: a user misnamed is the whole run's error
    secret = secret_paths()
    own_files, left_out = copy_own_files(own, scratch) if own is not None else ([], 0)
    config = {
        "own_files": bool(own_files),
        "scratch": str(scratch),
        "secret": [str(p) for p in secret],
        "private": [str(p) for p in private],
        "python": _python_folders(),
        # Windows: what a submission may read besides Python's folders (POSIX lists its own).
        "system": [os.environ.get("SYSTEMROOT", r"C:\Windows")] if os.name == "nt" else [],
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
        "file_bytes": limits.file_bytes,
    }
    folder = WORKER_FOLDER if user is None else _worker_folder_for_user()
    worker = [sys.executable, "-I", str(folder / "__main__.py")]  # the configuration goes on its stdin: see Launch
    env = _clean_environment(scratch)
    if user is not None:
        os.chown(scratch, *user)  # its only writable place
    if bwrap is not None:
        worker = [bwrap, *_bwrap_arguments(scratch, secret, limits.scratch_bytes, own_files), *worker]
    cgroup = Cgroup.create(limits.memory_bytes)
    if cgroup is not None and user is not None and not _let_user_join(cgroup, user):
        cgroup.remove()
        cgroup = None
    if cgroup is not None:
        worker = cgroup.wrap(worker)
    return Launch(worker, scratch, env, layers_available(cgroup, user), cgroup, left_out, user, encode_plain(config))


def _bwrap_arguments(scratch: Path, secret: list[Path], scratch_bytes: int, own_files: list[str] = ()) -> list[str]:
    # /tmp and the scratch folder are the sandbox's own size-capped tmpfs: nothing written
    # reaches the host's disk, and a submission cannot fill it.
    args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--proc", "/proc", "--dev", "/dev", "--size", str(scratch_bytes), "--tmpfs", "/tmp"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    bound: list[str] = []
    for folder in _python_folders():
        if not any(folder == b or folder.startswith(b + os.sep) for b in bound):
            bound.append(folder)
            args += ["--ro-bind", folder, folder]
    args += ["--ro-bind", str(WORKER_FOLDER), str(WORKER_FOLDER)]
    # A reference installed inside site-packages (a non-editable install) is covered up, and
    # so is a course secret file lying in a folder the sandbox shows.
    for path in secret:
        if any(str(path).startswith(b + os.sep) for b in bound):
            if path.is_dir():
                args += ["--tmpfs", str(path)]
            elif path.is_file():
                args += ["--ro-bind", os.devnull, str(path)]
    args += ["--size", str(scratch_bytes), "--tmpfs", str(scratch)]
    for name in own_files:  # the copies of the student's own files, read-only inside the sandbox's scratch
        args += ["--ro-bind", str(scratch / name), str(scratch / name)]
    # /dev read-only too: /dev/shm (and /dev itself, the sandbox's own tmpfs) would hold
    # memory that no limit counts. Its devices (/dev/null) are still written to.
    args += ["--chdir", str(scratch), "--remount-ro", "/", "--remount-ro", "/dev"]
    return args


def _python_folders() -> list[str]:
    """Folders the worker's Python needs: its prefix, stdlib, and where numpy lives (found, not
    imported: `grade` starts the worker before it imports numpy)."""
    numpy = importlib.util.find_spec("numpy")
    folders = {sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable)),
               os.path.dirname(os.path.dirname(os.path.realpath(numpy.origin))),
               os.path.dirname(os.path.realpath(os.__file__))}
    return sorted((os.path.realpath(f) for f in folders if f and os.path.isdir(f)), key=len)


def _clean_environment(scratch: Path) -> dict[str, str]:
    keep = ("PATH", "SYSTEMROOT", "LANG", "LC_ALL")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=str(scratch), TMPDIR=str(scratch), TEMP=str(scratch), TMP=str(scratch))
    # numpy's BLAS threads would fight the grader for the cores on small arrays.
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # Plots go nowhere but to files in the scratch folder: no window, no display needed.
    env.update(MPLBACKEND="Agg")
    return env


def make_scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="grade-scratch-"))


def remove_scratch(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
