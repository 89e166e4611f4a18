"""What the staging layer costs, counted in instructions: a measure noise does not move.

Wall and CPU time on a shared 2-core machine spread by more than the 5% goal of the
layer (``bench_plan.py`` prints that spread). An instruction count does not: each
side's generation runs in its own process under valgrind's callgrind, which counts
the instructions the process executes (``Collected``), the same from run to run to
well under 0.1% whatever else the machine does. This machine's virtual CPU has no
hardware counters (``perf stat -e instructions`` is not supported here), so callgrind
it is; it runs each process about 40 times slower, hence the small roots.

For each size (reference roots scaled to ``--locales`` locales), one process per side:

* **base**: the interpreter, the imports and the root's config, no generation;
* **on**: a full task graph on Try parameters with the staging layer and the guard;
* **off**: the same parameters, no staging transforms, no guard (``bench_plan.layer_off``);
* **unguarded**: as on, but the guard skipped, which splits the layer's cost between its
  transforms and the guard (with ``--split``);
* **production**: the same release at level 3 (with ``--production``).

Printed: each side's instructions less base's, the on/off ratio per size, and the
layer's cost per task between the two sizes (the difference of the two sizes' counts
over the difference of their task counts), which is the linear part of the cost,
without the fixed cost of importing the layer. ``--repeat`` runs everything again and
prints the spread of each ratio.

    python benchmarks/bench_instructions.py [--locales 4,12] [--repeat 2] [--split] [--production]

Nothing here fails on a count; each goal is printed beside its result.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from options import whole_numbers  # noqa: E402

LAYER_GOAL = 1.05
COLLECTED = re.compile(r"Collected : (\d+)")


def child_main(side, root):
    """Run in the measured process: one generation of ``side`` (or none, for base)."""
    import bench_plan
    from taskgraph_staging.analysis.graphs import load_config

    load_config(root)
    if side == "base":
        print(0)
        return 0
    if side == "unguarded":  # the layer's transforms, without the guard's judgement
        from taskgraph_staging.analysis import guard

        guard.is_staging = lambda *args: False
    count, _, _ = bench_plan.generate(root, "on" if side == "unguarded" else side)
    print(count)
    return 0


def measure(side, root, work):
    """``(tasks, instructions)`` of one process of ``side`` under callgrind."""
    log = os.path.join(work, f"callgrind-{side}.log")
    argv = ["valgrind", "--tool=callgrind", f"--log-file={log}", "--callgrind-out-file=/dev/null",
            sys.executable, os.path.abspath(__file__), "--child", side, root]
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{side} on {root} failed under callgrind ({proc.returncode}): {proc.stderr[-600:]}")
    with open(log) as f:
        found = COLLECTED.search(f.read())
    if not found:
        raise SystemExit(f"callgrind printed no instruction count for {side} (see {log})")
    return int(proc.stdout.split()[-1]), int(found.group(1))


def spread(values):
    return f"{statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def run_once(roots, sides, work, out):
    """``{locales: {side: (tasks, instructions)}}`` for every size and side."""
    counts = {}
    for locales, root in roots.items():
        counts[locales] = {}
        for side in sides:
            counts[locales][side] = measure(side, root, work)
            tasks, instructions = counts[locales][side]
            print(f"    {locales:>3} locales  {side:<11}{tasks:>6} tasks  {instructions / 1e9:8.3f} G instructions",
                  file=out, flush=True)
    return counts


def ratios(counts, sides):
    """Per size, each side's on-ratio; and the marginal per-task costs between the sizes."""
    result = {}
    for locales, by_side in counts.items():
        base = by_side["base"][1]
        net = {side: by_side[side][1] - base for side in sides if side != "base"}
        result[locales] = {side: net["on"] / net[side] for side in net if side != "on"}
    small, large = min(counts), max(counts)
    marginal = {}
    if small != large:
        for side in sides:
            if side == "base":
                continue
            tasks = counts[large][side][0] - counts[small][side][0]
            marginal[side] = (counts[large][side][1] - counts[small][side][1]) / tasks
    return result, marginal


def main(argv=None):
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == "--child":
        return child_main(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locales", type=whole_numbers, default="4,12", help="locales of each scaled root, comma-separated (default: 4,12)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of every size and side (default: 2)")
    parser.add_argument("--production", action="store_true", help="also count the production side")
    parser.add_argument("--split", action="store_true", help="also count the layer without the guard")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.locales))
    if args.repeat < 1 or not sizes or min(sizes) < 1:
        parser.error("--repeat and --locales must be 1 or more")
    if not shutil.which("valgrind"):
        parser.error("valgrind is not on PATH (apt-get install valgrind): the instruction counts need its callgrind")
    from taskgraph_staging.analysis.scale import make_scaled_root

    sides = ("base", "on", "off") + (("unguarded",) if args.split else ()) + (("production",) if args.production else ())
    work = tempfile.mkdtemp(prefix="bench-instructions-")
    try:
        roots = {}
        for locales in sizes:
            roots[locales] = os.path.join(work, f"root-{locales}")
            make_scaled_root(roots[locales], locales)
        runs = []
        for i in range(args.repeat):
            print(f"run {i + 1}/{args.repeat} (instructions of each process, callgrind)", flush=True)
            runs.append(run_once(roots, sides, work, sys.stdout))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\n== ratios of instructions (each side less base)")
    measured = [ratios(counts, sides) for counts in runs]
    for locales in sizes:
        tasks = runs[0][locales]["on"][0]
        for side in sides[2:]:
            values = [per_size[locales][side] for per_size, _ in measured]
            goal = f"  goal <= {LAYER_GOAL:.2f}: {'met' if statistics.median(values) <= LAYER_GOAL else 'NOT met'}" if side == "off" else ""
            print(f"  {locales:>3} locales, {tasks} tasks: on/{side} {spread(values)}{goal}")
    if len(sizes) > 1:
        print(f"\n== per task, between {sizes[0]} and {sizes[-1]} locales (the linear part; fixed costs cancel)")
        for side in sides[1:]:
            values = [marginal[side] for _, marginal in measured]
            print(f"  {side:<11}{statistics.median(values) / 1e3:8.1f} k instructions per task")
        layer = [marginal["on"] - marginal["off"] for _, marginal in measured]
        ratio = [marginal["on"] / marginal["off"] for _, marginal in measured]
        verdict = "met" if statistics.median(ratio) <= LAYER_GOAL else "NOT met"
        print(f"  the layer: {statistics.median(layer) / 1e3:.1f} k instructions per task; "
              f"on/off per task {spread(ratio)}  goal <= {LAYER_GOAL:.2f}: {verdict}")
        if args.split:
            guard = [marginal["on"] - marginal["unguarded"] for _, marginal in measured]
            print(f"  of which the guard: {statistics.median(guard) / 1e3:.1f} k instructions per task")
    return 0


if __name__ == "__main__":
    sys.exit(main())
