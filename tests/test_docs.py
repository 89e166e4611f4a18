"""The docs: they build with warnings as errors, the CLI reference holds every option,
the documented commands run, and the messages they quote are the code's."""

import argparse
import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from taskgraph_staging.interfaces.cli import build_parser

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(TOP, "docs")
PACKAGE = os.path.join(TOP, "taskgraph_staging")
#: What a checkout of the reference configuration holds (a host project's files).
REFERENCE_FILES = ("config.yml", ".taskcluster.yml", "kinds", "browser", "build", "config", "mobile")


def rst_sources():
    return sorted(os.path.join(DOCS, n) for n in os.listdir(DOCS) if n.endswith(".rst"))


def code_blocks(path, css_class):
    """``[(language, text)]`` of the ``code-block`` directives of an RST file with ``:class: css_class``."""
    with open(path) as fh:
        lines = fh.read().splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        match = re.match(r"^(\s*)\.\. code-block:: *(\S*)", lines[i])
        if not match:
            i += 1
            continue
        indent, language = len(match.group(1)), match.group(2)
        i += 1
        options = {}
        while i < len(lines) and re.match(r"^\s+:[\w-]+:", lines[i]):
            name, _, value = lines[i].strip()[1:].partition(":")
            options[name] = value.strip()
            i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            body.append(lines[i])
            i += 1
        if css_class in options.get("class", "").split():
            text = "\n".join(body).strip("\n")
            blocks.append((language, "\n".join(line.strip() for line in text.splitlines())))
    return blocks


def runnable_commands():
    """The ``$ taskgraph-staging ...`` lines of the docs' runnable console blocks, in page order."""
    commands = []
    for path in rst_sources():
        for language, text in code_blocks(path, "runnable"):
            assert language == "console", f"{path}: a runnable block must be a console block"
            lines = [line[2:] for line in text.splitlines() if line.startswith("$ ")]
            assert lines, f"{path}: a runnable block without a $ command"
            commands += [(os.path.basename(path), line) for line in lines]
    return commands


# --- the build --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    """The docs built as text with ``sphinx-build -W`` (warnings are errors)."""
    pytest.importorskip("sphinxarg", reason="the docs extra is not installed")
    out = tmp_path_factory.mktemp("docs-text")
    doctrees = tmp_path_factory.mktemp("doctrees")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "text", "-d", str(doctrees), DOCS, str(out)],
        capture_output=True,
        text=True,
        cwd=TOP,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def parser_options(parser, path=()):
    """``{(subcommand path): [option strings and positional names]}`` of every (sub)parser."""
    found = {}
    own = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(parser_options(sub, path + (name,)))
            continue
        own += action.option_strings or [action.metavar or action.dest]
    found[path] = own
    return found


def test_every_cli_option_is_in_the_built_reference(built_docs):
    text = (built_docs / "cli.txt").read_text()
    options = parser_options(build_parser())
    assert set(options) >= {("plan",), ("push",), ("explain",), ("library", "checkout")}
    missing = []
    for path, names in sorted(options.items()):
        for name in [*path, *names]:
            if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                missing.append(f"{' '.join(path) or 'taskgraph-staging'}: {name}")
    assert missing == []


def test_phase_pages_are_generated(built_docs):
    text = (built_docs / "phases.txt").read_text()
    # Every phase the RC flavors run, under the RC section, with the flavor that runs it.
    rc = text[text.index("release-rc\n---") : text.index("esr\n---")]
    assert re.findall(r"-\[ (\w+) phase \]-", rc) == ["Build", "Promote", "Ship"]
    assert '"promote_firefox_rc"' in rc and '"ship_firefox_rc"' in rc
    counts = [int(n) for n in re.findall(r"(\d+) new tasks in \d+ kinds", " ".join(rc.split()))]
    assert len(counts) == 3 and all(counts)


# --- the documented commands --------------------------------------------------------


def run(*args, cwd, env):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture
def reference_checkout(tmp_path):
    """A git checkout of the reference configuration, with a local bare repository as ``try``."""
    env = dict(
        os.environ,
        HOME=str(tmp_path),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PATH=os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]),
    )
    env.pop("TASKCLUSTER_ROOT_URL", None)
    work = tmp_path / "work"
    work.mkdir()
    for name in REFERENCE_FILES:
        source = os.path.join(TOP, name)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, work / name)
    bare = tmp_path / "try.git"
    run("git", "init", "-q", "--bare", str(bare), cwd=tmp_path, env=env)
    run("git", "init", "-q", "-b", "main", cwd=work, env=env)
    run("git", "config", "user.email", "alice@example.com", cwd=work, env=env)
    run("git", "config", "user.name", "Alice", cwd=work, env=env)
    run("git", "add", ".", cwd=work, env=env)
    run("git", "commit", "-q", "-m", "reference", cwd=work, env=env)
    run("git", "remote", "add", "try", str(bare), cwd=work, env=env)
    return work, bare, env


def git_state(work, env):
    return [
        run("git", *args, cwd=work, env=env)
        for args in (("rev-parse", "HEAD"), ("status", "--porcelain", "--untracked-files=all"), ("log", "--all", "--format=%H"))
    ]


def test_runnable_blocks_cover_a_dry_run_push_and_an_rc_plan():
    commands = [shlex.split(line) for _, line in runnable_commands()]
    assert any(c[:2] == ["taskgraph-staging", "push"] and "--dry-run" in c for c in commands)
    assert any(c[:2] == ["taskgraph-staging", "plan"] and ("--rc" in c or "release-rc" in c) for c in commands)


def test_documented_commands_run(reference_checkout):
    work, bare, env = reference_checkout
    before = git_state(work, env)
    pushed = False
    for page, line in runnable_commands():
        argv = shlex.split(line)
        assert argv[0] == "taskgraph-staging", f"{page}: {line}"
        output = run(sys.executable, "-m", "taskgraph_staging", *argv[1:], cwd=work, env=env)
        if argv[1] == "push" and "--dry-run" in argv:
            assert "try_task_config.json:" in output
            assert not run("git", "log", "--all", "--format=%H", cwd=bare, env=env).strip()
        pushed = pushed or (argv[1] == "push" and "--dry-run" not in argv)
        if argv[1] == "plan" and "--output" in argv:
            out = work / argv[argv.index("--output") + 1]
            with open(out / "parameters.yml") as fh:
                params = yaml.safe_load(fh)
            assert (params["release_type"], params["staging"]["behavior"]) == ("release-rc", "release-rc")
            assert sorted(os.listdir(out)) == [".taskgraph-staging-plan.json", "full-task-graph.json", "parameters.yml", "target-tasks.json", "task-graph.json"]
    # The pushes left the checkout as it was (the plan's output aside).
    state = git_state(work, env)
    assert state[0] == before[0] and state[2] == before[2]
    assert [line for line in state[1].splitlines() if not line.startswith("?? out/")] == []
    if pushed:
        head = run("git", "log", "--all", "--format=%H", cwd=bare, env=env).split()[0]
        config = json.loads(run("git", "show", f"{head}:try_task_config.json", cwd=bare, env=env))
        assert config["parameters"]["staging"]["behavior"] == "release-rc"


# --- messages quoted from the code ---------------------------------------------------


def code_strings():
    """Every string literal of the package, f-string placeholders as NUL (adjacent literals joined)."""
    strings = []
    for dirpath, _, filenames in os.walk(PACKAGE):
        for name in filenames:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(dirpath, name)) as fh:
                tree = ast.parse(fh.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    strings.append("".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values))
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    strings.append(node.value)
    return "\n".join(strings)


def fragments(message):
    """The fixed parts of a quoted message: split at ``<placeholders>`` and ``where: `` prefixes."""
    parts = []
    for piece in re.split(r"<[^<>]*>", message):
        for part in piece.split(": "):
            part = part.strip(" '\"")
            if len(part) >= 12:
                parts.append(part)
    return parts


def test_quoted_messages_are_the_codes():
    quoted = [text for path in rst_sources() for _, text in code_blocks(path, "from-code")]
    assert len(quoted) >= 5
    corpus = code_strings()
    missing = [f for message in quoted for f in fragments(message) if f not in corpus]
    assert missing == []


def test_fragments_split_placeholders_and_where_prefixes():
    message = "input.previous_graph_ids: cannot read <artifact> of task <taskId> (<error>); check the task id is a decision or action task"
    assert fragments(message) == ["input.previous_graph_ids", "); check the task id is a decision or action task"]


# --- the extension ----------------------------------------------------------------------


def test_phase_tables_of_an_rc():
    from taskgraph_staging.interfaces.docs_ext import phase_tables

    tables = phase_tables("firefox", "release-rc", "121.0", ("120.0.1:1",))
    assert [(t.phase, t.target_method, t.flavor and t.flavor.name) for t in tables] == [
        ("build", "staging_release_builds", None),
        ("promote", "promote_firefox_rc", "promote_firefox_rc"),
        ("ship", "ship_firefox_rc", "ship_firefox_rc"),
    ]
    ship = {row.kind: (row.tasks, row.families) for row in tables[-1].rows}
    assert ship == {
        "beetmover-apt": (1, ("beetmover",)),
        "beetmover-rpm": (1, ("beetmover",)),
        "release-balrog-scheduling": (1, ("balrog",)),
        "release-bouncer-aliases": (1, ("bouncer",)),
        "release-flatpak-push": (2, ("pushflatpak",)),
        "release-mark-as-shipped": (1, ("shipit",)),
        "release-notify-ship": (1, ("notify",)),
        "release-version-bump": (1, ("lando",)),
        # An RC's beta channel: the secondary kinds.
        "release-secondary-balrog-scheduling": (1, ("balrog",)),
        "release-secondary-flatpak-push": (2, ("pushflatpak",)),
    }
    promote = {row.kind: row for row in tables[1].rows}
    assert promote["release-secondary-update-verify"].tasks == 94
    assert promote["release-secondary-final-verify"].families == ("final-verify",)
    assert promote["release-update-verify"].description.startswith("Run update verify in chunks")
    assert "dep signatures" in promote["release-update-verify"].tells


def test_staging_error_runs_the_command():
    from taskgraph_staging.interfaces.docs_ext import command_error

    assert command_error(["plan", "--version", "121.0b3", "--namespace", "alice-beta"]) == (
        2,
        "taskgraph-staging plan: error: --namespace: 'alice-beta' uses the reserved word(s) beta, "
        "which production names are made of",
    )


def test_guard_example_names_task_value_and_reason():
    from taskgraph_staging.interfaces.docs_ext import guard_example

    lines = guard_example().splitlines()
    assert lines[0].startswith("production guard: 3 production request(s) in a non-production graph")
    assert [line.split(" is production: ")[0].strip() for line in lines[1:]] == [
        "beetmover-repackage-firefox-linux64-en-US: archive instance net-mozaws-prod-delivery-firefox",
        "beetmover-repackage-firefox-linux64-en-US: scope project:releng:beetmover:bucket:release",
        "beetmover-repackage-firefox-linux64-en-US: worker pool scriptworker-k8s/gecko-3-beetmover",
    ]
