"""Which generated scriptworker tasks the worker suite runs, and which worker runs each.

Two hosts (:data:`HOSTS`): the bundled reference root and the comm host
(``hosts/comm``, issue 17). The default beta graph (every phase of
``firefox-beta-*-alice``) runs every scriptworker task. Every other parameter set of
``tests/params`` runs one task per *shape*: kind, platform and payload form with the
locale collapsed (:func:`shape`); :func:`locale_free` is what "differ only in locale"
means. Every parameter set of the comm host (``hosts/comm/taskcluster/tests/params``:
beta, release, release-rc and ESR, each a ship graph that holds the release's every
phase) runs every scriptworker task, on workers of its own trust domain's pool.
"""

import copy
import json
import os
import re

from taskgraph_staging.analysis import diff
from taskgraph_staging.analysis.conformance import NoSchema, is_scriptworker, queue_task_definition, schema_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARAMS = os.path.join(ROOT, diff.PARAMS_DIR)
SCOPE_PREFIX = "project:releng"
COMM_ROOT = os.path.join(ROOT, "hosts", "comm", "taskcluster")
#: The parameter sets whose every scriptworker task runs: the default beta graph
#: (``taskgraph-staging plan --version 121.0b3 --namespace alice``), phase by phase.
FULL_SETS = ("firefox-beta-build-alice", "firefox-beta-promote-alice", "firefox-beta-push-alice", "firefox-beta-ship-alice")
#: Worker (scriptworker-scripts folder) by the schema folder conformance names.
WORKER_BY_SCHEMA_DIR = {"pushsnapscript": "pushsnapscript"}


class Host:
    """A root whose parameter sets the suite runs: its scope prefix selects each task's
    worker schema, and its trust domain the worker pool (``COT_PRODUCT``) that runs them."""

    def __init__(self, root, every_phase=False):
        from taskgraph_staging.model.files import read_graph_config

        self.root = root
        self.params = os.path.join(root, diff.PARAMS_DIR)
        self.graph_config = read_graph_config(root)
        self.scope_prefix = self.graph_config["scriptworker"]["scope-prefix"]
        self.trust_domain = self.graph_config["trust-domain"]
        #: Its parameter sets hold every phase of their release (no earlier set has the
        #: earlier phases' tasks): the comm host's ship graphs.
        self.every_phase = every_phase


#: The reference root and the comm host (issue 17).
HOSTS = (Host(ROOT), Host(COMM_ROOT, every_phase=True))


class Selected:
    """One task the suite runs: where it comes from and what its worker receives."""

    def __init__(self, pset, label, task_id, worker, definition, dependencies, shape_count=1, parameters=None, host=None):
        self.pset, self.label, self.task_id, self.worker = pset, label, task_id, worker
        self.definition, self.dependencies, self.shape_count = definition, dependencies, shape_count
        #: The graph's parameters (what a push of this release would have pushed).
        self.parameters = parameters or {}
        #: The :class:`Host` whose graph this task is (the reference root by default).
        self.host = host or HOSTS[0]

    @property
    def id(self):
        return f"{self.pset}:{self.label}"


def worker_for(task_def, scope_prefix=SCOPE_PREFIX):
    """The scriptworker-scripts script that runs ``task_def``, from the schema its
    scopes (under the host's ``scope_prefix``) select (the worker picks its schema the same way);
    a worker of ``WORKERS_NOT_HERE`` for its tasks (iscript for a task on a macOS signing
    pool, whatever its scopes; addonscript for the AMO push)."""
    from taskgraph_staging.model.workers import worker_not_here

    not_here = worker_not_here(task_def, scope_prefix)
    if not_here:
        return not_here
    try:
        return schema_for(task_def, scope_prefix).split("/")[0]
    except NoSchema as e:
        return f"<none: {e}>"


def _locales(task):
    attributes = task.attributes
    found = set()
    for key in ("locale", "chunk_locales", "locales"):
        value = attributes.get(key)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (list, tuple)):
            found.update(v for v in value if isinstance(v, str))
    return found


def locale_free(obj, locales):
    """``obj`` with every locale of ``locales`` written as ``<locale>`` (longest first,
    whole path segments or words only), so two tasks that differ only in locale compare equal."""
    text = json.dumps(obj, sort_keys=True)
    for locale in sorted(locales, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(locale)}(?![A-Za-z0-9])", "<locale>", text)
    return json.loads(text)


def payload_form(definition):
    """A task's payload form: its payload's keys, nested one level, and its scopes' actions."""
    payload = definition.get("payload", {})
    keys = sorted(payload)
    actions = sorted(s.rsplit(":", 1)[-1] for s in definition.get("scopes", []) if ":action:" in s)
    return (tuple(keys), tuple(actions))


LOCALE_ATTRIBUTES = ("locale", "chunk_locales", "locales", "l10n_chunk", "chunk_number", "all_locales")


def shape(task, definition):
    """Kind, platform, payload form, and every other attribute but the locale ones
    (a partial's previous version, a partner, a phase stay apart)."""
    attributes = task.attributes
    others = json.dumps(locale_free({k: v for k, v in attributes.items() if k not in LOCALE_ATTRIBUTES}, _locales(task)), sort_keys=True, default=str)
    # Tasks of one kind and platform whose definitions differ beyond locale (say, partials
    # for some locales only) are separate shapes: the definition, locale-free, is part of the key.
    body = json.dumps(locale_free(task.task, _locales(task)), sort_keys=True)
    return (task.kind, attributes.get("build_platform") or attributes.get("platform") or "", payload_form(definition), bool(_locales(task)), others, body)


def graph_tasks(pset, host=None):
    """``(graph, [(task, queue definition)], parameters)``: the scriptworker tasks that a
    parameter set's target graph defines (tasks of an earlier phase are the earlier set's,
    unless the host's sets hold every phase)."""
    from taskgraph_staging.analysis.graphs import generator

    host = host or HOSTS[0]
    with diff.generation_environment():
        tgg, _ = generator(host.root, pset.overrides, production=pset.production)
        graph = tgg.target_task_graph
        parameters = dict(tgg.parameters)
    phase = pset.overrides.get("shipping_phase")
    found = []
    for label, task in sorted(graph.tasks.items()):
        if not is_scriptworker(task.task):
            continue
        task_phase = task.attributes.get("shipping_phase")
        if host.every_phase:
            pass
        elif phase and task_phase and not phase.startswith(task_phase):
            continue
        if not phase and task_phase not in (None, "build"):
            continue
        found.append((task, queue_task_definition(task)))
    return graph, found, parameters


#: ``TASKGRAPH_STAGING_WORKER_SELECTION``: ``all`` (the default: every task of
#: :data:`FULL_SETS` and of the comm host's sets, one per shape elsewhere) or ``ci``:
#: every parameter set, one task per :func:`ci_shape` (what ``.ci/run`` runs, to fit
#: its time on 2 cores).
SELECTION_ENV = "TASKGRAPH_STAGING_WORKER_SELECTION"
SELECTIONS = ("all", "ci")


def selection():
    """The selection the environment asks for; a ``ValueError`` naming the choices otherwise."""
    chosen = os.environ.get(SELECTION_ENV) or "all"
    if chosen not in SELECTIONS:
        raise ValueError(f"{SELECTION_ENV}={chosen!r}: choose one of {', '.join(SELECTIONS)}")
    return chosen


def ci_shape(task, definition):
    """What the ``ci`` selection keeps one task of, per parameter set: kind, worker pool,
    payload form and the signing formats asked for (so each platform's signing formats,
    Authenticode, GPG, MAR, stay apart), with platform and locale collapsed."""
    formats = sorted({f for a in definition.get("payload", {}).get("upstreamArtifacts", []) if isinstance(a, dict) for f in a.get("formats", [])})
    return (task.kind, definition.get("provisionerId"), definition.get("workerType"), payload_form(definition), tuple(formats))


def select(psets=None, whole=FULL_SETS, hosts=HOSTS, ci=None):
    """Every :class:`Selected` task of the hosts' matrices (the sets of ``whole`` and
    every set of a host whose sets hold every phase: every task; others one per shape),
    and the shape groups ``{(pset, shape): [(task, definition)]}`` collapsed. With ``ci``
    (default: :func:`selection` is ``ci``), every set keeps one task per :func:`ci_shape`
    of those; the groups stay the shape groups."""
    from taskgraph_staging.analysis.conformance import fake_task_id

    if ci is None:
        ci = selection() == "ci"
    if ci:
        whole = ()
    matrix = [(host, pset) for host in hosts for pset in diff.load_matrix(host.params)]
    if psets is not None:
        matrix = [(h, p) for h, p in matrix if p.name in psets]
    selected, groups = [], {}
    for host, pset in matrix:
        if pset.production:
            continue  # production graphs never meet a Try worker
        graph, tasks, parameters = graph_tasks(pset, host)
        chosen = {}
        for task, definition in tasks:
            key = (task.label,) if pset.name in whole or (host.every_phase and not ci) else shape(task, definition)
            groups.setdefault((pset.name, key), []).append((task, definition))
            chosen.setdefault(key, (task, definition))
        if ci:
            kept = {}
            for key, (task, definition) in chosen.items():
                kept.setdefault(ci_shape(task, definition), key)
            chosen = {key: chosen[key] for key in kept.values()}
        for key, (task, definition) in chosen.items():
            deps = {name: (label, fake_task_id(label), graph.tasks[label] if label in graph.tasks else None) for name, label in task.dependencies.items()}
            selected.append(
                Selected(
                    pset.name, task.label, fake_task_id(task.label), worker_for(definition, host.scope_prefix), copy.deepcopy(definition), deps,
                    len(groups[(pset.name, key)]), parameters, host,
                )
            )
    return selected, groups
