"""``taskgraph-staging audit``: would these staging releases write the same resource?"""

import gc
import json
import os
import sys

from taskgraph_staging.analysis.artifacts import FULL_GRAPH, TARGET_GRAPH, read_artifacts

NAME = "audit"
HELP = (
    "Audit graphs (directories as 'plan --output' writes them, or task-graph json files) for resources two "
    "of them would write on the same instance, and for production requests; with --live, check a plan "
    "against the staging releases in flight. Exit 1 on a collision or production request."
)


def add_arguments(parser):
    parser.add_argument("graphs", nargs="+", metavar="GRAPH_DIR_OR_FILE", help="plan output directory or task-graph json")
    parser.add_argument(
        "--target",
        action="store_true",
        help=f"read each directory's {TARGET_GRAPH} (what its push runs) instead of {FULL_GRAPH} (every phase)",
    )
    parser.add_argument("--root", help="taskgraph root whose config.yml the graphs were made with (default: the bundled reference)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--live",
        action="store_true",
        help="check the graph(s) against the staging releases in flight (from --live-file, else the Taskcluster index)",
    )
    parser.add_argument("--live-file", metavar="FILE", help="YAML/JSON list of the staging releases in flight (implies --live)")
    parser.add_argument("--root-url", help="Taskcluster root URL of the index (default: $TASKCLUSTER_ROOT_URL)")


def load_graph_config(root=None):
    from taskgraph_staging.analysis.reference_root import REFERENCE_ROOT
    from taskgraph_staging.model.files import read_graph_config

    return read_graph_config(os.path.abspath(root or REFERENCE_ROOT))


def check_made_with(tasks, graph_config, path):
    """Refuse a graph made with another host's config.yml: the inventory would read only
    the tasks whose scopes it recognises and pass the rest unseen."""
    from taskgraph_staging.analysis.inventory import as_task
    from taskgraph_staging.model.errors import StagingError

    prefix = graph_config["scriptworker"]["scope-prefix"]
    foreign = sorted(
        t["label"]
        for t in map(as_task, tasks.values() if isinstance(tasks, dict) else tasks)
        if t["task"].get("tags", {}).get("worker-implementation") == "scriptworker"
        and not any(s.startswith(f"{prefix}:") for s in t["task"].get("scopes", []))
    )
    if foreign:
        raise StagingError(
            f"{len(foreign)} scriptworker task(s) ({foreign[0]}, ...) have no scope under {prefix}, the scope prefix "
            "of the config.yml audit read: the graph was made with another root; give that root with --root",
            where=path,
        )


def audit_graph(path, graph_config, target=False):
    """An :class:`~taskgraph_staging.analysis.audit.AuditGraph` of a directory or file."""
    from taskgraph_staging.analysis.audit import AuditGraph, graph_resources
    from taskgraph_staging.model.errors import StagingError

    tasks, parameters, source = read_artifacts(path, target)
    check_made_with(tasks, graph_config, path)
    try:
        resources, production, release = graph_resources(tasks, graph_config, parameters)
    except StagingError as e:
        raise StagingError(e.one_line(), where=path)
    return AuditGraph(path, resources, release, production, len(tasks), source)


def run(args):
    from taskgraph_staging.analysis.audit import audit, format_report

    graph_config = load_graph_config(args.root)
    # Decoding a graph makes a million containers that all stay alive until its
    # inventory is taken, and the graphs' resources live until the end: the cyclic
    # collector would walk them again and again for nothing (half the CPU of reading a
    # graph). Nothing here makes reference cycles worth collecting before the end.
    gc.disable()
    try:
        graphs = [audit_graph(path, graph_config, args.target) for path in args.graphs]
    finally:
        gc.enable()
    gc.freeze()
    if args.live or args.live_file is not None:
        from taskgraph_staging.analysis.live import check_before_push, format_live

        result = check_before_push(graphs, graph_config, live_file=args.live_file, root_url=args.root_url)
        if args.json:
            print(json.dumps(result, indent=2, sort_keys=True))
        else:
            print("\n".join(format_live(result)))
        return 0 if result["ok"] else 1
    report = audit(graphs)
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print("\n".join(format_report(report)))
    sys.stdout.flush()
    return 0 if report["ok"] else 1
