"""Staging releases in flight, and the check a new one passes before it is pushed.

Where the releases in flight come from:

* a file (``--live-file``): a YAML or JSON list of ``{namespace, product, version,
  build_number}``, each optionally with ``graph:`` (a 'plan --output' directory or a
  task-graph json of that release, for a full audit against it);
* the Taskcluster index. A staging release's decision task is indexed at
  :func:`index_path`::

      <trust-domain>.v2.<project>.staging-release.<namespace>.<product>-<version>-build<N>

  with the dots of the version written ``_`` (``firefox-121_0b3-build1``), through the
  route :func:`taskgraph_staging.model.naming.index_route`, which the staging layer puts on the release's first tasks.
  A release is *in flight* while its index entry has not expired. The in-flight graphs
  (``public/full-task-graph.json`` and ``public/parameters.yml`` of the indexed task's
  task group, i.e. its decision task) are fetched for the audit.

:func:`check_before_push` refuses a namespace already in flight and any collision with
an in-flight graph. Only this module talks to the network (``requests``).
"""

import datetime
import os
from dataclasses import dataclass
from typing import Optional

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import StagingError

INDEX_PREFIX = "{trust_domain}.v2.{project}.%s" % naming.INDEX_DIR
GRAPH_ARTIFACT = "public/full-task-graph.json"
PARAMETERS_ARTIFACT = "public/parameters.yml"
TIMEOUT = 30


class LiveError(StagingError):
    """The staging releases in flight cannot be read."""


@dataclass(frozen=True)
class InFlight:
    """A staging release in flight."""

    namespace: str
    product: str
    version: str
    build_number: int
    #: Where it was found: the file, or the index path.
    source: str = ""
    #: The decision task (index) or graph path (file), if known.
    task_id: Optional[str] = None
    graph: Optional[str] = None

    def describe(self):
        return f"{self.product} {self.version} build {self.build_number} in namespace {self.namespace} ({self.source})"


def index_prefix(trust_domain, project="try"):
    return INDEX_PREFIX.format(trust_domain=trust_domain, project=project)


index_leaf = naming.index_leaf


def index_path(trust_domain, release, project="try"):
    """The index path of a staging release in flight (see :func:`naming.index_path`)."""
    return naming.index_path(release, trust_domain, project)


def parse_leaf(leaf, where):
    product, sep, rest = leaf.partition("-")
    version, sep2, build = rest.rpartition("-build")
    if not (sep and sep2 and build.isdigit() and version):
        raise LiveError(f"index entry {leaf!r} is not <product>-<version>-build<N>", where=where)
    return product, version.replace("_", "."), int(build)


# --- file ---------------------------------------------------------------------------


def read_live_file(path):
    """The releases in flight a YAML or JSON file lists."""
    from taskgraph_staging.model.files import read_yaml

    data = read_yaml(path, "--live-file", error=LiveError)
    where = f"--live-file {path}"
    if data is None:
        return []
    if isinstance(data, dict) and "releases" in data:
        data = data["releases"]
    if not isinstance(data, list):
        raise LiveError("must hold a list of {namespace, product, version, build_number}", where=where)
    base = os.path.dirname(os.path.abspath(path))
    found = []
    for i, entry in enumerate(data):
        missing = [k for k in ("namespace", "version") if not isinstance(entry, dict) or not entry.get(k)]
        if missing:
            raise LiveError(f"entry {i + 1} lacks {', '.join(missing)}", where=where)
        graph = entry.get("graph")
        found.append(
            InFlight(
                namespace=str(entry["namespace"]),
                product=str(entry.get("product", "firefox")),
                version=str(entry["version"]),
                build_number=int(entry.get("build_number", 1)),
                source=path,
                graph=os.path.join(base, graph) if graph else None,
            )
        )
    return found


# --- Taskcluster index ------------------------------------------------------------


def root_url(value=None):
    url = value or os.environ.get("TASKCLUSTER_ROOT_URL")
    if not url:
        raise LiveError("no Taskcluster root URL: give --root-url or set TASKCLUSTER_ROOT_URL, or use --live-file", where="--live")
    return url.rstrip("/")


def _get_json(session, url, where, params=None):
    import requests

    try:
        response = session.get(url, params=params, timeout=TIMEOUT)
    except requests.RequestException as e:
        raise LiveError(f"cannot reach {url}: {type(e).__name__}", where=where)
    if response.status_code == 404:
        return None
    if not response.ok:
        raise LiveError(f"{url} answered HTTP {response.status_code}", where=where)
    try:
        return response.json()
    except ValueError:
        raise LiveError(f"{url} did not answer JSON", where=where)


def _paginated(session, url, field, where):
    items, token = [], None
    while True:
        data = _get_json(session, url, where, params={"continuationToken": token} if token else None)
        if data is None:
            return items
        items.extend(data.get(field) or [])
        token = data.get("continuationToken")
        if not token:
            return items


def _expired(expires, now):
    try:
        when = datetime.datetime.strptime(expires, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return False
    return when <= now


def read_index(trust_domain, url=None, project="try", session=None, now=None):
    """The staging releases in flight the Taskcluster index lists (entries not expired)."""
    import requests

    session = session or requests.Session()
    base = f"{root_url(url)}/api/index/v1"
    prefix = index_prefix(trust_domain, project)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    where = f"index {prefix}"
    found = []
    for entry in _paginated(session, f"{base}/namespaces/{prefix}", "namespaces", where):
        namespace = entry.get("name") or entry.get("namespace", "").rsplit(".", 1)[-1]
        for task in _paginated(session, f"{base}/tasks/{prefix}.{namespace}", "tasks", where):
            if _expired(task.get("expires"), now):
                continue
            path = task.get("namespace", "")
            product, version, build = parse_leaf(path.rsplit(".", 1)[-1], where)
            found.append(InFlight(namespace, product, version, build, source=path, task_id=task.get("taskId")))
    return found


def fetch_graph(task_id, url=None, session=None):
    """``(tasks, parameters)`` of the graph an indexed task belongs to, from the
    artifacts of its task group's decision task (the group's id is the decision task's)."""
    import requests
    import yaml

    session = session or requests.Session()
    definition = _get_json(session, f"{root_url(url)}/api/queue/v1/task/{task_id}", f"task {task_id}")
    task_id = (definition or {}).get("taskGroupId") or task_id
    base = f"{root_url(url)}/api/queue/v1/task/{task_id}/artifacts"
    where = f"task {task_id}"
    tasks = _get_json(session, f"{base}/{GRAPH_ARTIFACT}", where)
    if tasks is None:
        raise LiveError(f"has no {GRAPH_ARTIFACT}", where=where)
    try:
        response = session.get(f"{base}/{PARAMETERS_ARTIFACT}", timeout=TIMEOUT)
    except requests.RequestException as e:
        raise LiveError(f"cannot fetch {PARAMETERS_ARTIFACT}: {type(e).__name__}", where=where)
    if not response.ok:
        raise LiveError(f"{PARAMETERS_ARTIFACT} answered HTTP {response.status_code}", where=where)
    return tasks, yaml.safe_load(response.text)


# --- the check ----------------------------------------------------------------------


def in_flight(graph_config, live_file=None, url=None, project="try", session=None, now=None):
    if live_file:
        return read_live_file(live_file)
    return read_index(graph_config["trust-domain"], url, project, session, now)


def _in_flight_graph(entry, graph_config, url, session):
    from .audit import AuditGraph, graph_resources

    if entry.graph:
        from .artifacts import read_artifacts

        tasks, parameters, _ = read_artifacts(entry.graph)
    elif entry.task_id:
        tasks, parameters = fetch_graph(entry.task_id, url, session)
    else:
        return None
    resources, production, release = graph_resources(tasks, graph_config, parameters)
    return AuditGraph(f"in flight: {entry.namespace}", resources, release, production, len(tasks), entry.source)


def check_before_push(graphs=(), graph_config=None, *, releases=(), live_file=None, root_url=None, project="try", session=None, now=None):
    """Check new staging releases against those in flight; a JSON-able dict.

    ``graphs`` are :class:`~taskgraph_staging.analysis.audit.AuditGraph` of new plans (their
    namespace is checked and their resources audited against every in-flight graph
    available); ``releases`` are :class:`~taskgraph_staging.model.release.StagingRelease` of
    new pushes without a graph (only their namespace is checked). ``ok`` is false when
    a new namespace is in flight or a new graph collides with an in-flight one (or
    writes production).
    """
    from .audit import audit

    flying = in_flight(graph_config, live_file, root_url, project, session, now)
    by_namespace = {}
    for entry in flying:
        by_namespace.setdefault(entry.namespace, []).append(entry)
    new = [(g.name, g.release) for g in graphs if g.release is not None] + [(str(r.namespace), r) for r in releases]
    reuse = [
        {"new": name, "namespace": str(rel.namespace), "in_flight": [e.describe() for e in by_namespace[str(rel.namespace)]]}
        for name, rel in new
        if str(rel.namespace) in by_namespace
    ]
    report = None
    if graphs:
        others = [g for g in (_in_flight_graph(e, graph_config, root_url, session) for e in flying) if g is not None]
        report = audit(list(graphs) + others)
        mine = {g.name for g in graphs}
        report["collisions"] = [p for p in report["collisions"] if mine & set(p["graphs"])]
        report["shared"] = [s for s in report["shared"] if s["graph"] in mine]
        report["ok"] = not report["collisions"] and not report["production"]
    return {
        "in_flight": [e.describe() for e in flying],
        "namespace_reuse": reuse,
        "audit": report,
        "ok": not reuse and (report is None or report["ok"]),
    }


def format_live(result):
    from .audit import format_report

    lines = [f"Staging releases in flight: {len(result['in_flight'])}"]
    lines += [f"  {line}" for line in result["in_flight"]]
    if result["namespace_reuse"]:
        lines.append("Namespaces already in flight (pick another namespace, or wait until that release ends):")
        for row in result["namespace_reuse"]:
            lines.append(f"  {row['new']}: namespace {row['namespace']} is used by {'; '.join(row['in_flight'])}")
    else:
        lines.append("Namespaces: none of the new ones is in flight.")
    if result["audit"] is not None:
        lines += [""] + format_report(result["audit"])
    lines.append("")
    lines.append("Live check: " + ("clear to push" if result["ok"] else "REFUSED"))
    return lines


def require_clear(result):
    """Raise a one-line :class:`LiveError` unless the live check passed (for push)."""
    if result["ok"]:
        return
    reasons = [f"namespace {row['namespace']} is in flight ({'; '.join(row['in_flight'])})" for row in result["namespace_reuse"]]
    if result["audit"] is not None:
        count = sum(len(p["resources"]) for p in result["audit"]["collisions"])
        if count:
            reasons.append(f"{count} resource(s) collide with releases in flight (see taskgraph-staging audit --live)")
        if result["audit"]["production"]:
            reasons.append("production requests (see taskgraph-staging audit)")
    raise LiveError("; ".join(reasons) + "; choose another namespace or wait for those releases to end", where="live check")
