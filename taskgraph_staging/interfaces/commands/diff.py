"""``taskgraph-staging diff``: what a change does to the graphs of the parameter matrix."""

import os
import subprocess
import sys
import tempfile

from taskgraph_staging.model.errors import StagingError

NAME = "diff"
HELP = (
    "Compare the graphs of the parameter matrix at REV (default: the merge base with main) "
    "and in the working tree, or refresh the goldens with --update."
)
MAIN_BRANCHES = ("main", "origin/main")
PACKAGE = __name__.split(".")[0]


def add_arguments(parser):
    parser.add_argument(
        "rev",
        nargs="?",
        metavar="REV",
        help="git revision to compare the working tree with (default: the merge base of HEAD and main)",
    )
    parser.add_argument("--root", default=".", help="taskgraph root (the directory of config.yml; default: .)")
    parser.add_argument("--params", help="directory of parameter files (default: ROOT/tests/params)")
    parser.add_argument("--goldens", help="directory of golden graphs (default: ROOT/tests/goldens)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--update",
        action="store_true",
        help="regenerate the goldens from the working tree and write them (nothing is written if a graph fails)",
    )
    mode.add_argument(
        "--output",
        metavar="DIR",
        help="generate the matrix into DIR (a failing parameter set leaves NAME.error) instead of comparing",
    )


def run(args):
    from taskgraph_staging.analysis import diff

    root = os.path.abspath(args.root)
    params_dir = os.path.abspath(args.params or os.path.join(root, diff.PARAMS_DIR))
    if args.update or args.output:
        if args.rev:
            raise StagingError("REV compares two trees; --update and --output use the working tree only", where="diff")
        output = args.output and os.path.abspath(args.output)
        if output and os.path.isdir(output) and os.listdir(output):
            raise StagingError(f"{output} is not empty; name a new or empty directory", where="diff --output")
        matrix = diff.load_matrix(params_dir)
        outcomes = diff.generate(root, matrix, progress=_progress)
        if args.update:
            target = os.path.abspath(args.goldens or os.path.join(root, diff.GOLDENS_DIR))
            diff.write_dir(target, outcomes)
            print(f"wrote {len(outcomes)} goldens to {target}")
        else:
            diff.write_dir(output, outcomes, allow_errors=True, prune=False)
        return 0
    diff.load_matrix(params_dir)  # fail early on a bad matrix
    return compare_with_rev(root, params_dir, args.rev)


def _progress(name):
    print(f"generating {name}", file=sys.stderr, flush=True)


def git(cwd, *args):
    result = subprocess.run(["git", "-C", cwd, *args], capture_output=True, text=True)
    if result.returncode != 0:
        message = " ".join(result.stderr.split()) or f"git {' '.join(args)} failed"
        raise StagingError(message, where="diff")
    return result.stdout.strip()


def default_rev(toplevel):
    """The merge base of HEAD and the main branch."""
    for branch in MAIN_BRANCHES:
        try:
            return git(toplevel, "merge-base", "HEAD", branch)
        except StagingError:
            continue
    raise StagingError(
        f"no merge base of HEAD with {' or '.join(MAIN_BRANCHES)}; name the revision to compare with", where="diff REV"
    )


def generate_in_subprocess(toplevel, root, params_dir, output):
    """Start generating the matrix with the code of the checkout at ``toplevel``.

    ``python -m`` puts the working directory first on ``sys.path``, so the
    subprocess runs in ``toplevel`` too.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (toplevel, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "taskgraph_staging", "diff", "--root", root, "--params", params_dir]
    return subprocess.Popen(
        command + ["--output", output],
        cwd=toplevel,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process, where):
    _, stderr = process.communicate()
    if process.returncode != 0:
        if "invalid choice: 'diff'" in stderr or "unrecognized arguments: --output" in stderr:
            raise StagingError("this revision predates `taskgraph-staging diff`; compare with a later one", where=where)
        lines = [line for line in stderr.splitlines() if line.strip()]
        raise StagingError(
            f"could not generate the matrix: {lines[-1] if lines else f'exit {process.returncode}'}", where=where
        )


def compare_with_rev(root, params_dir, rev):
    """Print how the working tree's graphs differ from REV's; return 0."""
    from taskgraph_staging.analysis import diff

    toplevel = git(root, "rev-parse", "--show-toplevel")
    rev = rev or default_rev(toplevel)
    commit = git(toplevel, "rev-parse", "--verify", f"{rev}^{{commit}}")
    relative_root = os.path.relpath(root, toplevel)
    with tempfile.TemporaryDirectory(prefix="taskgraph-staging-diff-") as tmp:
        worktree = os.path.join(tmp, "rev")
        git(toplevel, "worktree", "add", "--detach", "--quiet", worktree, commit)
        try:
            if os.path.isdir(os.path.join(toplevel, PACKAGE)) and not os.path.isdir(os.path.join(worktree, PACKAGE)):
                # Generating would silently use the installed package instead of REV's.
                raise StagingError(
                    f"{rev} has no {PACKAGE} package to generate with; compare with a later revision", where="diff REV"
                )
            print(f"generating the matrix at {rev} ({commit[:12]}) and in the working tree", file=sys.stderr)
            old_out, new_out = os.path.join(tmp, "old"), os.path.join(tmp, "new")
            old = generate_in_subprocess(worktree, os.path.join(worktree, relative_root), params_dir, old_out)
            new = generate_in_subprocess(toplevel, root, params_dir, new_out)
            _finish(old, f"diff at {rev}")
            _finish(new, "diff in the working tree")
        finally:
            git(toplevel, "worktree", "remove", "--force", worktree)
        set_diffs = diff.compare(diff.read_dir(old_out), diff.read_dir(new_out), old_side=rev, new_side="working-tree")
    for set_diff in set_diffs:
        print(set_diff.report())
    total = len(diff.load_matrix(params_dir))
    print(f"{len(set_diffs)} of {total} parameter sets differ between {rev} and the working tree")
    return 0
