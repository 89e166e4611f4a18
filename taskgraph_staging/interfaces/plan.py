"""Plan a staging release offline: options -> parameters, graph, artifacts, summary.

Used by ``taskgraph-staging plan`` (:mod:`taskgraph_staging.interfaces.commands.plan`). Every
input is validated up front through :mod:`taskgraph_staging.model.release` and
:mod:`taskgraph_staging.model.parameters`, so a bad option fails before any graph is made
and before anything is written.
"""

import contextlib
import gc
import os
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from taskgraph_staging.model.choices import ReleaseChoices, release_parameters
from taskgraph_staging.model.errors import InvalidValue, StagingError
from taskgraph_staging.model.files import read_yaml
from taskgraph_staging.model.release import Services, parse_owner
from taskgraph_staging.staging.target_tasks import PHASES, PHASES_OF
from . import plan_output

#: Products of a host whose config.yml names none (neither staging-release.products nor flavors).
PRODUCTS = ("firefox", "fenix")
#: The four artifacts a decision task writes that a plan writes too.
ARTIFACTS = ("parameters.yml", "full-task-graph.json", "target-tasks.json", "task-graph.json")
#: Optimization strategies that would ask Taskcluster; a plan is offline, so they never optimize.
OFFLINE_STRATEGIES = "taskgraph_staging.interfaces.plan:OFFLINE_STRATEGY_OVERRIDES"


def _offline_overrides():
    from taskgraph.optimize import strategies  # noqa: F401  (registers the core strategies)
    from taskgraph.optimize.base import registry

    return {"index-search": registry["never"]}


#: Named by the ``optimize_strategies`` parameter of every plan (see :data:`OFFLINE_STRATEGIES`).
OFFLINE_STRATEGY_OVERRIDES = _offline_overrides()


@dataclass(frozen=True)
class PlanRequest:
    """The options of one plan, as given (strings), before validation."""

    version: str
    root: Optional[str] = None
    behavior: Optional[str] = None
    namespace: Optional[str] = None
    phase: str = "build"
    rc: bool = False
    product: str = "firefox"
    build_number: object = 1
    partials: tuple = ()
    services: Optional[str] = None
    owner: Optional[str] = None
    output: Optional[str] = None
    reservation: Optional[str] = None
    registry: Optional[str] = None
    #: A YAML file of parameters of the host's push (its repositories, git or hg).
    parameters: Optional[str] = None


def read_push_parameters(path):
    """The parameters a ``--parameters`` file gives (a mapping of parameter name to value)."""
    data = read_yaml(path, "--parameters")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidValue("--parameters", [f"{path} must hold a mapping of parameter name to value"])
    return data


def read_services_file(path):
    """The staging services a YAML or JSON file names, validated (an empty file: the defaults)."""
    data = read_yaml(path, "--services")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidValue("--services", [f"{path} must hold a mapping of service name to endpoint"])
    return Services.from_dict(data, where=f"--services {path}")


def reserved_staging_block(request, problems):
    """The ``staging`` block of ``--reservation`` (a library checkout: its slot's
    namespace, services and pools), or None with the reason appended to ``problems``."""
    from .library import reservation_parameters  # late: only --reservation needs the library

    try:
        return reservation_parameters(request.reservation, registry_url=request.registry)
    except StagingError as e:
        problems.append(f"--reservation: {e.one_line()}")
        return None


#: Options that name something: given, they must not be empty (an empty one is not the default).
NAMED_OPTIONS = ("version", "root", "behavior", "namespace", "phase", "product", "services", "owner", "output", "reservation", "registry", "parameters")


def empty_options(request):
    """A problem for every named option given as an empty string or holding a control character."""
    problems = []
    for name in NAMED_OPTIONS:
        value = getattr(request, name)
        flag = f"--{name.replace('_', '-')}"
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{flag}: a version is required" if name == "version" else f"{flag}: must not be empty")
        elif any(ord(c) < 32 or ord(c) == 127 for c in value):
            problems.append(f"{flag}: {value!r} holds a control character (a newline?)")
    return problems


def validate(request, graph_config):
    """Check every option; return the parameter overrides of the plan.

    Raises one :class:`StagingError` listing every problem found, each naming its option.
    """
    from taskgraph_staging.analysis.graphs import TRY_DEFAULTS
    from taskgraph_staging.staging.target_tasks import phase_target_method

    from taskgraph_staging.model.parameters import host_products, release_repository

    problems = empty_options(request)
    if problems:
        raise StagingError("; ".join(problems))
    products = host_products(graph_config) or PRODUCTS
    if request.product not in products:
        problems.append(f"--product: {request.product!r} is not one of {', '.join(products)} (config.yml's products)")
    behavior = request.behavior
    if request.rc:
        if behavior is not None and behavior != "release-rc":
            problems.append(f"--rc: contradicts --behavior {behavior}; --rc means release-rc")
        behavior = "release-rc"
    services = None
    if request.services:
        try:
            services = read_services_file(request.services).to_dict()
        except StagingError as e:
            problems.append(str(e))
    reservation = reserved_staging_block(request, problems) if request.reservation else None
    owner = request.owner.strip() if request.owner is not None else TRY_DEFAULTS["owner"]
    if request.owner is not None and not owner:
        problems.append("--owner: must not be empty")
    elif request.owner is not None:
        try:
            parse_owner(owner, where="--owner")
        except StagingError as e:
            problems.append(str(e))
    choices = ReleaseChoices(
        version=request.version,
        product=request.product if request.product in products else products[0],
        build_number=request.build_number,
        behavior=behavior,
        namespace=request.namespace,
        partials=tuple(request.partials),
        services=services,
        reservation=reservation,
    )
    params = release_parameters(choices, graph_config, owner or TRY_DEFAULTS["owner"], problems)
    target = None
    if request.phase not in PHASES:
        problems.append(f"--phase: {request.phase!r} is not one of {', '.join(PHASES)}")
    else:
        try:
            target = phase_target_method(request.product, request.phase, behavior == "release-rc")
        except ValueError as e:
            hint = ""
            if behavior == "release-rc" and (request.phase, False) in PHASES_OF:
                hint = (f"; an RC reaches the {request.phase} phase as a release, as production's {request.phase}_{request.product} "
                        f"flavor does: plan it with --behavior release{' (without --rc)' if request.rc else ''}")
            problems.append(f"--phase: {e}; RC releases have the phases build, promote and ship{hint}")
    if request.output is not None:
        try:
            plan_output.check(request.output)
        except StagingError as e:
            problems.append(str(e))
    push = {}
    if request.parameters:
        try:
            push = read_push_parameters(request.parameters)
        except StagingError as e:
            problems.append(str(e))
    try:  # the host's release repository (comm_head_* on comm), from --parameters
        release_repository(dict(TRY_DEFAULTS, **push), graph_config)
    except StagingError as e:
        problems.append(f"--parameters: the host's release repository parameters are missing ({e.one_line()}); "
                        "give a YAML file of the host's push parameters")
    if problems:
        raise StagingError("; ".join(problems))
    overrides = dict(
        push,
        **params,
        target_tasks_method=target,
        shipping_phase=None if request.phase == "build" else request.phase,
        optimize_strategies=OFFLINE_STRATEGIES,
    )
    if request.owner is not None:
        overrides["owner"] = owner
    return overrides


@dataclass
class Plan:
    request: PlanRequest
    parameters: object
    graph_config: object
    generator: object

    @property
    def release(self):
        from taskgraph_staging.model.parameters import staging_release

        return staging_release(self.parameters, self.graph_config)


def make_plan(request):
    """Validate ``request`` and generate its staging graph (in memory)."""
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator, load_config

    root = os.path.abspath(request.root or REFERENCE_ROOT)
    graph_config = load_config(root)
    overrides = validate(request, graph_config)
    tgg, graph_config = generator(root, overrides, graph_config=graph_config)
    return Plan(request, tgg.parameters, graph_config, tgg)


#: Root URL artifact references resolve against when the environment names none
#: (task-graph.json holds resolved references, as a decision task's does).
DEFAULT_ROOT_URL = "https://firefox-ci-tc.services.mozilla.com"


@contextlib.contextmanager
def _root_url():
    if os.environ.get("TASKCLUSTER_ROOT_URL") or os.environ.get("TASKCLUSTER_PROXY_URL"):
        yield
        return
    os.environ["TASKCLUSTER_ROOT_URL"] = DEFAULT_ROOT_URL
    try:
        yield
    finally:
        os.environ.pop("TASKCLUSTER_ROOT_URL", None)


def artifact_contents(plan):
    """The four artifacts, as ``{file name: data}``."""
    tgg = plan.generator
    with _root_url():
        task_graph = tgg.morphed_task_graph.to_json()
    return {
        "parameters.yml": dict(**tgg.parameters),
        "full-task-graph.json": tgg.full_task_graph.to_json(),
        "target-tasks.json": list(tgg.target_task_set.tasks.keys()),
        "task-graph.json": task_graph,
    }


def write_artifacts(contents, output):
    """Write ``contents`` as the plan output directory ``output``, replacing an earlier
    plan output whole (see :mod:`taskgraph_staging.interfaces.plan_output`)."""
    return plan_output.write(contents, plan_output.check(output))


def tasks_by_phase_and_kind(taskgraph):
    """``{phase: {kind: count}}`` of a graph (phase ``-`` for tasks without one)."""
    counts = Counter((t.attributes.get("shipping_phase") or "-", t.kind) for t in taskgraph.tasks.values())
    out = {}
    for (phase, kind), n in sorted(counts.items(), key=lambda item: (_phase_order(item[0][0]), item[0][1])):
        out.setdefault(phase, {})[kind] = n
    return out


def _phase_order(phase):
    return PHASES.index(phase) if phase in PHASES else len(PHASES)


def summary(plan):
    """What the plan would run and write, as a JSON-able dict."""
    from taskgraph_staging.analysis.inventory import graph_inventory, inventory_options
    from taskgraph_staging.analysis.isolation import classification_table
    from taskgraph_staging.model.parameters import product_family

    tgg = plan.generator
    release = plan.release
    target_graph = tgg.target_task_graph
    options = inventory_options(plan.graph_config, plan.parameters)
    resources = graph_inventory(target_graph, **options)
    later = graph_inventory([t for label, t in tgg.full_task_graph.tasks.items()
                             if label not in target_graph.tasks and _ships(t, release.product)], **options)
    return {
        "product": release.product,
        "version": release.version,
        "build_number": release.build_number,
        "namespace": str(release.namespace),
        "behavior": str(release.behavior),
        "release_type": release.release_type,
        "partials": [str(p) for p in release.partials],
        #: Whether the product's releases build partial updates (desktop ones do, Android ones do not).
        "partial_updates": product_family(release.product, plan.graph_config) == "desktop",
        "phase": plan.request.phase,
        "target_tasks_method": plan.parameters["target_tasks_method"],
        "full_task_graph": {"tasks": len(tgg.full_task_graph.tasks), "by_phase_and_kind": tasks_by_phase_and_kind(tgg.full_task_graph)},
        "target_task_graph": {"tasks": len(target_graph.tasks), "by_phase_and_kind": tasks_by_phase_and_kind(target_graph)},
        "resources": [r.as_dict() for r in resources],
        "later_resources": [r.as_dict() for r in later],
        "isolation": classification_table(list(resources) + list(later), release),
        "notes": behaviour_notes(tgg.full_task_graph, release),
    }


def behaviour_notes(full_graph, release):
    """What the graph cannot rehearse or verify, as the staging layer recorded it: the
    chosen behaviour's Bouncer aliases bouncerscript refuses, and, on a dedicated Bouncer,
    the alias check bouncerscript makes on the shared staging redirector instead."""
    notes = []
    for label, task in sorted(full_graph.tasks.items()):
        staging = task.task.get("extra", {}).get("staging", {})
        if not _ships(task, release.product):
            continue
        refused = staging.get("bouncer-aliases-of-the-behaviour-refused")
        if refused:
            notes.append(f"{label}: bouncerscript refuses the {release.behavior} behaviour's Bouncer aliases "
                         f"({', '.join(sorted(refused))}) for {release.version}'s products; it updates the version's own "
                         "stand-ins (plan a version of the behaviour to rehearse its aliases)")
        aliases = staging.get("bouncer-aliases") or {}
        if aliases.get("checks_this_instance") is False:
            notes.append(f"{label}: bouncerscript checks the aliases it updates on {aliases['checked_at']}, not on "
                         f"{release.services.bouncer_redirector}; check them there yourself")
    return notes


def _ships(task, product):
    """Whether ``task`` belongs to a release of ``product`` (the full graph holds every product's tasks)."""
    return task.attributes.get("shipping_product") in (None, product)


def _shell_words(words):
    import shlex

    return " ".join(shlex.quote(str(w)) for w in words)


def push_command(request, release):
    """The ``taskgraph-staging push`` that starts on Try the release ``request`` plans."""
    words = ["taskgraph-staging", "push", "--version", release.version]
    if release.product != "firefox":
        words += ["--product", release.product]
    if release.build_number != 1:
        words += ["--build-number", release.build_number]
    if request.behavior or request.rc:
        words += ["--behavior", str(release.behavior)]
    words += ["--namespace", str(release.namespace)]
    for partial in request.partials:
        words += ["--partial", partial]
    for option in ("services", "reservation", "registry"):
        if getattr(request, option):
            words += [f"--{option}", getattr(request, option)]
    return _shell_words(words)


def next_steps(plan, output=None):
    """What to run after this plan: the audit of its output, then the push (a dry run first)."""
    if output:
        audit = _shell_words(["taskgraph-staging", "audit", output]) + "  (with other plans' outputs, or --live: the releases in flight)"
    else:
        audit = "plan again with --output DIR, then taskgraph-staging audit DIR"
    return [audit, push_command(plan.request, plan.release) + " --dry-run  (then without --dry-run)"]


def partials_hint(data):
    """Why a plan without partials may want ``--partial`` ('' when it has some, or its product has none)."""
    if data["partials"] or not data.get("partial_updates", True):
        return ""
    return "; no partial updates: pass --partial VERSION:BUILD (a previous release, e.g. the one this release updates from)"


def _common_dir(names):
    prefix = os.path.commonprefix(list(names))
    return prefix[: prefix.rfind("/") + 1]


#: Above this many names of one (service, instance, kind), the text summary folds them.
FOLD_AFTER = 6


def format_summary(data, output=None):
    """The plan summary as text lines."""
    lines = [
        f"Staging release plan: {data['product']} {data['version']} build {data['build_number']}",
        f"  namespace {data['namespace']}, behaviour {data['behavior']} (release_type {data['release_type']}), "
        f"phase {data['phase']} (target method {data['target_tasks_method']})",
        f"  partials from {', '.join(data['partials']) or 'none'}{partials_hint(data)}",
        f"  full graph {data['full_task_graph']['tasks']} tasks, {data['phase']} graph {data['target_task_graph']['tasks']} tasks",
        *[f"  note: {note}" for note in data.get("notes", ())],
        "",
        "Tasks per phase and kind (full graph; in the target graph):",
    ]
    target = data["target_task_graph"]["by_phase_and_kind"]
    for phase, kinds in data["full_task_graph"]["by_phase_and_kind"].items():
        for kind, n in kinds.items():
            lines.append(f"  {phase:<8} {kind:<44} {n:>6} {target.get(phase, {}).get(kind, 0):>6}")
    lines += ["", f"Resources the {data['phase']} graph would write:"]
    lines += _resource_lines(data["resources"])
    if data["later_resources"]:
        lines += ["", "Resources the later phases of the full graph would write:"]
        lines += _resource_lines(data["later_resources"])
    if data.get("isolation"):
        lines += ["", "Isolation from other staging releases (every phase; see taskgraph-staging audit):"]
        lines += [f"  {row['service']} {row['kind']}: {row['category']} ({_counted(row)}): {row['reason']}" for row in data["isolation"]]
    if output:
        lines += ["", f"Wrote {', '.join(ARTIFACTS)} to {output}"]
    if data.get("next_steps"):
        lines += ["", "Next:"] + [f"  {step}" for step in data["next_steps"]]
    return lines


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counted(row):
    """What an isolation row counts: names, and the tasks writing them."""
    if "names" not in row:
        return str(row["count"])
    return f"{_plural(row['names'], 'name')} written by {_plural(row['tasks'], 'task')}"


def _resource_lines(resources):
    groups = {}
    for r in resources:
        groups.setdefault((r["service"], r["instance"], r["kind"]), {}).setdefault(r["name"], set()).add(r["note"])
    if not groups:
        return ["  (nothing outside Taskcluster)"]
    lines = []
    for (service, instance, kind), names in sorted(groups.items()):
        lines.append(f"  {service} {instance} {kind}:")
        plain = [n for n, notes in names.items() if not any(notes)]
        if len(plain) > FOLD_AFTER and service == "archive":
            lines.append(f"    {len(plain)} key prefixes under {_common_dir(plain) or '/'}")
            names = {n: notes for n, notes in names.items() if any(notes)}
        for name, notes in sorted(names.items()):
            note = "; ".join(sorted(n for n in notes if n))
            lines.append(f"    {name}" + (f"  ({note})" if note else ""))
    return lines


def run_plan(request):
    """Validate, generate, write the artifacts (if asked) and return the summary dict.

    The cyclic collector stays off throughout (taskgraph turns it off while it generates):
    the graph's millions of live objects would be walked again by every collection the
    summary and the artifacts set off, for nothing (0.4 s of a 3 s plan at 1x).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        plan = make_plan(request)
        data = summary(plan)
        if request.output is not None:
            data["output"] = write_artifacts(artifact_contents(plan), request.output)
        data["next_steps"] = next_steps(plan, data.get("output"))
        return data
    finally:
        if enabled:
            gc.enable()

