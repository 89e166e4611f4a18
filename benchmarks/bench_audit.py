"""Isolation audit time: 10 graphs of 5,000+ tasks, and its growth from 2 to 20 graphs.

Generates ONE scaled staging plan (the reference root with N shipped locales, two
partials, namespace ``bench``) through taskgraph, then derives the other namespaces'
graphs from its JSON with :func:`taskgraph_staging.analysis.isolation.renamespace_json` (the
names naming writes, swapped for each namespace's; tests/test_isolation.py checks it
gives exactly what a plan for the other namespace generates). Each graph is decoded
from JSON text as ``taskgraph-staging audit`` reads it.

Timed, per graph count: the inventory and guard of every graph (what the command
does per graph) and the audit itself (one index of every resource, collisions per
pair, shared list). Not timed: generating and deriving the graphs, decoding JSON
(shown apart).

    python benchmarks/bench_audit.py [--locales N] [--max-graphs M] [--repeat R] [--keep DIR]
"""

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

RELEASE = {
    "version": "121.0b3",
    "build_number": 1,
    "release_product": "firefox",
    "staging": {
        "namespace": "bench",
        "partials": [{"version": v, "build_number": 1, "source": "production"} for v in ("121.0b1", "121.0b2")],
    },
}
#: Namespaces of the derived graphs (valid, none holding a reserved segment).
NAMESPACES = [f"team{chr(ord('a') + i)}" for i in range(26)]


def generate(root):
    """``(JSON text of the full graph, parameters, graph_config)`` of the scaled plan."""
    from taskgraph_staging.analysis.graphs import generator

    tgg, graph_config = generator(root, RELEASE)
    return json.dumps(tgg.full_task_graph.to_json()), dict(**tgg.parameters), graph_config


def derive(text, parameters, graph_config, count):
    """``count`` graphs ``(name, tasks, parameters)``, each in its own namespace."""
    import msgspec

    from taskgraph_staging.analysis.isolation import renamespace_json
    from taskgraph_staging.model.parameters import staging_release

    release = staging_release(parameters, graph_config)
    graphs, decode = [], []
    for namespace in NAMESPACES[:count]:
        derived = renamespace_json(text, release, namespace).encode()
        start = time.perf_counter()
        tasks = msgspec.json.decode(derived)
        decode.append(time.perf_counter() - start)
        params = json.loads(json.dumps(parameters, default=str))
        params["staging"] = dict(params["staging"], namespace=namespace)
        graphs.append((namespace, tasks, params))
    return graphs, statistics.median(decode)


def audit_once(graphs, graph_config):
    """``(inventory+guard seconds, audit seconds, total resources, report)``."""
    from taskgraph_staging.analysis.audit import AuditGraph, audit, graph_resources

    start = time.perf_counter()
    audited = []
    for name, tasks, params in graphs:
        resources, production, release = graph_resources(tasks, graph_config, params)
        audited.append(AuditGraph(name, resources, release, production, len(tasks)))
    middle = time.perf_counter()
    report = audit(audited)
    end = time.perf_counter()
    return middle - start, end - middle, sum(len(g.resources) for g in audited), report


def measure(graphs, graph_config, repeat):
    runs = [audit_once(graphs, graph_config) for _ in range(repeat)]
    inventory = statistics.median(r[0] for r in runs)
    index = statistics.median(r[1] for r in runs)
    return inventory, index, runs[0][2], runs[0][3]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locales", type=int, default=105, help="shipped locales of the scaled root (default: 105)")
    parser.add_argument("--max-graphs", type=int, default=20, help="largest graph count of the growth table (default: 20)")
    parser.add_argument("--repeat", type=int, default=3, help="audits per graph count; medians are shown (default: 3)")
    parser.add_argument("--keep", metavar="DIR", help="build the scaled root in DIR and keep it")
    args = parser.parse_args(argv)
    if not 10 <= args.max_graphs <= len(NAMESPACES):
        parser.error(f"--max-graphs must be 10 to {len(NAMESPACES)}")
    from taskgraph_staging.analysis.scale import make_scaled_root

    work = args.keep or tempfile.mkdtemp(prefix="bench-audit-")
    try:
        root = os.path.join(work, "root")
        if not os.path.isdir(root):
            make_scaled_root(root, args.locales)
        start = time.perf_counter()
        text, parameters, graph_config = generate(root)
        print(f"generated one plan of the scaled root ({args.locales} locales) in {time.perf_counter() - start:.1f} s", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    graphs, decode = derive(text, parameters, graph_config, args.max_graphs)
    # As taskgraph-staging audit does once the graphs are read: the decoded graphs live
    # until the end, so the cyclic collector need not walk them again and again.
    gc.collect()
    gc.freeze()
    tasks = len(graphs[0][1])
    print(f"derived {len(graphs)} namespaces' graphs of {tasks} tasks each (JSON decode {decode:.2f} s per graph, not timed)")
    if tasks < 5000:
        print("note: fewer than 5,000 tasks per graph; raise --locales", file=sys.stderr)

    inventory, index, resources, report = measure(graphs[:10], graph_config, args.repeat)
    total = inventory + index
    print(
        f"\n10 graphs x {tasks} tasks ({resources} resources): audit {total:.2f} s "
        f"(inventory+guard {inventory:.2f} s, index+report {index:.2f} s); goal < 2 s: {'met' if total < 2 else 'NOT met'}"
    )
    print(f"  collisions {sum(len(p['resources']) for p in report['collisions'])}, production {len(report['production'])}, "
          f"shared-by-nature rows {sum(len(s['resources']) for s in report['shared'])}")

    print(f"\n{'graphs':>6}{'tasks':>9}{'resources':>11}{'audit s':>9}{'index s':>9}{'s/graph':>9}{'us/resource':>13}")
    for count in range(2, args.max_graphs + 1, 2):
        inventory, index, resources, _ = measure(graphs[:count], graph_config, args.repeat)
        total = inventory + index
        print(f"{count:>6}{count * tasks:>9}{resources:>11}{total:>9.3f}{index:>9.3f}{total / count:>9.3f}{total / resources * 1e6:>13.2f}")
    print("\nLinear growth: seconds per graph and microseconds per resource stay flat as graphs are added.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
