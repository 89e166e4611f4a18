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
an in-flight graph. A collision on a name shared by nature (push-to-releases of the same
version on one bucket, ...) is refused too, with the shared names and the dedicated
service that removes each listed; :func:`require_clear` lets it through only when the
user overrides it explicitly (``allow_shared``). Only this module talks to the network (``requests``).
"""

import datetime
import os
import time
from dataclasses import dataclass
from typing import Optional

import msgspec

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import StagingError, validation_problem

INDEX_PREFIX = "{trust_domain}.v2.{project}.%s" % naming.INDEX_DIR
GRAPH_ARTIFACT = "public/full-task-graph.json"
PARAMETERS_ARTIFACT = "public/parameters.yml"
#: Seconds to wait for a connection and then for each answer of the index or queue.
#: Short: a check before a push must not hang on a service that does not answer.
TIMEOUT = 5.0


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


class LiveFileEntry(msgspec.Struct, forbid_unknown_fields=True):
    """One release in flight, as a ``--live-file`` lists it."""

    namespace: str
    version: str
    product: str = "firefox"
    build_number: int = 1
    # That release's 'plan --output' directory or task-graph json, relative to the file.
    graph: Optional[str] = None


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
        try:
            entry = msgspec.convert(entry, LiveFileEntry)
        except msgspec.ValidationError as e:
            raise LiveError(f"entry {i + 1}: {validation_problem(e)}", where=where) from None
        found.append(
            InFlight(
                namespace=entry.namespace,
                product=entry.product,
                version=entry.version,
                build_number=entry.build_number,
                source=path,
                graph=os.path.join(base, entry.graph) if entry.graph else None,
            )
        )
    return found


# --- Taskcluster index ------------------------------------------------------------


def root_url(value=None):
    url = value or os.environ.get("TASKCLUSTER_ROOT_URL")
    if not url:
        raise LiveError("no Taskcluster root URL: give --root-url or set TASKCLUSTER_ROOT_URL, or use --live-file", where="--live")
    return url.rstrip("/")


def get(session, url, where, params=None, what=None):
    """``session.get(url)`` bounded by :data:`TIMEOUT`; a :class:`LiveError` saying how
    long it waited when the service cannot be reached or does not answer in time."""
    import requests

    start = time.monotonic()
    try:
        return session.get(url, params=params, timeout=TIMEOUT)
    except requests.RequestException as e:
        waited = time.monotonic() - start
        what = what or url
        if isinstance(e, requests.Timeout):
            raise LiveError(f"{what}: no answer after {waited:.1f} s (timeout {TIMEOUT:g} s)", where=where)
        raise LiveError(f"cannot reach {what}: {type(e).__name__} after {waited:.1f} s", where=where)


def _get_json(session, url, where, params=None):
    response = get(session, url, where, params=params)
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
    response = get(session, f"{base}/{PARAMETERS_ARTIFACT}", where, what=PARAMETERS_ARTIFACT)
    if not response.ok:
        raise LiveError(f"{PARAMETERS_ARTIFACT} answered HTTP {response.status_code}", where=where)
    return tasks, yaml.safe_load(response.text)


# --- the check ----------------------------------------------------------------------


def in_flight(graph_config, live_file=None, url=None, project="try", session=None, now=None):
    if live_file is not None:  # an empty name is refused, not taken for "the index"
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
    entries = [(e, _in_flight_graph(e, graph_config, root_url, session)) for e in flying] if (graphs or releases) else []
    others = [g for _, g in entries if g is not None]
    shared = _shared_by_version(releases, entries)
    if graphs:
        report = audit(list(graphs) + others)
        mine = {g.name for g in graphs}
        report["collisions"] = [p for p in report["collisions"] if mine & set(p["graphs"])]
        report["shared"] = [s for s in report["shared"] if s["graph"] in mine]
        report["ok"] = not report["collisions"] and not report["production"]
    if report is not None:
        from .audit import shared_collisions

        shared += [
            {"service": s, "instance": i, "kind": k, "name": n, "remedy": r, "with": "a graph audited (see above)"}
            for s, i, k, n, r in shared_collisions(report)
        ]
    return {
        "in_flight": [e.describe() for e in flying],
        "namespace_reuse": reuse,
        "audit": report,
        "shared": shared,
        "ok": not reuse and not shared and (report is None or report["ok"]),
    }


def _shared_by_version(releases, entries):
    """The shared-by-nature names new releases without a graph would write with one in flight.

    An in-flight release with a graph is compared by the names its graph writes; one
    without (a live file's entry without ``graph:``) by product and version, as if on the
    new release's shared instance (its bucket is not known).
    """
    from .isolation import version_shared_writes

    rows = []
    for rel in releases:
        for key, remedy in version_shared_writes(rel):
            for entry, graph in entries:
                if graph is not None:
                    from .isolation import resource_key

                    hit = any(resource_key(r) == key for r in graph.resources)
                else:
                    hit = (entry.product, entry.version) == (rel.product, rel.version)
                if hit:
                    service, instance, kind, name = key
                    rows.append(dict(service=service, instance=instance, kind=kind, name=name, remedy=remedy, **{"with": entry.describe()}))
    return rows


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
    if result["shared"]:
        lines.append("Shared by nature and written by a release in flight too (a collision; push refuses unless --allow-shared):")
        for row in result["shared"]:
            lines.append(f"  {row['service']} {row['instance']} {row['kind']} {row['name']}: with {row['with']}; removed by {row['remedy']}")
    lines.append("")
    lines.append("Live check: " + ("clear to push" if result["ok"] else "REFUSED"))
    return lines


def shared_names(result):
    """The shared-by-nature names of a live check's collisions, each once, sorted."""
    return sorted({f"{row['service']} {row['instance']} {row['kind']} {row['name']}" for row in result["shared"]})


#: How many names of one service, instance and kind the one-line refusal lists before
#: it counts the rest (a release's langpacks or .deb packages are dozens of names).
LISTED_PER_KIND = 3


def _shared_summary(result):
    """The shared names for one line: up to :data:`LISTED_PER_KIND` of each service,
    instance and kind, then how many more."""
    by_kind = {}
    for row in result["shared"]:
        by_kind.setdefault((row["service"], row["instance"], row["kind"]), set()).add(row["name"])
    parts = []
    for (service, instance, kind), names in sorted(by_kind.items()):
        names = sorted(names)
        parts.extend(f"{service} {instance} {kind} {name}" for name in names[:LISTED_PER_KIND])
        if len(names) > LISTED_PER_KIND:
            parts.append(f"{len(names) - LISTED_PER_KIND} more {service} {kind} names on {instance}")
    return ", ".join(parts)


def require_clear(result, allow_shared=False):
    """Raise a one-line :class:`LiveError` unless the live check passed (for push).

    ``allow_shared`` (push's ``--allow-shared``) lets through collisions on names shared
    by nature, and only those: the user has read the names and accepts that both
    releases write them.
    """
    shared = shared_names(result)
    collisions = []
    if result["audit"] is not None:
        collisions = [row for p in result["audit"]["collisions"] for row in p["resources"] if not row.get("remedy")]
    if not result["namespace_reuse"] and not collisions and not (result["audit"] or {}).get("production"):
        if not shared or allow_shared:
            return
    reasons = [f"namespace {row['namespace']} is in flight ({'; '.join(row['in_flight'])})" for row in result["namespace_reuse"]]
    if collisions:
        reasons.append(f"{len(collisions)} resource(s) collide with releases in flight (see taskgraph-staging audit --live)")
    if reasons:
        reasons[-1] += "; choose another namespace or wait for those releases to end"
    if shared and not allow_shared:
        remedies = sorted({row["remedy"] for row in result["shared"]})
        reasons.append(
            f"shared by nature and written by a release in flight too: {_shared_summary(result)} "
            f"(removed by {'; '.join(remedies)}; taskgraph-staging audit --live lists them all; --allow-shared pushes anyway)"
        )
    if result["audit"] is not None:
        if result["audit"]["production"]:
            reasons.append("production requests (see taskgraph-staging audit)")
    raise LiveError("; ".join(reasons), where="live check")
