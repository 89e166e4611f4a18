"""How a fanned-out task finds its upstream tasks (reference.fanout.find_upstreams)."""

from types import SimpleNamespace

import pytest
from taskgraph.task import Task

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.staging.reference.fanout import UpstreamIndex, find_upstreams


def task(kind, label, **attributes):
    return Task(kind=kind, label=label, attributes=dict(attributes, shipping_product=attributes.get("product", "firefox")), task={})


UPSTREAMS = [
    task("build", "build-linux64", build_platform="linux64", locale="en-US"),
    task("build", "build-win64", build_platform="win64", locale="en-US"),
    task("l10n", "l10n-linux64-de", build_platform="linux64", locale="de"),
    task("l10n", "l10n-win64-de", build_platform="win64", locale="de"),
    task("l10n", "l10n-win64-fr", build_platform="win64", locale="fr"),
    task("checksums", "checksums"),  # no platform or locale: matches every task
    task("build", "build-android", build_platform="android", product="fenix"),
    task("tags", "tags-list", build_platform=["linux64", "win64"]),  # an unhashable value
]
CONFIG = SimpleNamespace(kind="consumer", kind_dependencies_tasks={t.label: t for t in UPSTREAMS})


def labels(found):
    return {name: t.label for name, t in found.items()}


@pytest.mark.parametrize(
    "attributes, spec, expected",
    [
        pytest.param({"build_platform": "win64", "locale": "de"}, {"kinds": ["build", "l10n"]},
                     {"up": "l10n-win64-de"}, id="platform-and-locale"),
        pytest.param({"build_platform": "win64"}, {"kinds": ["build", "l10n"]},
                     {"up-build-win64": "build-win64", "up-l10n-win64-de": "l10n-win64-de", "up-l10n-win64-fr": "l10n-win64-fr"},
                     id="attribute-the-task-lacks-is-not-compared"),
        pytest.param({"build_platform": "win64", "locale": "de"}, {"kinds": ["l10n"], "match": ["build_platform"]},
                     {"up-l10n-win64-de": "l10n-win64-de", "up-l10n-win64-fr": "l10n-win64-fr"}, id="match-only-named"),
        pytest.param({"build_platform": "win64", "locale": "de"}, {"kinds": ["checksums"]},
                     {"up": "checksums"}, id="attribute-the-upstream-lacks-matches"),
        pytest.param({"build_platform": "win64"}, {"kinds": ["build"], "mode": "all"},
                     {"up-build-linux64": "build-linux64", "up-build-win64": "build-win64"}, id="all-of-the-product"),
        pytest.param({"build_platform": "mac"}, {"kinds": ["build"], "mode": "optional"}, {}, id="optional-none"),
        pytest.param({"build_platform": ["linux64", "win64"]}, {"kinds": ["tags"]}, {"up": "tags-list"}, id="unhashable"),
    ],
)
def test_find_upstreams(attributes, spec, expected):
    assert labels(find_upstreams(CONFIG, "consumer-x", "firefox", attributes, "up", spec)) == expected
    # The same through one index shared by the kind's tasks.
    index = UpstreamIndex(UPSTREAMS)
    for _ in range(2):
        assert labels(find_upstreams(CONFIG, "consumer-x", "firefox", attributes, "up", spec, index)) == expected


def test_fenix_tasks_find_fenix_upstreams_only():
    assert labels(find_upstreams(CONFIG, "consumer-fenix", "fenix", {}, "up", {"kinds": ["build"]})) == {"up": "build-android"}


def test_no_match_names_task_upstream_and_kinds():
    with pytest.raises(ConfigError, match=r"task consumer-x: upstream 'up' matches no task of kind\(s\) build, l10n"):
        find_upstreams(CONFIG, "consumer-x", "firefox", {"build_platform": "mac"}, "up", {"kinds": ["build", "l10n"]})
