"""Every malformed input of the corpus: exit 2, one line on stderr, no traceback, nothing written."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fuzz.corpus import cases

HERE = Path(__file__).resolve().parent
ACTION_ROOT = HERE.parent / "actions" / "root"
#: Cases run as a subprocess: those that could serve forever, and a few to prove no traceback reaches stderr.
SUBPROCESS = ("library-serve-archive-", "plan-services-not-utf8", "plan--owner-1", "plan-root-broken", "library-list-registry-1")
#: Cases that still break the contract (issue 20 is not done): each is a strict xfail, so a fix
#: that makes one pass fails the suite until its id is removed from known_failures.txt.
KNOWN_FAILURES = set((HERE / "known_failures.txt").read_text().split())
CORPUS = [
    pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, reason="issue 20: still breaks the contract"))
    if c.id in KNOWN_FAILURES else pytest.param(c, id=c.id)
    for c in cases()
]


def test_the_corpus_is_large_and_covers_every_command():
    corpus = cases()
    assert len(corpus) >= 300
    commands = {c.argv[0] if c.argv else "action-input" for c in corpus if c.argv or c.action_input is not None}
    assert {"plan", "audit", "library", "push", "explain", "diff", "action-input"} <= commands


def _make_files(tmp, files):
    for name, content in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            path.write_bytes(content)


def _snapshot(tmp):
    return sorted(
        (str(p.relative_to(tmp)), p.stat().st_size, p.stat().st_mtime_ns) if p.is_file() else (str(p.relative_to(tmp)),)
        for p in tmp.rglob("*")
    )


def _run_in_process(argv, capsys):
    from taskgraph_staging.interfaces.cli import main

    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _run_subprocess(argv, cwd):
    try:
        done = subprocess.run([sys.executable, "-m", "taskgraph_staging", *argv], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or "", e.stderr or ""
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("case", [p for p in CORPUS if p.values[0].action_input is None])
def test_bad_command_line(case, tmp_path, capsys, monkeypatch):
    work = tmp_path / "w"
    work.mkdir()
    _make_files(work, case.files)
    monkeypatch.chdir(work)
    before = _snapshot(work)
    argv = [a.replace("{tmp}", str(work)) for a in case.argv]
    if case.id.startswith(SUBPROCESS):
        code, out, err = _run_subprocess(argv, work)
    else:
        code, out, err = _run_in_process(argv, capsys)
    lines = err.splitlines()
    assert (code, len(lines)) == (2, 1), f"exit {code}, stderr:\n{err[-3000:]}"
    assert "Traceback" not in err
    assert _snapshot(work) == before, "the bad input wrote something"


@pytest.fixture(scope="module")
def action_graph_config(tmp_path_factory):
    import shutil

    from taskgraph.config import load_graph_config

    base = tmp_path_factory.mktemp("host")
    shutil.copytree(ACTION_ROOT, base / "taskcluster", ignore=shutil.ignore_patterns("__pycache__"))
    (base / ".taskcluster.yml").write_text("version: 1\n")
    return load_graph_config(str(base / "taskcluster"))


@pytest.mark.parametrize("case", [p for p in CORPUS if p.values[0].action_input is not None])
def test_bad_action_input(case, action_graph_config):
    from taskgraph_staging.interfaces.actions.input import InvalidInput, validate_input

    with pytest.raises(InvalidInput) as raised:
        validate_input(case.action_input, action_graph_config)
    assert "\n" not in raised.value.one_line()
