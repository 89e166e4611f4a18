"""``plan --output DIR``: what it refuses (before any graph is made), and that an
interruption at any step leaves DIR whole, old or new, with nothing else beside it."""

import errno
import json
import os
import signal
import subprocess
import sys

import pytest
from step_killer import killer_env, steps_of

from taskgraph_staging.interfaces import plan_output
from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.interfaces.plan import write_artifacts


def tree(top):
    """{relative path: bytes} of every file under ``top``, and the set of directories."""
    files, dirs = {}, set()
    for dirpath, dirnames, filenames in os.walk(top):
        dirs.update(os.path.relpath(os.path.join(dirpath, d), top) for d in dirnames)
        for name in filenames:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as fh:
                files[os.path.relpath(full, top)] = fh.read()
    return files, dirs


def refused(argv, capsys, monkeypatch=None):
    """Run plan; assert exit 2 and one line; return the line."""
    generated = []
    if monkeypatch is not None:
        from taskgraph_staging.analysis import graphs

        monkeypatch.setattr(graphs, "generator", lambda *a, **k: generated.append(a) or pytest.fail("graph made"))
    code = main(["plan", "--version", "121.0b3", *argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    return err


def test_output_dot_in_a_git_checkout_refuses_and_leaves_it_intact(tmp_path, capsys, monkeypatch):
    repo = tmp_path / "x"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "f").write_text("uncommitted\n")
    before = tree(repo)
    monkeypatch.chdir(repo)
    err = refused(["--output", "."], capsys)
    assert "--output: . is not empty and is not an earlier plan output" in err
    assert tree(repo) == before


@pytest.mark.parametrize(
    "make, argv, message",
    [
        pytest.param(lambda p: (p / "d").mkdir() or (p / "d" / "mine.txt").write_text("x"), ["d"], "d is not empty and is not an earlier plan output", id="non-empty"),
        pytest.param(lambda p: (p / "f").write_text("x"), ["f/out"], "is under", id="under-a-file"),
        pytest.param(lambda p: (p / "f").write_text("x"), ["f/a/b"], "which is not a directory", id="deep-under-a-file"),
        pytest.param(lambda p: (p / "f").write_text("x"), ["f"], "f exists and is not a directory", id="a-file"),
        pytest.param(lambda p: None, [""], "--output: must not be empty", id="empty"),
        pytest.param(lambda p: None, ["/proc"], "/proc is a mount point", id="mount-point"),
    ],
)
def test_refused_before_the_graph_is_made(tmp_path, capsys, monkeypatch, make, argv, message):
    make(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    err = refused(["--output", *argv], capsys, monkeypatch)
    assert message in err
    assert tree(tmp_path) == before


def test_extra_files_in_an_earlier_output_are_refused_and_kept(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    write_artifacts({"a.json": [1]}, str(out))
    (out / "notes.txt").write_text("mine\n")
    before = tree(tmp_path)
    err = refused(["--output", str(out)], capsys, monkeypatch)
    assert "holds files an earlier plan did not write (notes.txt)" in err
    assert tree(tmp_path) == before


def _mount_tmpfs(path, options):
    path.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return result.returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    """Mount tiny tmpfs filesystems under tmp_path (needs root; else the fault-injected
    variants below cover the same code)."""
    mounted = []

    def mount(name, options):
        path = tmp_path / name
        if not _mount_tmpfs(path, options):
            pytest.skip("mounting a tmpfs needs root; test_a_full_disk_by_fault_injection covers ENOSPC")
        mounted.append(path)
        return path

    yield mount
    for path in mounted:
        subprocess.run(["umount", str(path)], check=False)


def test_read_only_filesystem_is_refused_before_the_graph(tmpfs, capsys, monkeypatch):
    ro = tmpfs("ro", "ro,size=64k")
    err = refused(["--output", str(ro / "out")], capsys, monkeypatch)
    assert "is on a read-only filesystem" in err


def test_a_full_disk_is_one_line_and_leaves_nothing(tmpfs, capsys):
    small = tmpfs("small", "size=64k")
    code = main(["plan", "--version", "121.0b3", "--output", str(small / "out")])
    err = capsys.readouterr().err
    assert code == 2 and err.splitlines() == [f"taskgraph-staging plan: error: --output: cannot write {small / 'out'}: No space left on device"]
    assert os.listdir(small) == []


def test_a_full_disk_by_fault_injection(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_artifacts({"a.json": [1]}, str(out))
    before = tree(tmp_path)
    real = plan_output._write_file

    def full(directory, name, writer):
        if name == "b.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(directory, name, writer)

    monkeypatch.setattr(plan_output, "_write_file", full)
    with pytest.raises(plan_output.StagingError, match="--output: cannot write .*: No space left on device"):
        write_artifacts({"a.json": [2], "b.json": [3]}, str(out))
    assert tree(tmp_path) == before


def test_directory_mode_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_artifacts({"a.json": [1]}, str(tmp_path / "out"))
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "out").st_mode & 0o777 == 0o750


def test_replacing_removes_only_what_the_old_plan_wrote(tmp_path):
    out = tmp_path / "out"
    write_artifacts({"a.json": [1], "b.json": [2]}, str(out))
    write_artifacts({"c.json": [3]}, str(out))
    assert sorted(os.listdir(out)) == [plan_output.MANIFEST, "c.json"]
    assert sorted(os.listdir(tmp_path)) == ["out"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_artifacts({"c.json": [3]}, str(empty))
    assert sorted(os.listdir(empty)) == [plan_output.MANIFEST, "c.json"]


WRITER = """
import sys
from taskgraph_staging.interfaces import plan_output
if sys.argv[3] == "two-renames":
    plan_output._exchange = lambda a, b: False
plan_output.write({"a.json": [sys.argv[2]], "b.json": [sys.argv[2]], "c.yml": {"x": sys.argv[2]}}, plan_output.check(sys.argv[1]))
"""


def _write(out, tag, mode, env=None):
    return subprocess.run([sys.executable, "-c", WRITER, str(out), tag, mode], env=env, capture_output=True, text=True)


def _output(out):
    files = tree(out)[0]
    manifest = json.loads(files.pop(plan_output.MANIFEST))
    assert sorted(files) == manifest["files"]
    tags = {json.loads(files[n])[0] for n in ("a.json", "b.json")} | {files["c.yml"].decode().split()[-1]}
    assert len(tags) == 1, files  # never half old, half new
    return tags.pop()


@pytest.mark.parametrize("mode", ["exchange", "two-renames"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["KILL", "TERM"])
def test_an_interruption_at_every_step_leaves_the_old_or_the_new_output(tmp_path, mode, sig):
    out = tmp_path / "out"
    assert _write(out, "old", mode).returncode == 0
    (tmp_path / "hook").mkdir()
    env, log = killer_env(tmp_path / "hook", 0, sig)
    assert _write(out, "new", mode, env).returncode == 0
    steps = steps_of(log)
    assert len(steps) >= 5 and "plan-output-swap" in steps
    for n in range(1, len(steps) + 1):
        assert _write(out, "old", mode).returncode == 0
        env, log = killer_env(tmp_path / "hook", n, sig)
        result = _write(out, "new", mode, env)
        assert result.returncode == -sig, (steps[n - 1], result.stderr)
        assert steps_of(log)[-1] == steps[n - 1]
        if mode == "exchange" or os.path.isdir(out):
            assert _output(out) in ("old", "new"), steps[n - 1]
        else:  # killed between the two renames: the next run puts the old output back first
            assert steps[n - 1] == "plan-output-between-renames"
        # the next run cleans whatever was left beside DIR
        assert _write(out, "next", mode).returncode == 0
        assert _output(out) == "next"
        assert sorted(os.listdir(tmp_path)) == ["hook", "out"], steps[n - 1]
