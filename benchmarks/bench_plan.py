"""Try vs production: the cost of the staging layer and the production guard.

Builds a scaled copy of the bundled reference root (5,000+ tasks by default), then
generates its full task graph for Try (level 1, staging layer and guard active) and at
production level (level 3 on mozilla-beta, neither active) side by side in one run,
alternating, several times each, and prints task counts, the median times and the
ratio Try / production (goal: 1.10 or less).

    python benchmarks/bench_plan.py [--locales N] [--repeat R] [--keep DIR]

Times are wall-clock medians of whole generations (kind loading, transforms,
verifications), with taskgraph's usual parallel kind loading.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

#: Files of a taskgraph root the reference graph needs.
ROOT_ITEMS = ("config.yml", ".taskcluster.yml", "kinds", "product")
LOCALES_DIR = os.path.join("kinds", "locales")


def copy_scaled_root(source, dest, n_locales):
    """Copy ``source`` to ``dest`` shipping the first ``n_locales`` of its all-locales file."""
    for item in ROOT_ITEMS:
        path = os.path.join(source, item)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(dest, item))
        elif os.path.isfile(path):
            shutil.copy2(path, os.path.join(dest, item))
    with open(os.path.join(dest, LOCALES_DIR, "all-locales")) as fh:
        locales = [line.strip() for line in fh if line.strip() and line.strip() != "en-US"]
    with open(os.path.join(dest, LOCALES_DIR, "shipped-locales"), "w") as fh:
        fh.write("".join(f"{locale}\n" for locale in locales[:n_locales]))
    return dest


def make_root(dest, n_locales):
    """A scaled reference root: the reference package's scaler when there is one."""
    from taskgraph_staging.analysis.graphs import REFERENCE_ROOT

    try:
        from taskgraph_staging.analysis.scale import make_scaled_root
    except ImportError:
        return copy_scaled_root(REFERENCE_ROOT, dest, n_locales)
    result = make_scaled_root(dest, n_locales)
    return result if isinstance(result, str) else dest


#: Two previous releases give partials (and their signing) per platform and locale on both sides.
PREVIOUS = ("121.0b1", "121.0b2")
RELEASE = {"version": "121.0b3", "build_number": 1, "release_product": "firefox"}
TRY = dict(
    RELEASE,
    staging={"namespace": "bench", "partials": [{"version": v, "build_number": 1, "source": "production"} for v in PREVIOUS]},
)
PRODUCTION = dict(RELEASE, release_type="beta", staging=None, partial_updates={v: {"buildNumber": 1} for v in PREVIOUS})


def generate(root, production):
    """Generate the full task graph; return (task count, seconds)."""
    from taskgraph_staging.analysis.graphs import generator

    start = time.perf_counter()
    tgg, _ = generator(root, PRODUCTION if production else TRY, production=production)
    count = len(tgg.full_task_graph.tasks)
    return count, time.perf_counter() - start


def run(root, repeat, out=sys.stdout):
    times = {"try": [], "production": []}
    counts = {}
    generate(root, production=False)  # warm imports and caches for both sides alike
    for i in range(repeat):
        # Alternate the order so drift (thermal, page cache) hits both sides alike.
        order = ("try", "production") if i % 2 == 0 else ("production", "try")
        for side in order:
            count, seconds = generate(root, production=side == "production")
            counts[side] = count
            times[side].append(seconds)
            print(f"  run {i + 1}/{repeat} {side:<10} {count:>6} tasks {seconds:7.2f} s", file=out, flush=True)
    medians = {side: statistics.median(values) for side, values in times.items()}
    ratio = medians["try"] / medians["production"]
    print(file=out)
    print(f"{'graph':<12}{'tasks':>8}{'median s':>11}{'min s':>9}{'max s':>9}", file=out)
    for side in ("try", "production"):
        print(
            f"{side:<12}{counts[side]:>8}{medians[side]:>11.2f}{min(times[side]):>9.2f}{max(times[side]):>9.2f}",
            file=out,
        )
    print(f"\nratio Try/production (medians): {ratio:.3f}  (goal <= 1.10: {'met' if ratio <= 1.10 else 'NOT met'})", file=out)
    return {"counts": counts, "medians": medians, "ratio": ratio}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locales", type=int, default=105, help="shipped locales of the scaled root (default: 105)")
    parser.add_argument("--repeat", type=int, default=5, help="generations per side (default: 5)")
    parser.add_argument("--keep", metavar="DIR", help="build the scaled root in DIR and keep it")
    args = parser.parse_args(argv)
    work = args.keep or tempfile.mkdtemp(prefix="bench-plan-")
    try:
        root = os.path.join(work, "root")
        if not os.path.isdir(root):
            os.makedirs(root)
            make_root(root, args.locales)
        print(f"scaled reference root ({args.locales} locales): {root}", flush=True)
        result = run(root, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if min(result["counts"].values()) < 5000:
        print("note: fewer than 5,000 tasks; raise --locales", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
