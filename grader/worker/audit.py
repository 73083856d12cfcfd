"""The audit hook: the worker's second line of defence, and the only one off Linux (PEP 578).

It refuses what a submission has no business doing: starting processes, sending
signals, opening sockets, calling into C through ctypes, reading the reference or
the course files, writing outside the scratch folder. The allow-lists below say
what a submission may read; everything else is refused.
"""

from __future__ import annotations

import os
import sys


# Events refused outright: processes, signals, network, raw memory through ctypes, heap
# walking, changing limits. Prefixes end with a dot. (Loading a library, the event
# `import ctypes`, scipy and matplotlib raise, is checked apart: see _LIBRARY_EVENTS.)
_REFUSED = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile",
    "subprocess.Popen", "pty.spawn", "os.kill", "os.killpg", "signal.pthread_kill", "os.link", "os.symlink",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents", "resource.setrlimit", "resource.prlimit",
    "socket.", "ctypes.", "winreg.", "_winapi.", "msvcrt.",
    "sqlite3.enable_load_extension", "sqlite3.load_extension",
)
# Databases sqlite3 may open: in memory, or a file (not a file: URI, whose path the hook cannot
# see) that the submission may write, i.e. in the scratch folder.
_IN_MEMORY = (":memory:", "", b":memory:", b"")
# ctypes events that only load a library or look up a name in it; calling a function,
# reading an address or making an object from one stays refused.
_LIBRARY_EVENTS = ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle")
# Events whose path arguments are written to (args positions), or read from.
_WRITES = {
    "os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.rename": (0, 1), "os.truncate": (0,),
    "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,), "os.chflags": (0,), "os.lchflags": (0,),
    "os.setxattr": (0,), "os.removexattr": (0,), "os.mkfifo": (0,), "os.mknod": (0,),
    "shutil.rmtree": (0,), "shutil.move": (0, 1), "shutil.copyfile": (1,), "shutil.copytree": (1,),
    "shutil.copymode": (1,), "shutil.copystat": (1,), "shutil.chown": (0,),
}
# Outside Python's own folders, what a submission may read: system libraries, and the
# harmless devices. Not /home, /tmp, /work, /srv, /mnt, nor raw disks.
_SYSTEM_FOLDERS = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/sys", "/opt/homebrew",
                   "/System", "/Library", "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/shm")
# Of /etc, only files Python's standard library and common libraries open themselves: not
# /etc as a whole, which holds /etc/shadow, keys and passwords, readable by a grader running
# as root. Logging a worker's opens while it used numpy, matplotlib, pandas, scipy, time
# zones and platform found os-release and mime.types; the others are where mimetypes,
# time-zone libraries and Debian's matplotlib also look. (The dynamic loader and the C
# library read ld.so.cache and localtime without an audit event.)
_ETC_FILES = (
    "/etc/os-release",  # platform.freedesktop_os_release
    "/etc/localtime", "/etc/timezone",  # the local time zone, for libraries that look for it
    "/etc/mime.types", "/etc/httpd/mime.types", "/etc/httpd/conf/mime.types",  # mimetypes.knownfiles
    "/etc/apache/mime.types", "/etc/apache2/mime.types",
    "/etc/matplotlibrc",  # Debian's and Ubuntu's packaged matplotlib
)
_SYSTEM_FILES = _ETC_FILES + tuple("/private" + path for path in _ETC_FILES)  # macOS: /etc is /private/etc
_PROC_FILES = {"/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/proc/loadavg", "/proc/self", "/proc/thread-self"}


# Where events carry a dir_fd (a path relative to an open folder, which the hook cannot
# resolve): such calls are refused.
_DIR_FDS = {"os.remove": (1,), "os.rmdir": (1,), "os.mkdir": (2,), "os.rename": (2, 3), "os.chmod": (2,),
            "os.chown": (3,), "os.utime": (3,), "os.mkfifo": (2,), "os.mknod": (3,), "shutil.rmtree": (1,)}
_READS = {"os.listdir": (0,), "os.scandir": (0,), "shutil.copyfile": (0,), "shutil.copytree": (0,),
          "os.listxattr": (0,), "os.getxattr": (0,)}


def install(config: dict) -> None:
    """Refuse what a submission has no business doing (PEP 578).

    Not a sandbox on its own (C code can go around it); on Linux the bubblewrap
    layer is the wall, this is the second line and the only one elsewhere. The
    hook keeps its own references to every function, builtin and table it uses,
    so patching os, builtins or this module from the submission does not change
    its decisions; and it only accepts paths given as str or bytes, whose meaning
    no Python code can change between the check and the open.
    """
    import stat

    type_, any_, len_, bool_, list_, reversed_ = type, any, len, bool, list, reversed
    refused, proc_files, library_events = _REFUSED, frozenset(_PROC_FILES), frozenset(_LIBRARY_EVENTS)
    writes, reads, dir_fds = dict(_WRITES), dict(_READS), dict(_DIR_FDS)
    in_memory = frozenset(_IN_MEMORY)
    unaudited = ("_posixsubprocess", "_posixshmem")  # modules replaced before the hook (see limits.harden)

    # Windows paths compare case-insensitively; POSIX ones as they are. (str.lower, not
    # os.path.normcase: that is Python code the submission could patch.)
    fold = (lambda path: path) if os.name == "posix" else str.lower
    scratch = fold(os.path.realpath(config["scratch"]))
    secret = tuple(fold(os.path.realpath(p)) for p in config.get("secret", ()))
    private = tuple(fold(os.path.realpath(p)) for p in config.get("private", ()))
    python = tuple(fold(os.path.realpath(p)) for p in config.get("python", ()))
    devnull = os.devnull
    lstat, readlink, getcwd, fsdecode = os.lstat, os.readlink, os.getcwd, os.fsdecode
    is_link, is_file, sep = stat.S_ISLNK, stat.S_ISREG, os.sep
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    posix = os.name == "posix"
    system = (_SYSTEM_FOLDERS + _SYSTEM_FILES if posix
              else tuple(fold(os.path.realpath(p)) for p in config.get("system", ())))
    full_path = getattr(__import__("nt"), "_getfullpathname", None) if not posix else None

    def real(path: str) -> str:
        """realpath() built only from the C functions captured above."""
        if not posix:
            return fold(full_path(path) if full_path else path)
        if not path.startswith("/"):
            path = getcwd() + "/" + path
        todo, resolved, hops = list_(reversed_(path.split("/"))), "", 0
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if part == "..":
                resolved = resolved.rsplit("/", 1)[0]
                continue
            candidate = resolved + "/" + part
            try:
                mode = lstat(candidate).st_mode
            except OSError:
                resolved = candidate
                continue
            if is_link(mode):
                hops += 1
                if hops > 40:
                    raise PermissionError("too many symbolic links")
                target = readlink(candidate)
                if target.startswith("/"):
                    resolved = ""
                todo.extend(reversed_(target.split("/")))
            else:
                resolved = candidate
        return resolved or "/"

    def is_absolute(path: object) -> bool:
        text = fsdecode(path) if type_(path) is bytes else path
        return text.startswith("/") if posix else len_(text) > 2 and text[1:3] in (":\\", ":/")

    def under(path: str, roots: tuple) -> bool:
        return any_(path == root or path.startswith(root + sep) for root in roots)

    def as_path(value: object) -> str | None:
        kind = type_(value)
        if kind is str:
            return real(value)
        if kind is bytes:
            return real(fsdecode(value))
        return None  # an fd number (opened earlier, so checked then), None, or refused below

    own_proc = f"/proc/{os.getpid()}"

    def readable(path: str) -> bool:
        """An allow-list: Python's folders, the scratch folder, and the system files Python
        and numpy read; never the reference, the course, other submissions, other
        processes' memory, or raw devices, wherever copies of them may lie."""
        if under(path, secret):
            return False
        if under(path, python) or under(path, (scratch,)):
            return True
        if under(path, private):
            return False
        if path.startswith("/proc/"):
            return under(path, (own_proc,)) or path in proc_files
        return under(path, system)

    def check_read(value: object) -> None:
        path = as_path(value)
        if path is None and type_(value) is not int and value is not None:
            raise PermissionError("grading sandbox: give file paths as str (e.g. str(path))")
        if path is not None and not readable(path):
            raise PermissionError(f"grading sandbox: reading {path} is not allowed")

    def check_write(value: object) -> None:
        check_read(value)
        path = as_path(value)
        if path is not None and path != devnull and not under(path, (scratch,)):
            raise PermissionError(f"grading sandbox: writing outside the scratch folder ({path}) is not allowed")

    def check_library(name: object) -> None:
        """A library found by the system's search (a bare name), or one in a readable folder
        that the submission cannot have written (not the scratch folder)."""
        text = fsdecode(name) if type_(name) is bytes else name
        if type_(text) is not str:
            raise PermissionError("grading sandbox: give library paths as str")
        if "/" in text or sep in text:
            path = real(text)
            # Not through /proc or /dev (a memfd's link names any path it likes), not a file the
            # submission wrote: an existing file in Python's or the system's folders only.
            if text.startswith(("/proc", "/dev")) or path.startswith(("/proc", "/dev")) or \
                    not readable(path) or under(path, (scratch,)) or not is_regular(path):
                raise PermissionError(f"grading sandbox: loading the library {path} is not allowed")

    def is_regular(path: str) -> bool:
        try:
            return is_file(lstat(path).st_mode)
        except OSError:
            return False

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if mode is None and type_(path) in (str, bytes) and not is_absolute(path):
                # os.open(): its event leaves out dir_fd, so a relative path may not mean what it seems
                raise PermissionError("grading sandbox: os.open needs an absolute path")
            writing = bool_(flags & write_flags) or (type_(mode) is str and any_(c in mode for c in "wax+"))
            (check_write if writing else check_read)(path)
        elif event == "os.chdir":
            if args and type_(args[0]) is not int:
                check_read(args[0])
                if not under(as_path(args[0]), (scratch,)):
                    raise PermissionError("grading sandbox: stay in the scratch folder")
            elif args:
                raise PermissionError("grading sandbox: os.fchdir is not allowed")
        elif event == "sqlite3.connect":  # it creates its database file without an open event
            database = args[0] if args else None
            if type_(database) not in (str, bytes):
                raise PermissionError("grading sandbox: give sqlite3.connect a str path")
            if database not in in_memory:
                if database[:5] in ("file:", b"file:"):
                    raise PermissionError("grading sandbox: sqlite3 URIs are not allowed")
                check_write(database)
        elif event in library_events:
            if event == "ctypes.dlopen" and args and args[0] is not None:
                check_library(args[0])
        elif event.startswith(refused):
            raise PermissionError(f"grading sandbox: {event} is not allowed")
        elif event in writes or event in reads:
            for i in dir_fds.get(event, ()):
                if i < len_(args) and args[i] is not None and args[i] != -1:  # -1: no dir_fd given
                    raise PermissionError(f"grading sandbox: {event} with dir_fd is not allowed")
            for i in writes.get(event, ()):
                if i < len_(args):
                    check_write(args[i])
            for i in reads.get(event, ()):
                if i < len_(args):
                    check_read(args[i])
        elif event == "import" and args and type_(args[0]) is str and (
                args[0].split(".")[0] in ("solutions", "grader") or any_(m in args[0] for m in unaudited)
                or (len_(args) > 1 and type_(args[1]) is str and any_(m in args[1] for m in unaudited))):
            # The last: the original fork_exec or shm_open loaded again under another name, from its file.
            raise ImportError(f"grading sandbox: importing {args[0]} is not allowed")
        elif event == "object.__setattr__" and len_(args) > 1 and args[1] == "__code__":
            raise PermissionError("grading sandbox: replacing a function's code is not allowed")

    sys.addaudithook(hook)
