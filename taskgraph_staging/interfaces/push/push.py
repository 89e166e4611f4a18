"""Orchestration of ``taskgraph-staging push``: prepare everything, then push once.

:func:`prepare` reads the checkout and the host's config, validates every choice and
computes every file edit without changing anything. :func:`describe` is the dry run;
:func:`push` makes the one commit, pushes it and checks the checkout is as it was.
"""

import difflib
import functools
import getpass
import json
import os
import signal
from dataclasses import dataclass


from taskgraph_staging.model.errors import ConfigError, StagingError
from taskgraph_staging.model.files import read_graph_config
from taskgraph_staging.model.parameters import staging_release
from . import vcs
from .settings import push_settings
from .try_config import TRY_TASK_CONFIG, staging_parameters, try_task_config
from .versions import apply_migrations, format_fields, limit_locales, read_version, set_version, version_values

DEFAULT_PRODUCT = "firefox"
#: The Try ref of a git push: one per namespace, so a push replaces only an earlier
#: push of its own namespace and never a branch of the remote.
DEFAULT_BRANCH_REF = "refs/heads/staging-release/{namespace}"
DETACHED_BRANCH = "staging-{namespace}"


@dataclass(frozen=True)
class PushPlan:
    """Everything a push will do, computed before the checkout is touched."""

    repository: object
    base: str
    #: {path: new text} of every file the commit changes (try_task_config.json included).
    files: dict
    #: {path: text at the base revision, or None for a new file}.
    before: dict
    try_config: dict
    message: str
    remote: str
    ref: str
    user: str
    #: Why the remote cannot be pushed to yet (a dry run needs none), or None.
    remote_problem: object = None
    #: The staging release pushed, and the config it was read with (for the live check).
    release: object = None
    graph_config: object = None


def config_root(repository, root=None):
    """The taskgraph root holding config.yml: ``root``, else ``taskcluster/`` or the top."""
    if root:
        return os.path.abspath(root)
    for candidate in (os.path.join(repository.root, "taskcluster"), repository.root):
        if os.path.isfile(os.path.join(candidate, "config.yml")):
            return candidate
    raise ConfigError(f"no config.yml in {repository.root} or its taskcluster/ directory; pass --root", where="--root")


def reservation_block(reservation_id, registry_url=None):
    """The ``staging`` block a library reservation fixes (namespace, services, id)."""
    from ..library import reservation_parameters  # late: only --reservation needs the library

    return dict(reservation_parameters(reservation_id, registry_url=registry_url))


def _product(choices, settings):
    if choices.product:
        settings.product(choices.product)
        return choices
    names = list(settings.products)
    if DEFAULT_PRODUCT in settings.products or not names:
        name = DEFAULT_PRODUCT
    elif len(names) == 1:
        name = names[0]
    else:
        raise ConfigError(f"config.yml lists several products ({', '.join(names)}); pick one with --product", where="--product")
    settings.product(name)
    return type(choices)(**dict(choices.__dict__, product=name))


def file_edits(read, settings, product, version, migrations=(), limit=True):
    """{path: new text} of the version files, migrations and locale limits.

    ``read(path)`` gives a file's text at the base revision (None if absent).
    """
    files = settings.product(product)
    where = f"config.yml staging-release.products.{product}.version-files"
    if not files.version_files:
        raise ConfigError("lists no version files; a staging release needs at least one", where=where)
    values = version_values(version, files.family)
    edits = {}
    current = None
    for path, kind in files.version_files:
        text = read(path)
        if text is None:
            raise ConfigError(f"{path} is not in the repository at its current revision; fix the path", where=where)
        if current is None:
            current = read_version(text)
        edits[path] = set_version(edits.get(path, text), values[kind])
    fields = format_fields(current, version, files.family)
    edits = apply_migrations(list(migrations), settings.migrations, edits, read, fields)
    if limit and settings.locales_file and settings.limit_locales:
        path = settings.locales_file
        text = edits[path] if path in edits else read(path)
        if text is None:
            raise ConfigError(f"{path} is not in the repository; fix the path", where="config.yml staging-release.locales-file")
        edits[path] = limit_locales(text, settings.limit_locales)
    return edits


def _reader(repository, settings, product, migrations):
    """``read(path)`` at the base revision, the files a push may edit fetched at once."""
    paths = [path for path, _ in settings.product(product).version_files]
    for name in migrations:
        migration = settings.migrations.get(name, {})
        paths += [row[0] for key in ("replacements", "regex-replacements") for row in migration.get(key, ())]
    paths += [settings.locales_file] if settings.locales_file else []
    texts = repository.read_many(paths + [TRY_TASK_CONFIG])

    @functools.lru_cache(maxsize=None)
    def read(path):
        return texts[path] if path in texts else repository.read(path)

    return read


def _ref(settings, repository, namespace):
    branch = repository.branch() if repository.tool == "git" else None
    template = settings.try_ref or DEFAULT_BRANCH_REF
    if "{namespace}" not in template:
        raise ConfigError(
            f"{template!r} must contain {{namespace}}: a push replaces its Try ref, which must be its namespace's own",
            where="config.yml staging-release.try-ref",
        )
    ref = template.format(branch=branch or DETACHED_BRANCH.format(namespace=namespace), namespace=namespace)
    return ref if ref.startswith("refs/") else f"refs/heads/{ref}"


def default_message(params):
    staging = params["staging"]
    return (
        f"staging release: {staging['namespace']} {params['release_product']} {params['version']} "
        f"build{params['build_number']} ({staging['behavior']})"
    )


def prepare(
    choices,
    *,
    migrations=(),
    limit=True,
    message=None,
    remote=None,
    repository=".",
    root=None,
    reservation=None,
    registry=None,
    extra_parameters=None,
    dry_run=False,
):
    """Validate every choice and compute the push; changes nothing. A ``dry_run``
    needs no remote: a missing one is reported by :func:`describe`."""
    repo = vcs.repository(repository)
    base = repo.head()
    graph_config = read_graph_config(config_root(repo, root))
    settings = push_settings(graph_config)
    choices = _product(choices, settings)
    if reservation:
        choices = type(choices)(**dict(choices.__dict__, reservation=reservation_block(reservation, registry)))
    user = repo.user() or getpass.getuser()
    params = staging_parameters(choices, graph_config, user)
    config = try_task_config(params, extra_parameters)
    read = _reader(repo, settings, choices.product, migrations)
    files = file_edits(read, settings, choices.product, params["version"], migrations, limit)
    files[TRY_TASK_CONFIG] = json.dumps(config, indent=2, sort_keys=True) + "\n"
    before = {path: read(path) for path in files}
    files = {path: text for path, text in files.items() if text != before[path]}
    before = {path: before[path] for path in files}
    dirty = repo.uncommitted(sorted(files))
    if dirty:
        raise StagingError(
            f"uncommitted changes to {', '.join(dirty)} would be overwritten; commit, revert or move them first",
            where=repo.root,
        )
    remote = remote or settings.try_remote
    remote_problem = None
    try:
        repo.remote_urls(remote)
    except vcs.VcsError as e:
        if not dry_run:
            raise
        remote_problem = e
    default = default_message(params)
    return PushPlan(
        repository=repo,
        base=base,
        files=files,
        before=before,
        try_config=config,
        message=message.replace("{msg}", default) if message else default,
        remote=remote,
        ref=_ref(settings, repo, params["staging"]["namespace"]),
        user=user,
        remote_problem=remote_problem,
        release=staging_release(params, graph_config),
        graph_config=graph_config,
    )


def describe(plan):
    """The dry run's report: files it would change (with diffs) and try_task_config.json."""
    where = f"{plan.remote} ({plan.ref})" if plan.repository.tool == "git" else plan.remote
    lines = [
        f"Would push one {plan.repository.tool} commit on top of {plan.base[:12]} to {where}:",
        f"  {plan.message}",
    ]
    if plan.remote_problem is not None:
        lines.append(f"  (a real push needs the remote: {plan.remote_problem.one_line()})")
    lines += ["Files it would change:"]
    lines += [f"  {'A' if plan.before[p] is None else 'M'} {p}" for p in sorted(plan.files)]
    for path in sorted(plan.files):
        if path == TRY_TASK_CONFIG or plan.before[path] is None:
            continue
        lines += [
            line.rstrip("\n")
            for line in difflib.unified_diff(
                plan.before[path].splitlines(keepends=True),
                plan.files[path].splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        ]
    lines += [f"{TRY_TASK_CONFIG}:", plan.files[TRY_TASK_CONFIG].rstrip("\n")]
    return "\n".join(lines)


def live_check(plan, live_file=None, skip=False, err=None, allow_shared=False):
    """Refuse a push whose namespace belongs to a staging release in flight, or that
    writes a name shared by nature a release in flight writes too (push-to-releases of
    the same version on one bucket): the refusal lists those names and the dedicated
    service that removes each; ``allow_shared`` (``--allow-shared``) pushes anyway.

    In-flight releases come from ``live_file`` or, where ``TASKCLUSTER_ROOT_URL`` is
    set, the Taskcluster index (see :mod:`taskgraph_staging.analysis.live`). Returns a line saying
    what was checked; raises a one-line :class:`~taskgraph_staging.analysis.live.LiveError`.
    """
    from taskgraph_staging.analysis import live  # late: only a real push reads the index

    if skip:
        return "live check skipped (--no-live-check)"
    if not live_file and not os.environ.get("TASKCLUSTER_ROOT_URL"):
        return "live check skipped: give --live-file, or set TASKCLUSTER_ROOT_URL to read the Taskcluster index"
    result = live.check_before_push(graph_config=plan.graph_config, releases=[plan.release], live_file=live_file)
    live.require_clear(result, allow_shared=allow_shared)
    if result["shared"]:
        return f"live check: namespace {plan.release.namespace} is not in flight; --allow-shared: sharing {', '.join(live.shared_names(result))}"
    return f"live check: namespace {plan.release.namespace} is not in flight"


def describe_push(plan, pushed):
    """One line per URL: what was pushed where, and what it replaced."""
    lines = []
    for url, ref, old in pushed.targets:
        where = plan.remote if url == plan.remote else f"{plan.remote} ({url})"
        if ref is None:
            lines.append(f"Pushed {pushed.commit[:12]} to {where} as a new head: {plan.message}")
            continue
        if old is None:
            replaced = "a new ref"
        elif old == pushed.commit:
            replaced = "it already held this commit"
        else:
            replaced = f"replacing {old[:12]}, the namespace's previous push"
        lines.append(f"Pushed {pushed.commit[:12]} to {where} as {ref} ({replaced}): {plan.message}")
    return lines


class _Interruption:
    """SIGTERM raises like SIGINT; after the first, both are ignored until the push
    has stopped and said whether it landed."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self):
        self.saved = {sig: signal.signal(sig, self._raise) for sig in self.SIGNALS}
        return self

    def _raise(self, signum, frame):
        for sig in self.SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        interruption = KeyboardInterrupt()
        interruption.signum = signum
        raise interruption

    def __exit__(self, *exc):
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)
        return False


def push(plan):
    """Make the one commit, push it to Try and return :class:`~.vcs.Pushed`.

    The checkout is left exactly as it was, whether the push works or not. SIGINT or
    SIGTERM raises :class:`~.vcs.PushInterrupted` saying whether the push landed.
    """
    repo = plan.repository
    before = repo.state()
    with _Interruption():
        try:
            return repo.push(plan.files, plan.message, plan.remote, plan.ref, user=plan.user)
        finally:
            after = repo.state()
            if after != before:
                raise vcs.VcsError(
                    f"the checkout is not as it was before the push (it was at {before['head']}); check it with "
                    f"{repo.tool} status and {repo.tool} log",
                    where=repo.root,
                )
