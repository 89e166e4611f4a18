"""The golden machinery (taskgraph_staging.analysis.diff) and ``taskgraph-staging diff``."""

import os
import shutil
import subprocess
import sys

import pytest

from taskgraph_staging.analysis import diff
from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.model.errors import StagingError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: A parameter set with Balrog tasks, used to show what a transform change does.
BALROG_SET = "firefox-beta-promote-alice"
MARKER = "-patched"
#: The naming function whose change the end-to-end tests make.
PATCHED = "balrog_channel"
#: Appended to a copy's naming.py: every Balrog channel of the namespace changes.
PATCH = f"""

_unpatched = {PATCHED}


def {PATCHED}(*args, **kwargs):
    return _unpatched(*args, **kwargs) + "{MARKER}"
"""


# Matrix ---------------------------------------------------------------------


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def test_load_matrix_reads_every_yml_by_name(tmp_path):
    write(tmp_path / "b.yml", "level: '3'\ntarget_tasks_method: ship_firefox\n")
    write(tmp_path / "a.yml", "version: 121.0b3\n")
    write(tmp_path / "README.rst", "not a parameter file")
    matrix = diff.load_matrix(str(tmp_path))
    assert [(p.name, p.overrides, p.production) for p in matrix] == [
        ("a", {"version": "121.0b3"}, False),
        ("b", {"level": "3", "target_tasks_method": "ship_firefox"}, True),
    ]


@pytest.mark.parametrize(
    "files, match",
    [
        pytest.param({}, r"--params: no \*\.yml parameter files in", id="empty"),
        pytest.param({"a.yml": "- 1\n"}, r"a\.yml: must be a mapping", id="not-a-mapping"),
        pytest.param({"a.yml": "a: [\n"}, r"^--params: .*/a\.yml is not valid YAML or JSON \(line 2\)$", id="bad-yaml"),
        pytest.param({"a.yml": b"\xff\xfe\x00bad\n"}, r"^--params: .*/a\.yml is not UTF-8 text \(byte 0\)$", id="not-utf8"),
    ],
)
def test_load_matrix_errors(tmp_path, files, match):
    for name, text in files.items():
        if isinstance(text, bytes):
            (tmp_path / name).write_bytes(text)
        else:
            write(tmp_path / name, text)
    with pytest.raises(StagingError, match=match):
        diff.load_matrix(str(tmp_path))


def test_load_matrix_needs_the_directory(tmp_path):
    with pytest.raises(StagingError, match=r"--params: no parameter directory .*missing"):
        diff.load_matrix(str(tmp_path / "missing"))


def test_phases_share_a_full_graph_key():
    def pset(**overrides):
        return diff.ParameterSet("x", dict({"version": "121.0", "tasks_for": "action"}, **overrides))

    promote = pset(target_tasks_method="promote_firefox", shipping_phase="promote_firefox")
    ship = pset(target_tasks_method="ship_firefox", shipping_phase="ship_firefox")
    assert promote.full_graph_key == ship.full_graph_key
    assert pset(version="121.0b3").full_graph_key != promote.full_graph_key
    assert pset(level="3").full_graph_key != pset().full_graph_key


@pytest.mark.parametrize(
    "shipping_phase, phase",
    [(None, "build"), ("promote_firefox_rc", "promote"), ("push_firefox", "push"), ("ship_fenix", "ship")],
)
def test_phase_of_a_parameter_set(shipping_phase, phase):
    assert diff.ParameterSet("x", {"shipping_phase": shipping_phase}).phase == phase


def test_phase_must_name_a_shipping_phase():
    with pytest.raises(StagingError, match=r"^x: shipping_phase 'nightly_firefox' must start with one of build, pro"):
        diff.ParameterSet("x", {"shipping_phase": "nightly_firefox"}).phase


def test_generation_environment_is_restored(monkeypatch):
    monkeypatch.setenv("TASK_ID", "abcdefghijklmnopqrstuv")
    monkeypatch.delenv("TASKGRAPH_SERIAL", raising=False)
    with diff.generation_environment():
        assert ("TASK_ID" in os.environ, os.environ["TASKGRAPH_SERIAL"]) == (False, "1")
    assert (os.environ["TASK_ID"], "TASKGRAPH_SERIAL" in os.environ) == ("abcdefghijklmnopqrstuv", False)


# Normalization ----------------------------------------------------------------


def test_normalize_replaces_root_in_every_string():
    replacements = diff.path_replacements("/tmp/checkout")
    value = {"/tmp/checkout/k": ["cd /tmp/checkout/product && make", 3, None], "n": {"p": "/tmp/checkoutx"}}
    assert diff.normalize(value, replacements) == {
        "<root>/k": ["cd <root>/product && make", 3, None],
        "n": {"p": "<root>x"},
    }


def test_task_entry_keeps_the_definition_without_label_or_ids():
    from taskgraph.task import Task

    task = Task(kind="k", label="k-a", attributes={"a": 1}, task={"payload": {}}, dependencies={"b": "k-b"})
    task.task_id = "abcdefghijklmnopqrstuv"
    assert diff.task_entry(task) == {
        "kind": "k",
        "description": "",
        "attributes": {"a": 1, "kind": "k"},
        "dependencies": {"b": "k-b"},
        "optimization": None,
        "task": {"payload": {}},
    }


def test_goldens_define_only_their_phase_and_product():
    from taskgraph.graph import Graph
    from taskgraph.task import Task
    from taskgraph.taskgraph import TaskGraph

    def task(label, **attributes):
        return Task(kind="k", label=label, attributes=attributes, task={"cwd": "/r/x"})

    tasks = {
        t.label: t
        for t in (
            task("build-firefox", shipping_phase="build", shipping_product="firefox"),
            task("promote-firefox", shipping_phase="promote", shipping_product="firefox"),
            task("promote-fenix", shipping_phase="promote", shipping_product="fenix"),
            task("docker-image"),
        )
    }
    graph = TaskGraph(tasks, Graph(frozenset(tasks), frozenset()))
    defined = {"kind": "k", "description": "", "optimization": None, "dependencies": {}, "task": {"cwd": "<root>/x"}}
    assert diff.graph_entries(graph, "/r", "promote", "firefox") == {
        "build-firefox": "<build phase>",
        "promote-firefox": dict(
            defined, attributes={"kind": "k", "shipping_phase": "promote", "shipping_product": "firefox"}
        ),
        "promote-fenix": "<fenix>",
        "docker-image": dict(defined, attributes={"kind": "k"}),
    }


# Comparison -----------------------------------------------------------------


def golden(entries, name="set"):
    return diff.Outcome(text=diff.header(name) + diff.dump(entries))


def test_changed_fields_are_dotted_paths():
    old = {"task": {"payload": {"channel_names": ["beta", "beta-localtest"], "x": 1}, "scopes": ["a"]}}
    new = {"task": {"payload": {"channel_names": ["beta", "alice-beta-localtest"], "y": 1}, "scopes": ["a", "b"]}}
    assert diff.changed_fields(old, new) == [
        "task.payload.channel_names[1]",
        "task.payload.x",
        "task.payload.y",
        "task.scopes",
    ]


def test_compare_set_reports_added_removed_and_changed_tasks():
    old = golden({"a": {"task": {"n": 1}}, "b": {"task": {"n": 2}}, "gone": {"task": {}}})
    new = golden({"a": {"task": {"n": 1}}, "b": {"task": {"n": 3}}, "new": {"task": {}}})
    found = diff.compare_set("set", old, new, "golden", "generated")
    assert found.report() == (
        "=== set: 1 added, 1 removed, 1 changed\n"
        "  added:   new\n"
        "  removed: gone\n"
        "  changed: b: task.n\n"
        "--- golden/set.yml b\n"
        "+++ generated/set.yml b\n"
        "@@ -1,3 +1,3 @@\n"
        " b:\n"
        "   task:\n"
        "-    n: 2\n"
        "+    n: 3\n"
    )


@pytest.mark.parametrize(
    "old, new, problem",
    [
        pytest.param(None, diff.Outcome(text="{}\n"), "no graph in golden", id="missing"),
        pytest.param(
            diff.Outcome(text="{}\n"),
            diff.Outcome(error="KeyError: x"),
            "could not generate in generated: KeyError: x",
            id="error",
        ),
        pytest.param(
            diff.Outcome(text="# golden of set\n{}\n"),
            diff.Outcome(text="# generated set\n{}\n"),
            "same tasks, different text",
            id="text-only",
        ),
    ],
)
def test_compare_set_problems(old, new, problem):
    found = diff.compare_set("set", old, new, "golden", "generated")
    assert (found.differs, found.problem) == (True, problem)


def test_compare_lists_only_sets_that_differ():
    same = golden({"a": {"task": {}}})
    assert [d.name for d in diff.compare({"x": same, "y": same}, {"x": same, "y": golden({})})] == ["y"]


def test_write_dir_is_all_or_nothing_and_removes_stale_goldens(tmp_path):
    write(tmp_path / "stale.yml", "{}\n")
    outcomes = {"ok": diff.Outcome(text="{}\n"), "bad": diff.Outcome(error="KeyError: x")}
    with pytest.raises(StagingError, match=r"1 parameter set\(s\) failed, nothing written: bad: KeyError: x"):
        diff.write_dir(str(tmp_path), outcomes)
    assert sorted(os.listdir(tmp_path)) == ["stale.yml"]
    diff.write_dir(str(tmp_path), outcomes, allow_errors=True)
    assert diff.read_dir(str(tmp_path)) == outcomes


def test_diff_output_refuses_a_directory_with_files(tmp_path, capsys):
    write(tmp_path / "notes.yml", "mine\n")
    assert main(["diff", "--output", str(tmp_path), "--root", ROOT]) == 2
    assert capsys.readouterr().err == (
        f"taskgraph-staging diff: error: diff --output: {tmp_path} is not empty; name a new or empty directory\n"
    )
    assert os.listdir(tmp_path) == ["notes.yml"]


def test_diff_refuses_rev_with_update(capsys):
    assert main(["diff", "HEAD", "--update", "--root", ROOT]) == 2
    assert "--update and --output use the working tree only" in capsys.readouterr().err


# A transform change, end to end ---------------------------------------------------


def run(command, cwd, check=True):
    env = dict(os.environ, PYTHONPATH=str(cwd))
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def copy_working_tree(dest):
    """The working tree's files (tracked and untracked, not ignored), without the matrix."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).stdout
    for path in filter(None, listed.split("\0")):
        matrix = path.startswith((diff.PARAMS_DIR + os.sep, diff.GOLDENS_DIR + os.sep))
        if matrix or not os.path.isfile(os.path.join(ROOT, path)):
            continue
        os.makedirs(os.path.join(dest, os.path.dirname(path)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), os.path.join(dest, path))


def commit(repo, message, *paths):
    run(["git", "add", "--force", "--", *paths], repo)  # copied files are tracked or not ignored
    run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message], repo)


@pytest.fixture(scope="module")
def changed_clone(tmp_path_factory):
    """A git repository of the working tree whose matrix is one parameter set with fresh
    goldens, and whose naming.balrog_channel then changes (uncommitted). Its first
    commit predates the package."""
    clone = tmp_path_factory.mktemp("clone") / "repo"
    copy_working_tree(clone)
    os.makedirs(clone / diff.PARAMS_DIR)
    shutil.copy(os.path.join(ROOT, diff.PARAMS_DIR, BALROG_SET + ".yml"), clone / diff.PARAMS_DIR)
    run(["git", "init", "-q"], clone)
    commit(clone, "before the package", "README.rst")
    commit(clone, "the working tree", ".")
    run([sys.executable, "-m", "taskgraph_staging", "diff", "--update"], clone)
    commit(clone, "goldens", diff.GOLDENS_DIR)
    with open(clone / "taskgraph_staging" / "model" / "naming.py", "a") as f:
        f.write(PATCH)
    entries = diff.parse(open(clone / diff.GOLDENS_DIR / (BALROG_SET + ".yml")).read())
    return clone, entries


def changed_scalars(old, new):
    """(old, new) of every changed field of every task."""
    pairs = []
    for label in old:
        for path in diff.changed_fields(old[label], new[label]):
            pairs.append((lookup(old[label], path), lookup(new[label], path)))
    return pairs


def lookup(value, path):
    import re

    # A key may be empty (update_line's "" blob: ``update_line.[1]``).
    for key, index in re.findall(r"(?:^|\.)([^.\[\]]*)|\[(\d+)\]", path):
        value = value[int(index)] if index else value[key]
    return value


def assert_shows_exactly_the_channel_change(output, before):
    """``output`` reports the Balrog channel change and nothing else."""
    header = next(line for line in output.splitlines() if line.startswith(f"=== {BALROG_SET}: "))
    # pytest may show the failure message more than once (it does not truncate it under
    # CI=true), so every reported line counts once.
    lines = list(dict.fromkeys(output.splitlines()))
    changed = [line.split(": ", 2) for line in lines if line.startswith("  changed: ")]
    assert changed, output
    assert any("channel_names" in fields for _, _, fields in changed), "no Balrog channel_names changed"
    assert header == f"=== {BALROG_SET}: 0 added, 0 removed, {len(changed)} changed"
    for _, label, fields in changed:
        assert label in before
        for field in fields.split(", "):
            old = lookup(before[label], field)
            assert isinstance(old, str), (label, field)
    removed = [line[1:] for line in output.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in output.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) > 0
    assert [line.replace(MARKER, "") for line in added] == removed
    assert all(MARKER in line for line in added)


def test_changed_transform_fails_the_golden_test_with_the_changed_fields(changed_clone):
    clone, before = changed_clone
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_goldens.py", "-k", "matches"]
    result = run(command, clone, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert_shows_exactly_the_channel_change(result.stdout, before)


def test_diff_head_shows_the_same_and_leaves_the_tree_alone(changed_clone):
    clone, before = changed_clone
    status = run(["git", "status", "--porcelain"], clone).stdout
    result = run([sys.executable, "-m", "taskgraph_staging", "diff", "HEAD"], clone)
    assert_shows_exactly_the_channel_change(result.stdout, before)
    assert result.stdout.rstrip().endswith("1 of 1 parameter sets differ between HEAD and the working tree")
    assert run(["git", "status", "--porcelain"], clone).stdout == status
    assert run(["git", "worktree", "list", "--porcelain"], clone).stdout.count("worktree ") == 1


def test_diff_refuses_a_revision_without_the_package(changed_clone):
    clone, _ = changed_clone
    first = run(["git", "rev-list", "--max-parents=0", "HEAD"], clone).stdout.split()[0]
    result = run([sys.executable, "-m", "taskgraph_staging", "diff", first], clone, check=False)
    assert (result.returncode, result.stderr) == (
        2,
        f"taskgraph-staging diff: error: diff REV: {first} has no taskgraph_staging package to generate with; "
        "compare with a later revision\n",
    )
    assert run(["git", "worktree", "list", "--porcelain"], clone).stdout.count("worktree ") == 1
