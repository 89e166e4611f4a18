"""The ``taskgraph-staging audit`` command, end to end, on ``plan --output`` directories.

Plans ONE staging release of the scaled reference root (105 locales, two partials,
namespace ``teama``: 12,786 tasks since Devedition, release-source and the partner chain
joined the reference; the issue's goal was set when this was 5,903) with
``taskgraph-staging plan --output``, then
writes the other namespaces' output directories from it with
:func:`taskgraph_staging.analysis.isolation.renamespace_json` (the names naming
writes, swapped for each namespace's; tests/test_isolation.py checks it gives
exactly what a plan for the other namespace generates) and their parameters.yml.

Then runs the command itself, as a child process, on 2, 5, 10 and 20 of them:
reading and decoding the JSON, loading the config, inventory and guard of every
task, the audit and its report. Printed per graph count: CPU and wall time
(min/median/max of ``--repeat`` runs), peak memory of the process, and the cost
per graph and per resource (flat means linear).

    python benchmarks/bench_audit.py [--counts 2,5,10,20] [--repeat 3] [--locales N] [--keep DIR]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

from options import whole_numbers

PREVIOUS = ("121.0b1", "121.0b2")
#: Namespaces of the derived graphs (valid, none holding a reserved segment).
NAMESPACES = [f"team{chr(ord('a') + i)}" for i in range(26)]
GOAL_SECONDS = 1.0
GOAL_MB = 300


#: Runs the command given as arguments, then writes its peak memory (VmHWM, the resident
#: high-water mark of the process's own address space) as the last line of stderr. The
#: rusage of a child counts the RSS of the process it was forked from (this one holds a
#: decoded graph), so ru_maxrss would report this benchmark's size, not the command's.
PEAK_WRAPPER = """
import atexit, sys

def peak():
    with open("/proc/self/status") as fh:
        kb = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\npeak-kB {kb}\\n")

atexit.register(peak)
from taskgraph_staging.interfaces.cli import main
sys.exit(main(sys.argv[1:]))
"""


def child(argv):
    """``(exit code, cpu s, wall s, peak RSS MB)`` of ``taskgraph-staging <argv>`` in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PEAK_WRAPPER, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:3])} ... failed ({code}): {err[-600:]}")
    peak_kb = int(err.rstrip().rsplit("\n", 1)[-1].split()[1])
    return code, usage.ru_utime + usage.ru_stime, wall, peak_kb / 1024


def make_plans(work, root, count):
    """``count`` plan output directories: one planned, the others derived from it."""
    from taskgraph_staging.analysis.isolation import renamespace_json
    from taskgraph_staging.interfaces.commands.audit import load_graph_config
    from taskgraph_staging.model.parameters import staging_release

    bindir = os.path.dirname(sys.executable)
    first = os.path.join(work, NAMESPACES[0])
    subprocess.run(
        [os.path.join(bindir, "taskgraph-staging"), "plan", "--root", root, "--version", "121.0b3", "--namespace", NAMESPACES[0],
         *[f"--partial={v}:1" for v in PREVIOUS], "--output", first],
        check=True, stdout=subprocess.DEVNULL,
    )
    with open(os.path.join(first, "parameters.yml")) as fh:
        parameters = yaml.safe_load(fh)
    with open(os.path.join(first, "full-task-graph.json")) as fh:
        text = fh.read()
    release = staging_release(parameters, load_graph_config(root))
    dirs = [first]
    for namespace in NAMESPACES[1:count]:
        out = os.path.join(work, namespace)
        os.makedirs(out)
        with open(os.path.join(out, "full-task-graph.json"), "w") as fh:
            fh.write(renamespace_json(text, release, namespace))
        with open(os.path.join(out, "parameters.yml"), "w") as fh:
            yaml.safe_dump(dict(parameters, staging=dict(parameters["staging"], namespace=namespace)), fh)
        dirs.append(out)
    return dirs


def resources_of(dirs, root):
    """Resources the audit reads, per graph (from its JSON report of the first graph)."""
    import json

    bindir = os.path.dirname(sys.executable)
    proc = subprocess.run([os.path.join(bindir, "taskgraph-staging"), "audit", "--json", "--root", root, dirs[0]],
                          capture_output=True, text=True)
    report = json.loads(proc.stdout)
    return report["graphs"][0]["tasks"], report["graphs"][0]["resources"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=whole_numbers, default="2,5,10,20", help="graph counts, comma-separated (default: 2,5,10,20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per graph count, interleaved (default: 3)")
    parser.add_argument("--locales", type=int, default=105, help="shipped locales of the scaled root (default: 105)")
    parser.add_argument("--keep", metavar="DIR", help="build the root and plans in DIR and keep them")
    args = parser.parse_args(argv)
    counts = args.counts
    if not counts or min(counts) < 1 or max(counts) > len(NAMESPACES) or args.repeat < 1:
        parser.error(f"--counts must be 1 to {len(NAMESPACES)} and --repeat 1 or more")
    from taskgraph_staging.analysis.scale import make_scaled_root

    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores", flush=True)
    work = args.keep or tempfile.mkdtemp(prefix="bench-audit-")
    try:
        root = os.path.join(work, "root")
        if not os.path.isdir(root):
            make_scaled_root(root, args.locales)
        plans = os.path.join(work, "plans")
        shutil.rmtree(plans, ignore_errors=True)
        os.makedirs(plans)
        start = time.perf_counter()
        dirs = make_plans(plans, root, max(counts))
        tasks, resources = resources_of(dirs, root)
        print(f"planned 1 and derived {len(dirs) - 1} plan --output directories of {tasks} tasks, {resources} resources each "
              f"in {time.perf_counter() - start:.1f} s", flush=True)
        audit = ["audit", "--root", root]
        samples = {count: [] for count in counts}
        for i in range(args.repeat):
            for count in counts if i % 2 == 0 else counts[::-1]:
                samples[count].append(child(audit + dirs[:count]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'graphs':>6}{'tasks':>9}{'cpu s (min-max)':>22}{'wall s (min-max)':>22}{'peak MB':>9}{'cpu s/graph':>12}{'cpu us/res':>11}")
    for count in counts:
        cpu = [s[1] for s in samples[count]]
        wall = [s[2] for s in samples[count]]
        peak = max(s[3] for s in samples[count])
        c = statistics.median(cpu)
        print(f"{count:>6}{count * tasks:>9}{c:>9.2f} ({min(cpu):.2f}-{max(cpu):.2f}){statistics.median(wall):>9.2f} "
              f"({min(wall):.2f}-{max(wall):.2f}){peak:>9.0f}{c / count:>12.3f}{c / (count * resources) * 1e6:>11.1f}")
    if 10 in samples:
        cpu = statistics.median(s[1] for s in samples[10])
        wall = statistics.median(s[2] for s in samples[10])
        peak = max(s[3] for s in samples[10])
        print(f"\ngoal: audit of 10 graphs under {GOAL_SECONDS:.1f} s: cpu {cpu:.2f} s, wall {wall:.2f} s: "
              f"{'met' if cpu < GOAL_SECONDS else 'NOT met'} (cpu)")
        print(f"goal: peak memory under {GOAL_MB} MB: {peak:.0f} MB: {'met' if peak < GOAL_MB else 'NOT met'}")
    if len(counts) > 1:
        per = [statistics.median(s[1] for s in samples[c]) / c for c in counts]
        print(f"goal: linear from {counts[0]} to {counts[-1]} graphs: cpu per graph {min(per):.3f}-{max(per):.3f} s "
              f"(ratio {max(per) / min(per):.2f}; fixed start-up cost makes small counts dearer per graph)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
