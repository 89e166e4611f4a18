"""A process that generates many graphs (diff, the benchmarks, the tests) does not keep
the earlier generations' transform configs alive (analysis.graphs.release_earlier_generations)."""

import gc

from taskgraph.transforms.base import TransformConfig

from taskgraph_staging.analysis.graphs import REFERENCE_ROOT, generator


def live_configs():
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, TransformConfig))


def generate():
    overrides = {"release_product": "firefox", "version": "121.0b3", "build_number": 1, "staging": {"namespace": "alice", "behavior": "beta", "partials": []}}
    tgg, _ = generator(REFERENCE_ROOT, overrides)
    return len(tgg.full_task_graph.tasks)


def test_a_later_generation_releases_the_configs_of_the_earlier_ones():
    assert generate()
    after_one = live_configs()
    assert after_one > 0, "taskgraph's repo_configs memo holds this generation's configs (else the test shows nothing)"
    generate()
    generate()
    assert live_configs() == after_one
