"""The import contracts of .importlinter hold, and break when a module imports upward
or around a circle (issue 13: layers a reader can see)."""

import os
import shutil
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(TOP, ".importlinter")
LINT_IMPORTS = os.path.join(os.path.dirname(sys.executable), "lint-imports")


def lint(package_parent):
    """Run lint-imports on the package found under ``package_parent``."""
    env = dict(os.environ, PYTHONPATH=str(package_parent))
    return subprocess.run(
        [LINT_IMPORTS, "--config", CONFIG, "--no-cache"], capture_output=True, text=True, env=env, cwd=package_parent
    )


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(os.path.join(TOP, "taskgraph_staging"), tmp_path / "taskgraph_staging",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def append(path, line):
    with open(path, "a") as fh:
        fh.write(f"\n{line}\n")


def test_the_package_keeps_its_contracts():
    result = lint(TOP)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_check_reads_the_copy_it_is_given(copy):
    result = lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "module, line, contract",
    [
        pytest.param("model/naming.py", "from taskgraph_staging.analysis import inventory", "Layers", id="model-imports-analysis"),
        pytest.param("staging/transforms/balrog.py", "from taskgraph_staging.interfaces import plan", "Layers",
                     id="staging-imports-interfaces"),
        pytest.param("analysis/guard.py", "from taskgraph_staging.interfaces.commands import audit", "Layers",
                     id="analysis-imports-a-command"),
        pytest.param("model/release.py", "from taskgraph_staging.model import naming", "No import cycle", id="cycle-in-model"),
    ],
)
def test_an_upward_import_or_a_cycle_breaks_a_contract(copy, module, line, contract):
    append(copy / "taskgraph_staging" / module, line)
    result = lint(copy)
    assert result.returncode == 1, result.stdout
    assert "0 broken" not in result.stdout
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
