"""Safe file I/O: inputs read as regular files with capped reads, outputs written atomically.

Owns the rules every command follows at the file-system edge (issue 18):

* an input must be a regular file: a FIFO, device node, socket or folder is refused from its
  ``stat`` before it is ever opened (opening a FIFO blocks; ``/dev/zero`` never ends), and it is
  read with a cap that does not trust ``st_size``;
* a file name with a NUL, or too long for the system, is refused with a message instead of an
  ``OSError`` from deep inside ``pathlib``;
* a hard link inside an allowed folder whose inode is also linked from outside it is refused
  (a symlink check alone cannot see it);
* an output replaces only a regular file of its own kind (a PDF by a PDF, a PNG by a PNG), never
  an input of the same run, a device node or a FIFO; it is written to a temporary file beside the
  target and renamed onto it, and the temporary file is removed on any exception, on SIGINT and
  (in the CLI) on SIGTERM; temporaries left by a process that was killed are removed by the next
  write to the same place.

Nothing here imports anything heavy; the loader, the API and the CLI share it.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import PaibanError

MAX_PATH_BYTES = 4096
"""Longest path accepted (Linux ``PATH_MAX``); longer names are refused before any system call."""

MAX_NAME_BYTES = 255
"""Longest single file or folder name (``NAME_MAX`` of common file systems)."""

READ_CHUNK = 1 << 20
"""Bytes read per call by ``read_capped``."""

STALE_TEMP_SECONDS = 900.0
"""A temporary output file this old is stale even if a process with its pid exists (pid reuse)."""

LINK_SCAN_ENTRIES = 20_000
"""Most folder entries searched for the other names of a hard-linked input."""

TEMP_SUFFIX = ".tmp"
"""Ending of every temporary output file: ``.<name>.<pid>-<random>.tmp`` beside the target."""

MAGIC: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "a PDF"),
    "png": (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    "snapshot": (b"page: # paiban layout snapshot", "a paiban layout snapshot"),
    "plan": (b"# written by paiban plan", "a description written by paiban plan"),
}
"""Output kinds that are recognised by their first bytes: kind → (signature, description)."""

_LIVE_TEMPS: set[str] = set()
"""Temporary files this process is writing now (removed by ``remove_live_temps`` on a signal)."""


class FileProblem(PaibanError):
    """A file that must not be read or replaced; callers add the field and line it came from."""


def kind_of(mode: int) -> str:
    """Describe what a ``st_mode`` is, for messages ("a FIFO (named pipe)", "a folder", …)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def name_problem(name: str | os.PathLike) -> str | None:
    """Return why a path cannot name a file (NUL, too long, not encodable), or None."""
    text = os.fspath(name)
    if isinstance(text, bytes):
        raw = text
    else:
        if "\x00" in text:
            return "the file name contains a NUL character"
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return "the file name contains characters that cannot be encoded"
    if len(raw) > MAX_PATH_BYTES:
        return f"the file name is {len(raw)} bytes long, over the limit of {MAX_PATH_BYTES}"
    longest = max((len(p) for p in raw.split(b"/")), default=0)
    if longest > MAX_NAME_BYTES:
        return (
            f"a part of the file name is {longest} bytes long, over the limit of {MAX_NAME_BYTES}"
        )
    return None


def _short(name: str | os.PathLike, limit: int = 80) -> str:
    """A file name shortened for a message (a 5,000-character name is not echoed)."""
    text = repr(os.fspath(name)) if "\x00" in os.fspath(name) else os.fspath(name)
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 4 :]}"


def check_name(name: str | os.PathLike) -> None:
    """Raise ``FileProblem`` if ``name`` cannot name a file."""
    problem = name_problem(name)
    if problem:
        raise FileProblem(f"{_short(name)}: {problem}", hint="use a shorter, plain file name")


def regular_stat(path: str | os.PathLike) -> os.stat_result:
    """Stat ``path`` (following symlinks) and require a regular file; never opens it."""
    check_name(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileProblem("file not found", hint="check the path") from None
    except OSError as exc:
        raise FileProblem(
            f"cannot read it: {exc.strerror}", hint="check the path and its permissions"
        ) from None
    if not stat.S_ISREG(st.st_mode):
        kind = kind_of(st.st_mode)
        hint = "name the file inside it" if stat.S_ISDIR(st.st_mode) else "name an ordinary file"
        raise FileProblem(f"is {kind}, not a regular file", hint=hint)
    return st


def read_capped(path: str | os.PathLike, limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes; raise ``FileProblem`` otherwise.

    The size is found by reading (at most ``limit + 1`` bytes), not from ``st_size``, which a
    file being appended to or a special file system can misstate.
    """
    regular_stat(path)
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileProblem(f"cannot read it: {exc.strerror}", hint="check its permissions") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced between the stat and the open
            raise FileProblem(
                f"is {kind_of(st.st_mode)}, not a regular file", hint="name an ordinary file"
            )
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            block = os.read(fd, min(READ_CHUNK, limit + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
    except OSError as exc:
        raise FileProblem(f"cannot read it: {exc.strerror}", hint="check the file") from None
    finally:
        os.close(fd)
    if total > limit:
        raise FileProblem(
            f"is more than {limit} bytes, over the limit of {limit}", hint="use a smaller file"
        )
    return b"".join(chunks)


def links_outside(path: str | os.PathLike, st: os.stat_result, bases: Iterable[Path]) -> bool:
    """True when a hard-linked file has a name outside ``bases`` (or the search gave up).

    A file with one link is fine. Otherwise the folders are searched for names of the same inode;
    fewer names than ``st_nlink`` means one lies elsewhere (e.g. ``ln /etc/shadow story.md``).
    """
    if st.st_nlink <= 1:
        return False
    found, seen = 0, 0
    stack = list(dict.fromkeys(Path(b) for b in bases))
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > LINK_SCAN_ENTRIES:
                return True
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    est = entry.stat(follow_symlinks=False)
                    if (est.st_dev, est.st_ino) == (st.st_dev, st.st_ino):
                        found += 1
            except OSError:
                continue
    return found < st.st_nlink


# ---------------------------------------------------------------- outputs


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def check_output(
    path: str | os.PathLike, kind: str | None = None, inputs: Iterable[str | os.PathLike] = ()
) -> Path:
    """Check that ``path`` may be written; return its folder. Raise ``FileProblem`` if not.

    Refuses: a name that cannot be a file, a missing folder, an existing folder, FIFO, device
    or socket, any of ``inputs`` (compared by inode, so links and other spellings are caught) and
    an existing non-empty file that is not of ``kind`` (see ``MAGIC``).
    """
    path = Path(path)
    check_name(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        lst = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # the folder checks below say what is wrong
        lst = None
    except OSError as exc:
        raise FileProblem(
            f"{path}: cannot be written: {exc.strerror}", hint="choose another output path"
        ) from None
    st = None
    if lst is not None:
        try:
            st = os.stat(path)
        except OSError:  # a dangling symlink: the rename replaces the link itself
            st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise FileProblem(f"{path} is a folder", hint="give a file name such as output/page05.pdf")
    if not parent.exists():
        raise FileProblem(
            f"output folder {parent} does not exist", hint=f"create it: mkdir -p {parent}"
        )
    if not parent.is_dir():
        raise FileProblem(f"{parent} is not a folder", hint="choose another output path")
    if st is None:
        return parent
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem(
            f"{path} is {kind_of(st.st_mode)}; refusing to replace it",
            hint="write to an ordinary file, e.g. output/page05.pdf",
        )
    for item in inputs:
        try:
            if _same_file(st, os.stat(item)):
                raise FileProblem(
                    f"{path} is an input of this command ({item}); refusing to overwrite it",
                    hint="choose another output name",
                )
        except (OSError, ValueError):
            continue
    if kind in MAGIC and st.st_size:
        magic, what = MAGIC[kind]
        try:
            with open(path, "rb") as fh:  # a regular file: opening cannot block
                head = fh.read(len(magic))
        except OSError:
            head = magic  # unreadable: the write itself reports what matters
        if head and head != magic:
            raise FileProblem(
                f"{path} exists and is not {what}; refusing to overwrite it",
                hint="choose another output name, or delete the file first",
            )
    return parent


def kind_of_data(data: bytes) -> str | None:
    """The ``MAGIC`` kind of some bytes to be written, or None."""
    for kind, (magic, _) in MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def remove_stale_temps(path: str | os.PathLike) -> list[Path]:
    """Remove temporary files of ``path`` left by killed writers; return what was removed.

    A temporary file is stale when the pid in its name no longer runs, or when it is older than
    ``STALE_TEMP_SECONDS`` (a reused pid), or when it has no pid (older versions' names).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}."
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if (
            not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX))
            or entry.path in _LIVE_TEMPS
        ):
            continue
        middle = name[len(prefix) : -len(TEMP_SUFFIX)]
        pid_text = middle.split("-", 1)[0]
        try:
            est = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(est.st_mode):
                continue
            old = now - est.st_mtime > STALE_TEMP_SECONDS
            dead = (
                not pid_text.isdigit()
                or not _pid_alive(int(pid_text))
                or int(pid_text) == os.getpid()
            )
            if old or dead:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def remove_live_temps() -> None:
    """Remove the temporary files this process is writing (called on SIGINT/SIGTERM)."""
    for tmp in list(_LIVE_TEMPS):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _LIVE_TEMPS.discard(tmp)


def write_atomic(
    path: str | os.PathLike,
    data: bytes,
    *,
    kind: str | None = None,
    inputs: Iterable[str | os.PathLike] = (),
) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename).

    ``kind`` defaults to the kind of ``data`` (PDF or PNG by its first bytes); see
    ``check_output`` for what is refused. Raise ``FileProblem`` when the file cannot be written.
    """
    path = Path(path)
    parent = check_output(path, kind or kind_of_data(data), inputs)
    remove_stale_temps(path)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=parent
        )
    except OSError as exc:
        raise FileProblem(
            f"cannot write into {parent}: {exc.strerror}",
            hint="check the folder's permissions or choose another output path",
        ) from None
    _LIVE_TEMPS.add(tmp)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        check_output(
            path, kind or kind_of_data(data), inputs
        )  # the target may have changed meanwhile
        os.replace(tmp, path)
    except BaseException as exc:  # also KeyboardInterrupt/SystemExit: never leave the temp file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _LIVE_TEMPS.discard(tmp)
        if isinstance(exc, OSError):
            raise FileProblem(
                f"cannot write {path}: {exc.strerror}", hint="check permissions and free space"
            ) from None
        raise
    _LIVE_TEMPS.discard(tmp)
    return path


def probe_output(
    path: str | os.PathLike, kind: str | None = None, inputs: Iterable[str | os.PathLike] = ()
) -> None:
    """Check up front that ``path`` may be written and a file can be created beside it."""
    parent = check_output(path, kind, inputs)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{Path(path).name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=parent
        )
    except OSError as exc:
        raise FileProblem(
            f"cannot write into {parent}: {exc.strerror}",
            hint="check the folder's permissions or choose another output path",
        ) from None
    os.close(fd)
    os.unlink(tmp)
