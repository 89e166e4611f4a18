"""The isolation audit: which resources several staging releases would all write.

Pure. Each graph comes in as an :class:`AuditGraph` (its resources, its release, its
production requests); :func:`audit` indexes every resource once by what it names on
its instance (:func:`taskgraph_staging.analysis.isolation.resource_key`) across all graphs and
reports the keys two or more graphs hold. It never compares graphs pairwise, so its
time grows with the total number of resources, not with the square of the graphs.

A key two graphs hold is a **collision** unless every holder classifies it as a message
(:mod:`taskgraph_staging.analysis.isolation`), whatever its class: a resource shared by
nature that two releases write is overwritten by both. Such a collision names the
dedicated service that removes it; shared-by-nature resources are also listed per graph
with their reason, whoever else writes them.
"""

from dataclasses import dataclass, field
from typing import Optional

from .isolation import NOT_EXCLUSIVE, SHARED, classifier, resource_key


@dataclass(frozen=True)
class AuditGraph:
    """One graph of the audit."""

    #: How the user named it (a directory or file).
    name: str
    #: Every :class:`~taskgraph_staging.analysis.inventory.Resource` its tasks write.
    resources: tuple
    #: Its :class:`~taskgraph_staging.model.release.StagingRelease`, or None when unknown.
    release: Optional[object] = None
    #: The production guard's lines for it (``<label>: <value> is production: <reason>``).
    production: tuple = ()
    tasks: int = 0
    #: Extra facts shown with the graph (e.g. which artifact was read).
    source: str = field(default="")


def graph_resources(tasks, graph_config, parameters):
    """``(resources, production lines, release)`` of a graph's tasks (``{label: task}`` or a list).

    Resources come from the inventory and production lines from the guard, with the
    same options a decision task would use for these parameters.
    """
    from .production_requests import judge_graph
    from .inventory import as_task, inventory_in, inventory_options, make_context
    from taskgraph_staging.model.parameters import staging_release

    tasks = list(tasks.values()) if isinstance(tasks, dict) else list(tasks)
    if graph_config is not None:
        # One inventory per task, shared with the guard.
        inventories, production = judge_graph(tasks, graph_config, parameters)
    else:
        ctx = make_context(**inventory_options(graph_config, parameters))
        inventories, production = [inventory_in(as_task(task), ctx) for task in tasks], []
    resources = [r for found in inventories for r in found]
    release = None
    if parameters is not None and parameters.get("staging") is not None and parameters.get("version"):
        release = staging_release(parameters, graph_config)
    return tuple(resources), tuple(production), release


def index(graphs):
    """``{key: {graph index: (labels, categories)}}`` of every resource of every graph."""
    found = {}
    for gi, graph in enumerate(graphs):
        classify = classifier(graph.release).classify
        for r in graph.resources:
            holders = found.get(k := resource_key(r))
            if holders is None:
                holders = found[k] = {}
            held = holders.get(gi)
            if held is None:
                held = holders[gi] = (set(), set(), [])
            held[0].add(r.label)
            c = classify(r)
            if c.category not in held[1]:
                held[1].add(c.category)
                held[2].append(c)
    return found


def _key_dict(key):
    service, instance, kind, name = key
    return {"service": service, "instance": instance, "kind": kind, "name": name}


def audit(graphs):
    """The audit report of ``graphs`` (a list of :class:`AuditGraph`), as a JSON-able dict.

    ``collisions``: per pair of graphs (in the order given), every resource both would
    write on the same instance that is not a message, with each side's tasks and
    classification, and (``remedy``, empty unless a side classes it shared by nature)
    the dedicated service that removes it. ``shared``: per graph, its shared-by-nature resources, their reason
    and the other graphs writing them. ``production``: per graph, the guard's lines.
    ``ok`` is false on any collision or production request.
    """
    names = [g.name for g in graphs]
    pairs = {}
    shared = {gi: [] for gi in range(len(graphs))}
    for key, holders in index(graphs).items():
        if len(holders) > 1:
            exclusive = any(cat not in NOT_EXCLUSIVE for _, cats, _ in holders.values() for cat in cats)
            if exclusive:
                held = sorted(holders)
                for a_i, a in enumerate(held):
                    for b in held[a_i + 1:]:
                        pairs.setdefault((a, b), []).append(
                            dict(
                                _key_dict(key),
                                tasks={names[a]: sorted(holders[a][0]), names[b]: sorted(holders[b][0])},
                                classes={names[a]: _categories(holders[a]), names[b]: _categories(holders[b])},
                                remedy=_remedy(holders),
                            )
                        )
        for gi, (labels, cats, found) in holders.items():
            if SHARED in cats:
                reason = next(c.reason for c in found if c.category == SHARED)
                shared[gi].append(
                    dict(
                        _key_dict(key),
                        reason=reason,
                        tasks=sorted(labels),
                        also_written_by=[names[o] for o in sorted(holders) if o != gi],
                    )
                )
    collisions = [
        {"graphs": [names[a], names[b]], "resources": sorted(rows, key=_row_order)}
        for (a, b), rows in sorted(pairs.items())
    ]
    report = {
        "graphs": [_graph_summary(g) for g in graphs],
        "collisions": collisions,
        "shared": [{"graph": names[gi], "resources": sorted(rows, key=_row_order)} for gi, rows in shared.items() if rows],
        "production": [{"graph": g.name, "lines": list(g.production)} for g in graphs if g.production],
    }
    report["ok"] = not report["collisions"] and not report["production"]
    return report


def _categories(held):
    return sorted(held[1])


def _remedy(holders):
    """The dedicated service that removes a shared-by-nature collision ('' for others)."""
    return next((c.remedy for _, _, found in holders.values() for c in found if c.remedy), "")


def shared_collisions(report):
    """``[(service, instance, kind, name, remedy)]``: the shared-by-nature names that collide."""
    rows = {
        (row["service"], row["instance"], row["kind"], row["name"], row["remedy"])
        for pair in report["collisions"]
        for row in pair["resources"]
        if row.get("remedy")
    }
    return sorted(rows)


def _row_order(row):
    return (row["service"], row["instance"], row["kind"], row["name"])


def _graph_summary(graph):
    rel = graph.release
    return {
        "name": graph.name,
        "source": graph.source,
        "tasks": graph.tasks,
        "resources": len(graph.resources),
        "namespace": str(rel.namespace) if rel else None,
        "product": rel.product if rel else None,
        "version": rel.version if rel else None,
        "build_number": rel.build_number if rel else None,
        "dedicated": list(rel.services.dedicated) if rel else [],
    }


#: Above this many rows of one pair, service and kind, the text report folds them.
FOLD_AFTER = 12


def format_report(report):
    """The audit report as text lines."""
    lines = [f"Isolation audit of {len(report['graphs'])} graph(s):"]
    for g in report["graphs"]:
        what = (
            f"{g['product']} {g['version']} build {g['build_number']}, namespace {g['namespace']}"
            if g["namespace"]
            else "no parameters (namespace unknown)"
        )
        dedicated = f", dedicated {', '.join(g['dedicated'])}" if g["dedicated"] else ""
        lines.append(f"  {g['name']}: {what}{dedicated} ({g['tasks']} tasks, {g['resources']} resources{g['source'] and ', ' + g['source']})")
    lines.append("")
    if report["collisions"]:
        count = sum(len(p["resources"]) for p in report["collisions"])
        lines.append(f"Collisions: {count} resource(s) two graphs would write on the same instance:")
        for pair in report["collisions"]:
            a, b = pair["graphs"]
            lines.append(f"  {a} and {b}: {len(pair['resources'])} resource(s)")
            lines += _fold(pair["resources"], lambda row: _collision_lines(row, a, b))
    else:
        lines.append("Collisions: none (no resource two graphs would write on the same instance).")
    lines.append("")
    lines += _per_graph(
        report["production"],
        "Production requests (the production guard's rules):",
        "Production requests: none.",
        lambda entry: [f"    {line}" for line in entry["lines"]],
    )
    lines.append("")
    lines += _per_graph(
        report["shared"],
        "Shared by nature (not isolated on a shared instance; a collision when another graph writes them too):",
        "Shared by nature: none (every resource is isolated by namespace or instance).",
        lambda entry: [line for row in entry["resources"] for line in _shared_lines(row)],
    )
    lines += ["", "Result: " + ("no collision, no production request" if report["ok"] else "FAILED")]
    return lines


def _per_graph(entries, heading, none, render):
    """A section of per-graph entries: its heading and each graph's lines, or ``none``."""
    if not entries:
        return [none]
    lines = [heading]
    for entry in entries:
        lines.append(f"  {entry['graph']}:")
        lines += render(entry)
    return lines


def _shared_lines(row):
    also = f"; also written by {', '.join(row['also_written_by'])}" if row["also_written_by"] else ""
    return [
        f"    {row['service']} {row['instance']} {row['kind']} {row['name']}",
        f"      by {', '.join(row['tasks'])}{also}",
        f"      why: {row['reason']}",
    ]


def _collision_lines(row, a, b):
    lines = [
        f"    {row['service']} {row['instance']} {row['kind']} {row['name']}",
        f"      {a}: {', '.join(row['tasks'][a])} ({', '.join(row['classes'][a])})",
        f"      {b}: {', '.join(row['tasks'][b])} ({', '.join(row['classes'][b])})",
    ]
    if row.get("remedy"):
        lines.append(f"      removed by: {row['remedy']}")
    return lines


def _fold(rows, render):
    groups = {}
    for row in rows:
        groups.setdefault((row["service"], row["kind"]), []).append(row)
    lines = []
    for (service, kind), group in groups.items():
        for row in group[:FOLD_AFTER]:
            lines += render(row)
        if len(group) > FOLD_AFTER:
            lines.append(f"    ... and {len(group) - FOLD_AFTER} more {service} {kind} resource(s) (--json lists all)")
    return lines
