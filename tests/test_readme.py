"""README.rst's two commands, exactly as written, each in a new shell with a clean environment.

They run in a copy of the checkout (so nothing is written beside the real one) whose ``.venv``
borrows the installed dependencies of the venv running this suite through a ``.pth`` line: the
install command is run as written, but pip only has the project itself (and its build backend,
from pip's configured index) to install. The
test command runs as written; ``PYTEST_ADDOPTS`` narrows it to one test file so the suite does
not run itself.
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    """The literal blocks of README's quick start: the install command and the test command."""
    text = (ROOT / "README.rst").read_text()
    quick = text.split("Quick start", 1)[1].split("\nCommands\n", 1)[0]
    return [block.strip() for block in re.findall(r"::\n\n((?:    .*\n)+)", quick)]


def _copy_checkout(dest):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            (dest / os.fsdecode(name)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / os.fsdecode(name))


def _clean_env(**extra):
    keep = {k: os.environ[k] for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LANG") if k in os.environ}
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(sys.prefix))
    return {**keep, "PATH": path, **extra}


def test_readme_has_two_commands():
    install, test = readme_commands()
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    assert "python -m pytest" in test


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="borrows the dependencies of the venv running the suite")
def test_readme_commands_run_as_written_in_a_new_shell(tmp_path):
    install, test = readme_commands()
    checkout = tmp_path / "taskgraph-staging"
    checkout.mkdir()
    _copy_checkout(checkout)
    shared = os.environ.get("TASKGRAPH_STAGING_SHARED")
    if shared and os.path.isdir(shared):
        (tmp_path / "shared").symlink_to(os.path.abspath(shared))
    # The venv the install command would create, made beforehand with the suite's dependencies on its path.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(checkout / ".venv")], check=True)
    purelib = Path(sysconfig.get_paths(vars={"base": str(checkout / ".venv"), "platbase": str(checkout / ".venv")})["purelib"])
    purelib.mkdir(parents=True, exist_ok=True)
    (purelib / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    offline = _clean_env(**{k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    done = subprocess.run(["bash", "-c", install], cwd=checkout, env=offline, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (checkout / "out" / "parameters.yml").is_file()

    done = subprocess.run(
        ["bash", "-c", test],
        cwd=checkout,
        env=_clean_env(PYTEST_ADDOPTS="-q -p no:cacheprovider tests/test_naming.py"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"\d+ passed", done.stdout), done.stdout[-2000:]
