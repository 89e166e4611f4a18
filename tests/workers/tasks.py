"""Which generated scriptworker tasks the worker suite runs, and which worker runs each.

The default beta graph (every phase of ``firefox-beta-*-alice``) runs every
scriptworker task. Every other parameter set of ``tests/params`` runs one task per
*shape*: kind, platform and payload form with the locale collapsed
(:func:`shape`); :func:`locale_free` is what "differ only in locale" means.
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
#: The parameter sets whose every scriptworker task runs: the default beta graph
#: (``taskgraph-staging plan --version 121.0b3 --namespace alice``), phase by phase.
FULL_SETS = ("firefox-beta-build-alice", "firefox-beta-promote-alice", "firefox-beta-push-alice", "firefox-beta-ship-alice")
#: Worker (scriptworker-scripts folder) by the schema folder conformance names.
WORKER_BY_SCHEMA_DIR = {"pushsnapscript": "pushsnapscript"}


class Selected:
    """One task the suite runs: where it comes from and what its worker receives."""

    def __init__(self, pset, label, task_id, worker, definition, dependencies, shape_count=1, parameters=None):
        self.pset, self.label, self.task_id, self.worker = pset, label, task_id, worker
        self.definition, self.dependencies, self.shape_count = definition, dependencies, shape_count
        #: The graph's parameters (what a push of this release would have pushed).
        self.parameters = parameters or {}

    @property
    def id(self):
        return f"{self.pset}:{self.label}"


def worker_for(task_def):
    """The scriptworker-scripts script that runs ``task_def``, from the schema its
    scopes select (the worker picks its schema the same way)."""
    try:
        return schema_for(task_def, SCOPE_PREFIX).split("/")[0]
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


def graph_tasks(pset):
    """``(graph, [(task, queue definition)], parameters)``: the scriptworker tasks that a
    parameter set's target graph defines (tasks of an earlier phase are the earlier set's)."""
    from taskgraph_staging.analysis.graphs import generator

    with diff.generation_environment():
        tgg, _ = generator(ROOT, pset.overrides, production=pset.production)
        graph = tgg.target_task_graph
        parameters = dict(tgg.parameters)
    phase = pset.overrides.get("shipping_phase")
    found = []
    for label, task in sorted(graph.tasks.items()):
        if not is_scriptworker(task.task):
            continue
        task_phase = task.attributes.get("shipping_phase")
        if phase and task_phase and not phase.startswith(task_phase):
            continue
        if not phase and task_phase not in (None, "build"):
            continue
        found.append((task, queue_task_definition(task)))
    return graph, found, parameters


def select(psets=None, whole=FULL_SETS):
    """Every :class:`Selected` task of the matrix (the sets of ``whole`` every task,
    others one per shape), and the shape groups ``{(pset, shape): [(task, definition)]}``
    collapsed."""
    from taskgraph_staging.analysis.conformance import fake_task_id

    matrix = diff.load_matrix(PARAMS)
    if psets is not None:
        matrix = [p for p in matrix if p.name in psets]
    selected, groups = [], {}
    for pset in matrix:
        if pset.production:
            continue  # production graphs never meet a Try worker
        graph, tasks, parameters = graph_tasks(pset)
        chosen = {}
        for task, definition in tasks:
            key = (task.label,) if pset.name in whole else shape(task, definition)
            groups.setdefault((pset.name, key), []).append((task, definition))
            chosen.setdefault(key, (task, definition))
        for key, (task, definition) in chosen.items():
            deps = {name: (label, fake_task_id(label), graph.tasks[label] if label in graph.tasks else None) for name, label in task.dependencies.items()}
            selected.append(
                Selected(pset.name, task.label, fake_task_id(task.label), worker_for(definition), copy.deepcopy(definition), deps, len(groups[(pset.name, key)]), parameters)
            )
    return selected, groups
