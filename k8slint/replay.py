"""Answering a repeated ``k8slint lint`` with what it printed last time, when nothing it looked at has changed.

A run of ``lint`` is recorded as it goes: every file and folder it looks at
(``os.stat``/``lstat``/``readlink``/``access``, every ``open``, ``scandir``
and ``listdir`` in this process, seen through patched ``os`` functions and an
audit hook), what it wrote to stdout and stderr, and its exit status. When
the run is over, the record is kept in the cache folder under a key made of
everything else the process starts from: its arguments, working directory,
environment, user, Python, import path and whether its streams are
terminals. Together with the files and folders of k8slint's own code and the
import path, that is all a run depends on. Each look is recorded as it was
before the run used what it saw (a status with the very call that returned
it, a folder's entries and a file's status as the listing or the opening
begins), so a change made while the run goes on never matches its record,
and nothing needs looking at again when it ends. The next run with the same key
first looks at the same things again, and when every one of them looks the
same (the same status for a file, the same entries for a folder), prints the
recorded output and exits with the recorded status, before importing click
or anything else.

A run is not recorded when it read stdin, wrote anything but the cache and
its own output, ran a program, used the network, changed directory, crashed,
went without the cache (``--no-cache``, a ``cache_dir`` of its own), printed
more than ``MAX_OUTPUT``, or read a file written so shortly before it that a
later write could keep the file's status (``RACY_NS``, as git's racy index
entries); nor is anything pool workers look at (the per-file work they do is
a function of the files' bytes, which the main process stats, and the
settings). A folder's status counts by kind and identity only (git writes in
``.git`` all the time); its entries are what matters, and those are compared.

Only ``os`` calls made through the module attributes are seen: code that
looks at the tree must use ``os.stat`` (or pathlib, ``os.path``, ``os.walk``,
``glob``, which do, or ``scan`` here) rather than ``DirEntry.stat()``; a look relative to a
folder descriptor (``dir_fd``) makes the run unanswerable.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

from k8slint import cachedir

try:
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

FORMAT = 1  # bump when an entry's shape changes
SUFFIX = ".replay"
MAX_OUTPUT = 16 << 20  # bytes of stdout and stderr worth keeping
RACY_NS = 2_000_000_000  # a file written less than this before a run looked at it may change within its times
_S_IFMT, _S_IFDIR = 0o170000, 0o040000
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WRITE_MODES = frozenset("wax+")
# audit events after which a run's output may depend on more than the files it looked at, or that change the disk
_TAINTING = frozenset(
    {
        "os.chdir",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.startfile",
        "os.system",
        "subprocess.Popen",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "urllib.Request",
    }
)
_CHANGING = frozenset(
    {
        "os.chflags",
        "os.chmod",
        "os.chown",
        "os.link",
        "os.mkdir",
        "os.remove",
        "os.removexattr",
        "os.rename",
        "os.rmdir",
        "os.setxattr",
        "os.symlink",
        "os.truncate",
        "os.utime",
        "shutil.copyfile",
        "shutil.copymode",
        "shutil.copystat",
        "shutil.copytree",
        "shutil.move",
        "shutil.rmtree",
    }
)
_real_stat, _real_lstat, _real_readlink, _real_access, _real_scandir, _real_open = (
    os.stat,
    os.lstat,
    os.readlink,
    os.access,
    os.scandir,
    os.open,
)


def key(argv: list[str]) -> str:
    """The name of the record of a run with ``argv``, from everything the process starts from but its files."""
    digest = blake2b(digest_size=20)
    ttys = []
    for fd in (0, 1, 2):
        try:
            ttys.append(os.get_terminal_size(fd) if os.isatty(fd) else None)
        except OSError:
            ttys.append(None)
    for part in (
        FORMAT,
        argv,
        os.getcwd(),
        sorted(os.environ.items()),
        sys.executable,
        sys.version,
        sys.flags,
        sys.warnoptions,
        sys._xoptions,
        sys.path,
        os.geteuid() if hasattr(os, "geteuid") else None,
        ttys,
    ):
        digest.update(repr(part).encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _entry_path(name: str) -> str:
    return os.path.join(cachedir.entries_dir(cachedir.default_dir()), name[:2], name + SUFFIX)


def answer(name: str) -> None:
    """Print the recorded output of run ``name`` and exit with its status, when nothing it looked at has changed."""
    try:
        _answer(name)
    except KeyboardInterrupt:
        os._exit(130)


def _answer(name: str) -> None:
    try:
        with open(_entry_path(name), "rb") as handle:
            entry = marshal.loads(handle.read())
        version, code, chunks, reports, looks = entry
        if version != FORMAT or not all(fd in (1, 2) and isinstance(chunk, bytes) for fd, chunk in chunks):
            return
        if not unchanged(looks):
            return
    except Exception:  # none yet, unreadable or damaged: the run goes on, and records a new one
        return
    if reports:
        from k8slint.files import write_output

        try:
            for path, data in reports:
                write_output(path, [data])
        except OSError:  # the report file cannot be written as it was: the run says why
            return
    try:
        for fd, chunk in chunks:
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
    except OSError:  # a closed pipe, say: nothing more can be said
        os._exit(1)
    sys.exit(code)


def unchanged(looks: tuple) -> bool:
    """Whether looking again at what a run looked at (``Recorder.looks``) sees the same."""
    stats, lstats, listings, links, accesses = looks
    for path, seen in stats.items():
        if _status(_real_stat, path) != seen:
            return False
    for path, seen in lstats.items():
        if _status(_real_lstat, path) != seen:
            return False
    for path, seen in listings.items():
        if _listing(path) != seen:
            return False
    for path, seen in links.items():
        if _link(path) != seen:
            return False
    return all(_access(path, mode) == seen for (path, mode), seen in accesses.items())


def _status(stat, path: str):
    """What a status says about ``path`` (``_summary``), or the errno of looking."""
    try:
        return _summary(stat(path))
    except OSError as exc:
        return exc.errno


def _summary(found: os.stat_result) -> tuple:
    """A status's kind, identity, size and times; a folder's kind and identity only."""
    if found.st_mode & _S_IFMT == _S_IFDIR:
        return (found.st_mode, found.st_ino, found.st_dev)
    return (found.st_mode, found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _listing(path: str):
    """The entries of folder ``path``, each with its kind (a symbolic link with its target's), or the errno."""
    try:
        with _real_scandir(path) as entries:
            found = [(entry.name, _kind(entry)) for entry in entries]
    except OSError as exc:
        return exc.errno
    found.sort()
    return tuple(found)


def _kind(entry: os.DirEntry) -> str:
    """``d`` a folder, ``f`` a regular file, ``o`` anything else; a symbolic link is ``l`` and its target's kind,
    ``lo`` when the target cannot be looked at (missing, a loop), which ``os.walk`` also counts as no folder."""
    try:
        link = entry.is_symlink()
    except OSError:
        link = False
    try:
        kind = "d" if entry.is_dir() else "f" if entry.is_file() else "o"
    except OSError:
        kind = "o"
    return "l" + kind if link else kind


def scan(path: str):
    """The entries of folder ``path`` with their kinds, as ``_listing`` gives them, or the errno of listing it.

    A walk that lists folders this way lists each once: a run being recorded keeps this very listing,
    where a ``scandir`` of the walk's own would be listed again by the recorder; within ``listing_once``,
    a folder walked again (under another name, by another walk) is not listed again either.
    """
    global _recorder
    absolute = os.path.normpath(os.path.join(_once[0], path)) if _once is not None else None
    found = _once[1].get(absolute) if _once is not None else None
    if found is None:
        recorder = _recorder
        _recorder = None  # the listing's own scandir is no look of the run's
        try:
            found = _listing(path)
        finally:
            _recorder = None if recorder is None or recorder.tainted else recorder
        if _once is not None:
            _once[1][absolute] = found
    recorder = _recorder
    if recorder is not None and path not in recorder.listings and not recorder.is_ours(path):
        recorder.listings[path] = found
    return found


_once: tuple[str, dict] | None = None  # the working directory and the folders listed, within ``listing_once``


class listing_once:  # used as a function: ``with replay.listing_once():``
    """Within the block, ``scan`` lists each folder once, whatever it is called: one run's walks (the files to
    lint, the repository's kustomizations) share one view of the tree, and pay for it once. (A class, not
    ``contextlib``: answering a run imports nothing it can do without.)"""

    def __enter__(self):
        global _once
        self.outermost = _once is None
        if self.outermost:
            _once = (os.getcwd(), {})

    def __exit__(self, *exc):
        global _once
        if self.outermost:
            _once = None


def _link(path: str):
    try:
        return _real_readlink(path)
    except OSError as exc:
        return exc.errno


def _access(path: str, mode: int) -> bool:
    return _real_access(path, mode)


class Recorder:
    """What one run looks at and prints; ``finish`` keeps it when the run may be answered from it next time."""

    def __init__(self, name: str):
        self.name = name
        self.started = time.time_ns()
        self.stats: dict[str, object] = {}
        self.lstats: dict[str, object] = {}
        self.listings: dict[str, object] = {}
        self.links: dict[str, object] = {}
        self.accesses: dict[tuple[str, int], bool] = {}
        self.opened: set[str] = set()
        self.chunks: list[tuple[int, bytes]] = []  # (file descriptor, bytes), as printed
        self.reports: list[tuple[str, bytes]] = []  # (path, bytes) of the report files written (``-o``)
        self.printed = 0
        self.tainted: str | None = None
        self.permitted = False
        root = os.path.abspath(cachedir.default_dir())
        self.ours = root.rstrip(os.sep) + os.sep  # the cache's own files are not part of what a run depends on
        self.root = root
        self.cwd = os.getcwd().rstrip(os.sep) + os.sep

    @property
    def looks(self) -> tuple:
        return (self.stats, self.lstats, self.listings, self.links, self.accesses)

    def taint(self, why: str) -> None:
        """The run cannot be answered from its record: stop recording it."""
        global _recorder
        if self.tainted is None:
            self.tainted = why
        if _recorder is self:
            _recorder = None

    def is_ours(self, path: str) -> bool:
        """Whether ``path`` is in the cache folder (a path that names it in a roundabout way is merely recorded)."""
        if not path.startswith(os.sep):
            path = self.cwd + path
        if ".." in path:
            path = os.path.normpath(path)
        return path.startswith(self.ours) or path == self.root

    def note_status(self, path: str) -> None:
        if path not in self.stats and not self.is_ours(path):
            self.stats[path] = _status(_real_stat, path)

    def note_open(self, path: str, writing: bool) -> None:
        if "__pycache__" in path or self.is_ours(path):  # bytecode the import system writes; the cache itself
            return
        if writing:
            self.taint(f"wrote {path}")
            return
        self.opened.add(path)
        self.note_status(path)

    def note_listing(self, path: str) -> None:
        if path not in self.listings and not self.is_ours(path):
            self.listings[path] = _listing(path)

    def add_code(self) -> None:
        """Look at k8slint's own files and at the import path too: other code answers nothing recorded by this one."""
        package = os.path.dirname(os.path.abspath(__file__))
        tops = [package, os.path.join(os.path.dirname(package), "rules")]
        for top in tops:
            for root, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if d != "__pycache__"]
                self.note_listing(root)
                for name in files:
                    self.note_status(os.path.join(root, name))
        for entry in sys.path:  # a package installed, upgraded or removed; a module that shadows another
            self.note_status(entry or os.curdir)
            self.note_listing(entry or os.curdir)

    def racy(self) -> bool:
        """A file it read was written so shortly before the run that a later write could keep its status."""
        limit = self.started - RACY_NS
        for path in self.opened:
            seen = self.stats.get(path)
            if isinstance(seen, tuple) and len(seen) == 6 and max(seen[4], seen[5]) >= limit:
                return True
        return False

    def save(self, code) -> None:
        if self.tainted or not self.permitted or code not in (0, 1) or self.racy():
            return
        self.add_code()
        path = _entry_path(self.name)
        if not os.path.isdir(os.path.dirname(os.path.dirname(path))):  # the run wrote no cache entry: nor do we
            return
        data = marshal.dumps((FORMAT, code, self.chunks, self.reports, self.looks))
        cachedir.write_entry(path, lambda handle: handle.write(data))


_recorder: Recorder | None = None  # the run being recorded, while nothing has made it unanswerable
_session: Recorder | None = None  # the run whose streams are wrapped, until ``finish``


def _fspath(path) -> str | None:
    """``path`` as a string, or None for a file descriptor (already looked at when it was opened)."""
    if isinstance(path, int):
        return None
    path = os.fspath(path)
    return os.fsdecode(path) if isinstance(path, bytes) else path


def _stat(path, *, dir_fd=None, follow_symlinks=True):
    recorder = _recorder
    name = None if recorder is None or dir_fd is not None else _fspath(path)
    if name is None:
        if dir_fd is not None and recorder is not None:
            recorder.taint("stat relative to a folder descriptor")
        return _real_stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
    table = recorder.stats if follow_symlinks else recorder.lstats
    if name in table or recorder.is_ours(name):
        return _real_stat(path, follow_symlinks=follow_symlinks)
    try:
        found = _real_stat(path, follow_symlinks=follow_symlinks)
    except OSError as exc:
        table[name] = exc.errno
        raise
    table[name] = _summary(found)
    return found


def _lstat(path, *, dir_fd=None):
    return _stat(path, dir_fd=dir_fd, follow_symlinks=False)


def _readlink(path, *, dir_fd=None):
    recorder = _recorder
    if recorder is not None:
        name = _fspath(path)
        if dir_fd is not None or name is None:
            recorder.taint("readlink relative to a folder descriptor")
        elif name not in recorder.links and not recorder.is_ours(name):
            recorder.links[name] = _link(name)
    return _real_readlink(path, dir_fd=dir_fd)


def _access_patched(path, mode, *, dir_fd=None, effective_ids=False, follow_symlinks=True):
    recorder = _recorder
    if recorder is not None:
        name = _fspath(path)
        if dir_fd is not None or effective_ids or not follow_symlinks or name is None:
            recorder.taint("access with options")
        elif not recorder.is_ours(name):
            recorder.accesses.setdefault((name, mode), _real_access(name, mode))
    return _real_access(path, mode, dir_fd=dir_fd, effective_ids=effective_ids, follow_symlinks=follow_symlinks)


def _open(path, flags, mode=0o777, *, dir_fd=None):
    if dir_fd is not None and _recorder is not None:  # the audit event names the path, not what it is relative to
        _recorder.taint("open relative to a folder descriptor")
    return _real_open(path, flags, mode, dir_fd=dir_fd)


def _audit(event: str, args: tuple) -> None:
    global _recorder
    recorder = _recorder
    if recorder is None:
        return
    if event == "open":
        path, mode, flags = args
        name = _fspath(path) if path is not None else None
        if name is not None:
            writing = bool(flags & _WRITE_FLAGS) or (isinstance(mode, str) and not _WRITE_MODES.isdisjoint(mode))
            recorder.note_open(name, writing)
    elif event in ("os.scandir", "os.listdir"):
        path = args[0]
        name = os.curdir if path is None else _fspath(path)
        if name is None:
            recorder.taint(f"{event} of a folder descriptor")
        else:
            _recorder = None  # the listing's own scandir is no look of the run's
            try:
                recorder.note_listing(name)
            finally:
                _recorder = None if recorder.tainted else recorder
    elif event in _TAINTING:
        recorder.taint(event)
    elif event in _CHANGING:
        paths = [_fspath(arg) for arg in args[:2] if isinstance(arg, (str, bytes, os.PathLike))]
        if not paths or not all(recorder.is_ours(path) for path in paths):
            recorder.taint(event)


class _Tee:
    """A binary stream that writes to a real one and keeps a copy of what went through (stdout, stderr)."""

    def __init__(self, stream, fd: int, recorder: Recorder):
        self.stream, self.fd, self.recorder = stream, fd, recorder

    def write(self, data) -> int:
        data = bytes(data)
        recorder = self.recorder
        if not recorder.tainted:
            recorder.printed += len(data)
            if recorder.printed > MAX_OUTPUT:
                recorder.taint("printed too much")
                recorder.chunks.clear()
            else:
                recorder.chunks.append((self.fd, data))
        return self.stream.write(data)

    def close(self) -> None:  # the real stream stays open when the copy is collected
        pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


class _Stdin:
    """Standard input, whose use makes the run's output depend on more than files."""

    def __init__(self, stream, recorder: Recorder):
        self._stream, self._recorder = stream, recorder

    def __getattr__(self, name):
        self._recorder.taint("stdin")
        return getattr(self._stream, name)

    def __iter__(self):
        self._recorder.taint("stdin")
        return iter(self._stream)


_patched: list = []
_hooked = False


def start(name: str) -> Recorder | None:
    """Record the rest of this process's run under ``name`` (``finish`` ends it); None when streams are unusual."""
    global _recorder, _session, _hooked
    import io

    streams = []
    for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
        buffer = getattr(stream, "buffer", None)
        if buffer is None or getattr(stream, "encoding", None) is None:
            return None
        streams.append((fd, stream, buffer))
    recorder = Recorder(name)
    for fd, stream, buffer in streams:
        wrapper = io.TextIOWrapper(
            _Tee(buffer, fd, recorder),
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=stream.line_buffering,
            write_through=True,
        )
        _patched.append((sys, "stdout" if fd == 1 else "stderr", stream))
        setattr(sys, "stdout" if fd == 1 else "stderr", wrapper)
    if sys.stdin is not None:
        _patched.append((sys, "stdin", sys.stdin))
        sys.stdin = _Stdin(sys.stdin, recorder)
    for attr, replacement in (
        ("stat", _stat),
        ("lstat", _lstat),
        ("readlink", _readlink),
        ("access", _access_patched),
        ("open", _open),
    ):
        _patched.append((os, attr, getattr(os, attr)))
        setattr(os, attr, replacement)
    if not _hooked:
        sys.addaudithook(_audit)
        if hasattr(os, "register_at_fork"):  # not on Windows, where workers start afresh
            os.register_at_fork(after_in_child=_forget)
        _hooked = True
    _recorder = _session = recorder
    return recorder


def writing_report(path: str, text: str) -> _Report:
    """``with writing_report(path, text): ...`` around writing a report to ``path`` (``-o``)."""
    return _Report(path, text)


class _Report:
    """While a report is written to a file: its bytes are kept for the record, and the writing is no look."""

    def __init__(self, path: str, text: str):
        self.recorder = _recorder
        if self.recorder is None:
            return
        self.recorder.printed += len(text)
        if self.recorder.printed > MAX_OUTPUT:
            self.recorder.taint("printed too much")
        else:
            self.recorder.reports.append((path, text.encode("utf-8")))
        if path not in self.recorder.opened:  # only written (an answer writes it again, or fails and runs instead)
            self.recorder.stats.pop(path, None)
            self.recorder.lstats.pop(path, None)

    def __enter__(self):
        global _recorder
        _recorder = None  # writing the report (a temporary file renamed into place) changes no input of the run

    def __exit__(self, kind, error, trace):
        global _recorder
        recorder = self.recorder
        if recorder is not None and not recorder.tainted:
            if kind is not None:
                recorder.taint("the report could not be written")
            else:
                _recorder = recorder


def permit(allowed: bool) -> None:
    """Whether the run may be answered from its record (it uses the default cache folder)."""
    if _recorder is not None:
        _recorder.permitted = allowed
        if not allowed:
            _recorder.taint("no cache")


def refuse(why: str) -> None:
    """The run must not be answered from its record (it rewrites a file it reads, say)."""
    if _recorder is not None:
        _recorder.taint(why)


def _forget() -> None:
    """In a forked worker: nothing to record, and its streams are the main process's to keep."""
    global _recorder, _session
    _recorder = _session = None


def finish(code) -> None:
    """Stop recording; keep the record when the run ended with ``code`` 0 or 1 and may be answered from it."""
    global _recorder, _session
    recorder = _session
    if recorder is None:
        return
    _recorder = _session = None
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            recorder.taint("a stream failed")
    while _patched:
        owner, attr, value = _patched.pop()
        setattr(owner, attr, value)
    recorder.save(code)
