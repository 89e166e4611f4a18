"""Generate task graphs of a taskgraph root in-process (plan, tests, diff, benchmarks)."""

import os

from taskgraph.config import GraphConfig, load_graph_config
from taskgraph.generator import TaskGraphGenerator
from taskgraph.parameters import Parameters, ParameterMismatch

from taskgraph_staging.model.errors import StagingError

#: The repository the reference parameters pretend to come from. taskgraph builds
#: file URLs from it, which needs a github.com URL even offline.
REFERENCE_REPOSITORY = "https://github.com/mozilla-releng/staging-reference"
REFERENCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

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
    if not os.path.isfile(os.path.join(root, "config.yml")):
        raise StagingError(f"no taskgraph config.yml in {root}", where="--root")
    graph_config = load_graph_config(root)
    if GraphConfig._PATH_MODIFIED and GraphConfig._PATH_MODIFIED != root:
        # taskgraph refuses a second root per process; the registries we fill are
        # keyed by name and idempotent, so re-registering for another root is safe.
        GraphConfig._PATH_MODIFIED = False
    graph_config.register()
    return graph_config


def make_parameters(root, overrides, strict=False):
    """Parameters for ``root`` from ``overrides``, defaults filled and checked."""
    params = Parameters(strict=strict, repo_root=root, **overrides)
    try:
        params.check()
    except ParameterMismatch as e:
        raise StagingError(" ".join(str(e).split())[:400], where="parameters")
    return params


def generator(root, overrides, production=False):
    """A :class:`TaskGraphGenerator` for ``root`` with Try (or production) defaults."""
    graph_config = load_config(root)
    base = dict(PRODUCTION_DEFAULTS if production else TRY_DEFAULTS)
    base.update(overrides)
    params = make_parameters(os.path.abspath(root), base)
    return TaskGraphGenerator(root_dir=os.path.abspath(root), parameters=params), graph_config
