"""Generate task graphs of a taskgraph root in-process (plan, tests, diff, benchmarks)."""

import contextlib
import os
import re
import sys
import tempfile

from taskgraph.config import GraphConfig
from taskgraph.generator import TaskGraphGenerator
from taskgraph.parameters import Parameters, ParameterMismatch

from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.model.files import read_graph_config
from .reference_root import REFERENCE_ROOT  # noqa: F401  (graphs.REFERENCE_ROOT, as before)

#: The repository the reference parameters pretend to come from. taskgraph builds
#: file URLs from it, which needs a github.com URL even offline.
REFERENCE_REPOSITORY = "https://github.com/mozilla-releng/staging-reference"

#: Parameters of a Try push of the reference repository.
TRY_DEFAULTS = {
    "base_repository": REFERENCE_REPOSITORY,
    "head_repository": REFERENCE_REPOSITORY,
    "head_rev": "0" * 40,
    "head_ref": "refs/heads/try",
    "base_rev": "0" * 40,
    "repository_type": "git",
    "project": "try",
    "level": "1",
    "owner": "alice@example.com",
    "tasks_for": "hg-push",
    "pushlog_id": "1",
    "pushdate": 1764547200,
    "build_date": 1764547200,
    "moz_build_date": "20251201000000",
    "files_changed": [],
}
#: The same push on a production (level 3) release branch.
PRODUCTION_DEFAULTS = dict(TRY_DEFAULTS, project="mozilla-beta", level="3", head_ref="refs/heads/beta")


def load_config(root):
    """Load and register a taskgraph root's config.yml (at most one root per process,
    as taskgraph itself allows; switching roots re-registers)."""
    root = os.path.abspath(root)
    graph_config = read_graph_config(root)
    if GraphConfig._PATH_MODIFIED and GraphConfig._PATH_MODIFIED != root:
        # taskgraph refuses a second root per process; the registries we fill are
        # keyed by name and idempotent, so re-registering for another root is safe.
        GraphConfig._PATH_MODIFIED = False
    graph_config.register()
    return graph_config


#: What git prints when taskgraph's parameter defaults ask a checkout without an
#: ``origin`` remote for its URL (taskgraph then falls back to an empty URL, and every
#: graph here overrides the repository parameters anyway).
_NO_ORIGIN = re.compile(rb"^error: No such remote 'origin'\r?\n?$")


@contextlib.contextmanager
def _without_missing_origin_noise():
    """Run the block with file descriptor 2 captured; pass everything it wrote on to
    stderr except git's complaint about a missing ``origin`` remote."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = b"".join(line for line in captured.read().splitlines(keepends=True) if not _NO_ORIGIN.match(line))
            if kept:
                os.write(2, kept)


def make_parameters(root, overrides, strict=False):
    """Parameters for ``root`` from ``overrides``, defaults filled and checked."""
    with _without_missing_origin_noise():
        params = Parameters(strict=strict, repo_root=root, **overrides)
    try:
        params.check()
    except ParameterMismatch as e:
        found = " ".join(str(e).split())[:300]
        raise StagingError(f"{found} (give the host's push parameters, such as its repositories, in a --parameters file)", where="parameters")
    return params


class SerialGenerator(TaskGraphGenerator):
    """taskgraph's generator, loading kinds one after another in this process.

    On Linux taskgraph 24 forks a process per kind unless ``TASKGRAPH_SERIAL`` is set;
    for release kinds (many small kinds, each quick to load) the forks cost more than
    they save: ``plan`` took 1.4-1.7x the wall time and twice the CPU forked
    (benchmarks/bench_plan.py measures both). Threads, when asked for with
    ``TASKGRAPH_USE_THREADS``, are left to taskgraph.
    """

    def _load_tasks_forked(self, kinds, kind_graph, parameters):
        return self._load_tasks_serial(kinds, kind_graph, parameters)


def release_earlier_generations():
    """Let the kinds' transform configs of earlier generations be collected.

    taskgraph memoises ``TransformConfig.repo_configs`` with ``functools.cache`` on the
    property, so its cache keeps every config it was asked for alive, and with it the
    kind's upstream tasks: about 31 MB and 79,000 objects per generation of a 12,786-task
    graph, in a process that generates many (``diff``, the benchmarks, the tests), each
    later generation paying for the garbage collector walking them. The memo is pure, so
    emptying it costs a recomputation at most."""
    from taskgraph.transforms.base import TransformConfig

    memo = getattr(TransformConfig.repo_configs, "fget", None)
    if hasattr(memo, "cache_clear"):
        memo.cache_clear()


def generator(root, overrides, production=False, serial=True, graph_config=None):
    """A :class:`TaskGraphGenerator` for ``root`` with Try (or production) defaults
    (a :class:`SerialGenerator` unless ``serial`` is false). ``graph_config``: what
    :func:`load_config` gave for ``root`` when the caller loaded it already. The configs
    of earlier generations are released first (:func:`release_earlier_generations`)."""
    release_earlier_generations()
    if graph_config is None:
        graph_config = load_config(root)
    base = dict(PRODUCTION_DEFAULTS if production else TRY_DEFAULTS)
    base.update(overrides)
    params = make_parameters(os.path.abspath(root), base)
    cls = SerialGenerator if serial else TaskGraphGenerator
    return cls(root_dir=os.path.abspath(root), parameters=params), graph_config
