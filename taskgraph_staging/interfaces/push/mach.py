"""The ``mach try release`` entry point.

A mach selector declares :data:`ARGUMENTS` (tryselect's ``[[flags], kwargs]``
form) and calls :func:`run` with the parsed arguments::

    from taskgraph_staging.interfaces.push import mach as staging

    class ReleaseParser(BaseTryParser):
        name = "release"
        arguments = staging.ARGUMENTS

    def run(**kwargs):
        return staging.run(**kwargs)

``taskgraph-staging push`` is built from the same arguments.
"""

import argparse
import sys

from taskgraph_staging.model.errors import InvalidValue, StagingError
from taskgraph_staging.model.release import BEHAVIORS
from .try_config import TARGET_TASKS, StagingChoices

#: The staging release's choices.
ARGUMENTS = [
    [["-v", "--version"], {"required": True, "metavar": "VERSION", "help": "Version of the staging release, e.g. 121.0b3."}],
    [["--product"], {"metavar": "PRODUCT", "help": "Product of config.yml staging-release.products (default: firefox)."}],
    [["--build-number"], {"type": int, "default": 1, "metavar": "N", "help": "Build number (default: 1)."}],
    [["--behavior"], {"choices": BEHAVIORS, "help": "How the release automation behaves (default: from the version; never release-rc)."}],
    [["--namespace"], {"metavar": "NAME", "help": "Namespace of every name the release writes (default: from your VCS email or login)."}],
    [
        ["--migration"],
        {"action": "append", "dest": "migrations", "default": [], "metavar": "NAME", "help": "Migration of config.yml staging-release.migrations to apply (repeatable)."},
    ],
    [
        ["--limit-locales"],
        {"action": argparse.BooleanOptionalAction, "default": True, "help": "Trim the locales file to config.yml's limit-locales (default: on)."},
    ],
    [["--tasks"], {"choices": list(TARGET_TASKS), "default": "staging", "help": "Which tasks run on push (default: staging)."}],
    [
        ["--partial"],
        {"action": "append", "dest": "partials", "default": [], "metavar": "VERSION:BUILD[:production|staging]", "help": "A previous release to build partial updates from (repeatable)."},
    ],
    [["--services"], {"metavar": "FILE", "help": "YAML or JSON file with the staging services block."}],
    [["--reservation"], {"metavar": "ID", "help": "Library reservation whose services (and namespace) the release uses."}],
    [["--registry"], {"metavar": "URL", "help": "Library registry holding the reservation (default: the library's default registry)."}],
    [["--live-file"], {"metavar": "FILE", "help": "Staging releases in flight (YAML/JSON, as taskgraph-staging audit --live-file reads); default: the Taskcluster index where TASKCLUSTER_ROOT_URL is set."}],
    [["--no-live-check"], {"action": "store_true", "help": "Push without checking the namespace against staging releases in flight."}],
]

#: How and where to push (mach's own push options cover the message and dry run).
PUSH_ARGUMENTS = [
    [["-m", "--message"], {"metavar": "TEXT", "help": "Commit message; {msg} stands for the default one."}],
    [["--remote"], {"metavar": "NAME_OR_URL", "help": "Try remote (default: config.yml staging-release.try-remote, else 'try')."}],
    [["--dry-run"], {"action": "store_true", "help": "Print the files it would change and try_task_config.json; change nothing."}],
    [["--repository"], {"default": ".", "metavar": "PATH", "help": "The checkout to push from (default: the current directory)."}],
    [["--root"], {"metavar": "DIR", "help": "Taskgraph root with config.yml (default: taskcluster/ or the top of the checkout)."}],
]


def add_arguments(parser, arguments=ARGUMENTS + PUSH_ARGUMENTS):
    for flags, kwargs in arguments:
        parser.add_argument(*flags, **kwargs)


#: Options of mach try's common groups this selector accepts when they are off.
_MACH_OPTIONS_OFF = ("closed_tree", "push_to_lando", "push_to_vcs", "stage_changes")


def push_release(
    version,
    product=None,
    build_number=1,
    behavior=None,
    namespace=None,
    migrations=(),
    limit_locales=True,
    tasks="staging",
    partials=(),
    services=None,
    reservation=None,
    registry=None,
    live_file=None,
    no_live_check=False,
    message=None,
    remote=None,
    dry_run=False,
    repository=".",
    root=None,
    try_config_params=None,
    out=None,
    **mach_options,
):
    """Push a staging release to Try (or describe it with ``dry_run``); returns the revision or None.

    Raises :class:`~taskgraph_staging.model.errors.StagingError` on any user error, with the
    checkout unchanged.
    """
    from ..plan import read_services_file
    from .push import describe, live_check, prepare, push

    out = out or sys.stdout
    unsupported = sorted(k for k, v in mach_options.items() if v and k in _MACH_OPTIONS_OFF)
    unknown = sorted(k for k in mach_options if k not in _MACH_OPTIONS_OFF)
    if unsupported or unknown:
        raise InvalidValue("mach try release", [f"option {k} is not supported by staging releases" for k in unsupported + unknown])
    choices = StagingChoices(
        version=version,
        product=product,
        build_number=build_number,
        behavior=behavior,
        namespace=namespace,
        partials=tuple(partials or ()),
        services=read_services_file(services).to_dict() if services else None,
        tasks=tasks,
    )
    plan = prepare(
        choices,
        migrations=tuple(migrations or ()),
        limit=limit_locales,
        message=message,
        remote=remote,
        repository=repository,
        root=root,
        reservation=reservation,
        registry=registry,
        extra_parameters=try_config_params,
    )
    if dry_run:
        print(describe(plan), file=out)
        return None
    print(live_check(plan, live_file, no_live_check), file=out)
    revision = push(plan)
    where = f"{plan.remote} {plan.ref}" if plan.repository.tool == "git" else plan.remote
    print(f"Pushed {revision[:12]} to {where}: {plan.message}", file=out)
    return revision


def run(**kwargs):
    """What a mach selector calls: returns the exit code (2 on a user error, one line on stderr)."""
    try:
        push_release(**kwargs)
    except StagingError as e:
        print(f"mach try release: error: {e.one_line()}", file=sys.stderr)
        return 2
    return 0
