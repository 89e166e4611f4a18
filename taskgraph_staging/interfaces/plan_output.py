"""The ``plan --output`` directory: checked before a graph is made, replaced whole.

A plan output holds :data:`MANIFEST`, naming the files the plan wrote. ``--output DIR``
accepts a directory that does not exist, an empty one, or an earlier plan output with
nothing else in it; anything else is refused with one line before the graph is made.

The new output is written into a sibling temporary directory (manifest first, so a
later run knows which files are its own), then swapped with ``DIR`` in one
``renameat2(RENAME_EXCHANGE)``. Only the files the old manifest names are removed. An
interruption at any moment leaves ``DIR`` whole, old or new; a temporary directory an
interrupted run leaves beside it is removed by the next plan to the same ``DIR``.
Where the kernel or filesystem cannot exchange, two renames are used and the next run
puts a displaced old output back if it was interrupted between them.
"""

import ctypes
import errno
import json
import os
import re

import yaml

from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.model.jsontext import dumps_sorted
from .steps import step

MANIFEST = ".taskgraph-staging-plan.json"
WRITER = "taskgraph-staging plan"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _fail(message):
    return StagingError(message, where="--output")


def _manifest_files(path):
    """The files the manifest of directory ``path`` names, or None if it has none."""
    try:
        with open(os.path.join(path, MANIFEST)) as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) and data.get("written-by") == WRITER else None
    if not isinstance(files, list) or not all(isinstance(f, str) and f and "/" not in f and f not in (".", "..") for f in files):
        return None
    return files


def _temp_pattern(name):
    return re.compile(rf"^\.{re.escape(name)}\.plan-(new|old)-(\d+)-[0-9a-f]+$")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_own(path):
    """Remove the files ``path``'s manifest names, the manifest and ``path``; True if gone."""
    files = _manifest_files(path)
    for name in files or ():
        try:
            os.remove(os.path.join(path, name))
        except FileNotFoundError:
            pass
    if files is not None:
        os.remove(os.path.join(path, MANIFEST))
    try:
        os.rmdir(path)
    except OSError:
        return False
    return True


def _discard(path, names):
    """Remove this run's temporary directory ``path`` (only the files it wrote)."""
    for name in names:
        try:
            os.remove(os.path.join(path, name))
        except OSError:
            pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def check(output):
    """The absolute path plan will write, or a one-line :class:`StagingError`.

    Runs before the graph is made: refuses a DIR that is a file, a mount point, the
    current directory (or above it), non-empty without being an earlier plan output,
    under a regular file, on a read-only or full filesystem, or not writable.
    """
    if not output:
        raise _fail("must not be empty; name a directory")
    path = os.path.realpath(output)
    if os.path.exists(path) and not os.path.isdir(path):
        raise _fail(f"{output} exists and is not a directory")
    if os.path.isdir(path):
        if os.path.ismount(path):
            raise _fail(f"{output} is a mount point; plan replaces its output by renaming, give a directory inside it")
        names = sorted(os.listdir(path))
        own = _manifest_files(path)
        if names and own is None:
            raise _fail(
                f"{output} is not empty and is not an earlier plan output ({MANIFEST} missing); "
                "give a new or empty directory"
            )
        extra = [n for n in names if n != MANIFEST and n not in (own or ())]
        if extra:
            raise _fail(f"{output} holds files an earlier plan did not write ({', '.join(extra[:3])}); move them or give another directory")
        cwd = os.path.realpath(os.getcwd())
        if cwd == path or cwd.startswith(path.rstrip("/") + "/"):
            raise _fail(f"{output} is the current directory or above it; give another directory")
    probe = os.path.dirname(path)
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if not os.path.isdir(probe):
        raise _fail(f"{output} is under {probe}, which is not a directory")
    try:
        stat = os.statvfs(probe)
    except OSError as e:
        raise _fail(f"cannot use {output}: {e.strerror}")
    if stat.f_flag & os.ST_RDONLY:
        raise _fail(f"{output} is on a read-only filesystem")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise _fail(f"{probe} is not writable; give a directory you can write")
    if stat.f_bavail == 0 or stat.f_favail == 0:
        raise _fail(f"no space left on the filesystem of {output}")
    return path


def _exchange(a, b):
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), b)


def clean_leftovers(path):
    """Remove the temporary directories interrupted plans to ``path`` left beside it,
    putting back an old output displaced by an interrupted two-rename swap."""
    parent, name = os.path.split(path)
    pattern = _temp_pattern(name)
    try:
        siblings = os.listdir(parent)
    except FileNotFoundError:
        return
    for sibling in sorted(siblings):
        match = pattern.match(sibling)
        if not match or _alive(int(match.group(2))):
            continue
        full = os.path.join(parent, sibling)
        if match.group(1) == "old" and not os.path.exists(path) and _manifest_files(full) is not None:
            os.rename(full, path)
        else:
            _remove_own(full)


def _dump(name, data, fh):
    if name.endswith(".yml"):
        yaml.safe_dump(data, fh, allow_unicode=True, default_flow_style=False)
    else:
        fh.write(dumps_sorted(data))


def _write_file(directory, name, writer):
    with open(os.path.join(directory, name), "w") as fh:
        writer(fh)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(contents, path):
    """Write ``{file name: data}`` as the plan output ``path`` (from :func:`check`); returns ``path``."""
    parent, name = os.path.split(path)
    try:
        os.makedirs(parent, exist_ok=True)
        clean_leftovers(path)
        tmp = os.path.join(parent, f".{name}.plan-new-{os.getpid()}-{os.urandom(4).hex()}")
        os.mkdir(tmp)  # mode follows the umask
    except OSError as e:
        raise _fail(f"cannot write {path}: {e.strerror}")
    try:
        step("plan-output-mkdir")
        _write_file(tmp, MANIFEST, lambda fh: json.dump({"written-by": WRITER, "files": sorted(contents)}, fh, indent=2))
        for file_name, data in contents.items():
            step(f"plan-output-write-{file_name}")
            _write_file(tmp, file_name, lambda fh: _dump(file_name, data, fh))
        _fsync_dir(tmp)
        if os.path.isdir(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
            step("plan-output-swap")
            if _exchange(tmp, path):
                old = tmp
            else:
                old = os.path.join(parent, f".{name}.plan-old-{os.getpid()}-{os.urandom(4).hex()}")
                os.rename(path, old)
                step("plan-output-between-renames")
                os.rename(tmp, path)
            _fsync_dir(parent)
            step("plan-output-remove-old")
            _remove_own(old)
        else:
            step("plan-output-rename")
            os.rename(tmp, path)
            _fsync_dir(parent)
    except OSError as e:
        _discard(tmp, [MANIFEST, *contents])
        raise _fail(f"cannot write {path}: {e.strerror}")
    except BaseException:
        _discard(tmp, [MANIFEST, *contents])
        raise
    return path
