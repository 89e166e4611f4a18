"""Plans of many namespaces for the audit tests: few generated, the rest re-namespaced.

Generated (through taskgraph, cached per session by tests/conftest.py's reference
graphs): the four behaviours in namespace ``alice`` (the graphs other tests use too),
and one plan per behaviour on its own dedicated slot. Derived: every other namespace,
from the generated graph of its behaviour by :func:`isolation.renamespace_json`, which
tests/test_isolation.py checks against a generated graph.
"""

import copy
import functools
import json

from release_graphs import BEHAVIOURS, reference_graph, try_parameters

from taskgraph_staging.analysis.audit import AuditGraph, graph_resources
from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, TRY_DEFAULTS
from taskgraph_staging.analysis.isolation import renamespace_json
from taskgraph_staging.model.parameters import staging_release

NAMESPACES = ("amber", "birch", "cedar", "dune", "elm", "fern", "gale", "heath", "iris", "juniper")


@functools.cache
def graph_config():
    from taskgraph.config import load_graph_config

    return load_graph_config(REFERENCE_ROOT)


def parameters(behaviour, namespace="alice", services=None):
    params = dict(TRY_DEFAULTS, **try_parameters(*behaviour))
    params["staging"] = dict(params["staging"], namespace=namespace)
    if services:
        params["staging"]["services"] = services
    return params


@functools.cache
def _generated_text(behaviour, services_json):
    overrides = try_parameters(*behaviour)
    if services_json != "null":
        overrides["staging"] = dict(overrides["staging"], services=json.loads(services_json))
    return json.dumps(reference_graph(**overrides).to_json())


def plan(behaviour, namespace="alice", services=None):
    """``(tasks, parameters)`` of the full graph of a plan of ``behaviour`` in ``namespace``."""
    text = _generated_text(behaviour, json.dumps(services, sort_keys=True))
    params = parameters(behaviour, namespace, services)
    if namespace != "alice":
        text = renamespace_json(text, staging_release(parameters(behaviour, "alice", services), graph_config()), namespace)
    return json.loads(text), params


def audit_graph(name, tasks, params):
    resources, production, release = graph_resources(tasks, graph_config(), params)
    return AuditGraph(name, resources, release, production, len(tasks))


def ten_namespaces():
    """``[(name, tasks, parameters)]``: the ten namespaces, behaviours taken in turn."""
    out = []
    for i, namespace in enumerate(NAMESPACES):
        behaviour = BEHAVIOURS[i % len(BEHAVIOURS)]
        tasks, params = plan(behaviour, namespace)
        out.append((f"{namespace}-{behaviour[0]}", tasks, params))
    return out


def slot(n):
    """The services of library slot ``n``: every instance and pool its own."""
    return {
        "balrog_admin": f"https://admin.slot{n}.balrog.example.net/api",
        "balrog_public": f"https://slot{n}.balrog.example.net",
        "bouncer_admin": f"https://admin.slot{n}.bouncer.example.net/api",
        "bouncer_redirector": f"https://slot{n}.bouncer.example.net",
        "archive_domain": f"slot{n}.archive.example.net",
        "archive_bucket": f"staging-slot{n}-archive",
        "shipit": f"https://slot{n}.shipit.example.net",
        "dedicated": ["archive", "balrog", "bouncer", "shipit"],
        "pools": {f: f"scriptworker-k8s/gecko-1-{f}-slot{n}" for f in ("beetmover", "balrog", "bouncer", "shipit")},
    }


def edited(tasks, label, edit):
    tasks = copy.deepcopy(tasks)
    edit(tasks[label])
    return tasks


def no_slot_holds(rows):
    """The rows of ``rows`` no library slot isolates: the version bump's files on a staging
    Lando repository (:func:`lando_bumps`), the langpacks on AMO's one staging server and the
    .deb and .rpm packages in the dev pool's one apt and one yum repository (isolation.SHARED_REMEDIES)."""
    return lando_bumps(rows) + [
        r for r in rows if (r["service"], r["kind"]) in (("amo", "langpack"), ("apt", "package"), ("yum", "package"))
    ]


def lando_bumps(rows):
    """The rows of ``rows`` that are the version bump's files on a staging Lando repository:
    what every staging release of one train shares, library slot or not (no slot holds a
    Lando repository; isolation.SHARED_REMEDIES["vcs-bump"])."""
    return [r for r in rows if r["service"] == "vcs" and r["instance"].startswith("lando:staging-") and r["kind"] == "bump"]
