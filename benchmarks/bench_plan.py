"""What the staging layer costs a plan, measured side by side.

For each size (a multiple of the 105-locale reference root, 5,973 tasks; past the
106 locales of all-locales the scaled root ships synthetic ones) it generates the
full task graph, in this process, with kinds loaded serially as ``plan`` does:

* **layer on**: Try parameters (namespace ``bench``, two partials), the staging
  transforms and the production guard active;
* **layer off**: the same parameters, the staging transforms replaced by an empty
  sequence and the guard skipped, so the only difference is the layer;
* **production**: the same release at level 3 on mozilla-beta (the layer inactive).

The three run interleaved (their order rotates every pair) ``--pairs`` times; CPU
(process time) and wall time are both counted. Printed: min/median/max of each, the
ratio of each pair's times with its spread, and the layer's cost per task.

Then, at the default size, the whole ``taskgraph-staging plan --output`` command
(summary and artifacts included) against a bare ``taskgraph full`` of the same
graph (the parameters plan wrote; ``TASKGRAPH_SERIAL=1``, taskgraph's fastest mode
here), both as child processes, interleaved, CPU of the child and wall time.

    python benchmarks/bench_plan.py [--sizes 1,2,4] [--pairs 9] [--no-command] [--keep DIR]

Wall times on a shared machine are noisy: read the ratios and their spread, and
compare CPU. Nothing here fails on a time; each goal is printed next to its result.
"""

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from options import whole_numbers

#: Locales of the 1x root (5,973 tasks).
BASE_LOCALES = 105
#: Two previous releases give partials (and their signing) per platform and locale on both sides.
PREVIOUS = ("121.0b1", "121.0b2")
RELEASE = {"version": "121.0b3", "build_number": 1, "release_product": "firefox"}
TRY = dict(
    RELEASE,
    staging={"namespace": "bench", "partials": [{"version": v, "build_number": 1, "source": "production"} for v in PREVIOUS]},
)
PRODUCTION = dict(RELEASE, release_type="beta", staging=None, partial_updates={v: {"buildNumber": 1} for v in PREVIOUS})

LAYER_GOAL = 1.05
COMMAND_GOAL = 1.2

# The layer-off side's empty transform sequence (the loader finds it by name).
from taskgraph.transforms.base import TransformSequence  # noqa: E402

NO_LAYER = TransformSequence()


class layer_off:
    """Within the block, kinds get no staging transforms and the guard passes every graph."""

    def __enter__(self):
        from taskgraph_staging.analysis import guard
        from taskgraph_staging.staging import loader

        self.saved = loader.STAGING_TRANSFORMS, guard.is_staging
        loader.STAGING_TRANSFORMS = f"{__name__}:NO_LAYER"
        guard.is_staging = lambda *args: False
        return self

    def __exit__(self, *exc):
        from taskgraph_staging.analysis import guard
        from taskgraph_staging.staging import loader

        loader.STAGING_TRANSFORMS, guard.is_staging = self.saved


def generate(root, side):
    """``(tasks, cpu s, wall s)`` of one full task graph of ``side``.

    The previous generation's garbage is collected first, outside the timer: otherwise
    each generation pays for walking the last one's graph, whichever side made it."""
    from taskgraph_staging.analysis.graphs import generator

    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    if side == "off":
        with layer_off():
            tgg, _ = generator(root, TRY)
            count = len(tgg.full_task_graph.tasks)
    else:
        tgg, _ = generator(root, PRODUCTION if side == "production" else TRY, production=side == "production")
        count = len(tgg.full_task_graph.tasks)
    return count, time.process_time() - cpu, time.perf_counter() - wall


def spread(values):
    return min(values), statistics.median(values), max(values)


def fmt3(values, unit="s"):
    lo, mid, hi = spread(values)
    return f"{mid:7.2f} {unit} (min {lo:.2f}, max {hi:.2f})"


def ratio_line(name, a, b, goal=None):
    """The ratio of medians and the spread of the per-pair ratios of ``a`` over ``b``."""
    pairs = [x / y for x, y in zip(a, b)]
    lo, mid, hi = spread(pairs)
    medians = statistics.median(a) / statistics.median(b)
    verdict = ""
    if goal is not None:
        verdict = f"  goal <= {goal:.2f}: {'met' if medians <= goal else 'NOT met'}"
    return f"  {name:<26} {medians:.3f} (per pair: min {lo:.3f}, median {mid:.3f}, max {hi:.3f}){verdict}"


def bench_size(root, pairs, out):
    sides = ("on", "off", "production")
    samples = {side: {"cpu": [], "wall": []} for side in sides}
    counts = {}
    generate(root, "on")  # warm imports and caches for every side alike
    for i in range(pairs):
        order = sides[i % 3:] + sides[:i % 3]
        for side in order:
            count, cpu, wall = generate(root, side)
            counts[side] = count
            samples[side]["cpu"].append(cpu)
            samples[side]["wall"].append(wall)
        print(f"    pair {i + 1}/{pairs}: " + ", ".join(
            f"{side} {samples[side]['cpu'][-1]:.2f}/{samples[side]['wall'][-1]:.2f} s" for side in sides), file=out, flush=True)
    return counts, samples


def bench_plans(sizes, pairs, work, out):
    from taskgraph_staging.analysis.scale import make_scaled_root

    results = {}
    for size in sizes:
        locales = BASE_LOCALES * size
        root = os.path.join(work, f"root-{size}x")
        if not os.path.isdir(root):
            make_scaled_root(root, locales)
        print(f"\n== {size}x: {locales} locales ({root}); cpu/wall per generation", file=out, flush=True)
        counts, samples = bench_size(root, pairs, out)
        results[size] = (counts, samples)
        for side in ("on", "off", "production"):
            print(f"  {side:<11}{counts[side]:>7} tasks  cpu {fmt3(samples[side]['cpu'])}  wall {fmt3(samples[side]['wall'])}", file=out)
        on, off, prod = samples["on"], samples["off"], samples["production"]
        print(ratio_line("layer on/off, cpu", on["cpu"], off["cpu"], LAYER_GOAL), file=out)
        print(ratio_line("layer on/off, wall", on["wall"], off["wall"], LAYER_GOAL), file=out)
        print(ratio_line("Try/production, cpu", on["cpu"], prod["cpu"]), file=out)
        print(ratio_line("Try/production, wall", on["wall"], prod["wall"]), file=out)
        per_task = (statistics.median(on["cpu"]) - statistics.median(off["cpu"])) / counts["on"] * 1e6
        print(f"  layer cost per task (cpu medians): {per_task:.1f} us", file=out, flush=True)
    return results


def child(argv, env):
    """``(cpu s, wall s)`` of a child process (its own rusage), which must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.read().decode()[-600:]}")
    return usage.ru_utime + usage.ru_stime, wall


def bench_command(work, pairs, out):
    from taskgraph_staging.analysis.scale import make_scaled_root

    root = os.path.join(work, "root-1x")
    if not os.path.isdir(root):
        make_scaled_root(root, BASE_LOCALES)
    if not os.path.isdir(os.path.join(root, ".git")):
        # taskgraph full finds .taskcluster.yml at the root of the root's repository.
        subprocess.run(["git", "init", "-q", root], check=True)
    bindir = os.path.dirname(sys.executable)
    plan_out = os.path.join(work, "plan-out")
    plan = [os.path.join(bindir, "taskgraph-staging"), "plan", "--root", root, "--version", "121.0b3", "--namespace", "bench",
            *[f"--partial={v}:1" for v in PREVIOUS], "--output", plan_out]
    env = dict(os.environ)
    env.pop("TASKGRAPH_SERIAL", None)
    child(plan, env)  # warm, and write the parameters the bare run reads
    bare = [os.path.join(bindir, "taskgraph"), "full", "--root", root, "-p", os.path.join(plan_out, "parameters.yml")]
    bare_env = dict(env, TASKGRAPH_SERIAL="1")
    samples = {"plan": {"cpu": [], "wall": []}, "bare": {"cpu": [], "wall": []}}
    print(f"\n== the plan command at 1x against a bare 'taskgraph full' of the same parameters", file=out, flush=True)
    for i in range(pairs):
        order = (("plan", plan, env), ("bare", bare, bare_env))
        for name, argv, environ in order if i % 2 == 0 else order[::-1]:
            if name == "plan":
                shutil.rmtree(plan_out, ignore_errors=True)
            cpu, wall = child(argv, environ)
            samples[name]["cpu"].append(cpu)
            samples[name]["wall"].append(wall)
        print(f"    pair {i + 1}/{pairs}: plan {samples['plan']['cpu'][-1]:.2f}/{samples['plan']['wall'][-1]:.2f} s, "
              f"taskgraph full {samples['bare']['cpu'][-1]:.2f}/{samples['bare']['wall'][-1]:.2f} s", file=out, flush=True)
    for name, label in (("plan", "plan --output"), ("bare", "taskgraph full")):
        print(f"  {label:<15} cpu {fmt3(samples[name]['cpu'])}  wall {fmt3(samples[name]['wall'])}", file=out)
    print(ratio_line("plan/taskgraph full, cpu", samples["plan"]["cpu"], samples["bare"]["cpu"], COMMAND_GOAL), file=out)
    print(ratio_line("plan/taskgraph full, wall", samples["plan"]["wall"], samples["bare"]["wall"], COMMAND_GOAL), file=out)
    return samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=whole_numbers, default="1,2,4", help="multiples of the 105-locale root, comma-separated (default: 1,2,4)")
    parser.add_argument("--pairs", type=int, default=9, help="interleaved runs of each side (default: 9)")
    parser.add_argument("--no-command", action="store_true", help="skip the plan command against taskgraph full")
    parser.add_argument("--keep", metavar="DIR", help="build the scaled roots in DIR and keep them")
    args = parser.parse_args(argv)
    sizes = args.sizes
    if args.pairs < 1 or not sizes or min(sizes) < 1:
        parser.error("--pairs and --sizes must be 1 or more")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores; "
          f"{args.pairs} interleaved pairs", flush=True)
    work = args.keep or tempfile.mkdtemp(prefix="bench-plan-")
    try:
        results = bench_plans(sizes, args.pairs, work, sys.stdout)
        if not args.no_command:
            bench_command(work, args.pairs, sys.stdout)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if len(sizes) > 1:
        print("\n== linearity: layer cost per task at each size (cpu medians; flat means linear)")
        for size, (counts, samples) in results.items():
            extra = statistics.median(samples["on"]["cpu"]) - statistics.median(samples["off"]["cpu"])
            print(f"  {size}x {counts['on']:>7} tasks: {extra / counts['on'] * 1e6:6.1f} us/task, "
                  f"{statistics.median(samples['off']['cpu']) / counts['off'] * 1e6:6.1f} us/task without the layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
