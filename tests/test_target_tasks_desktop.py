"""The real tree's flavor methods (promote_desktop, push_desktop, ship_desktop): the
product is the graph's release_product, and an RC is told by the behaviour, not the
version (issue 15)."""

from types import SimpleNamespace

import pytest
from taskgraph.config import GraphConfig
from taskgraph.target_tasks import get_method

import taskgraph_staging.staging.target_tasks  # noqa: F401 (registers the methods)


def graph(*tasks):
    return SimpleNamespace(
        tasks={label: SimpleNamespace(kind=kind, attributes=dict(shipping_phase=phase, shipping_product=product))
               for label, kind, phase, product in tasks}
    )


GRAPH = graph(
    ("build-devedition", "build", "build", "devedition"),
    ("build-firefox", "build", "build", "firefox"),
    ("promote-devedition", "release-promote", "promote", "devedition"),
    ("promote-firefox", "release-promote", "promote", "firefox"),
    ("push-devedition", "release-push", "push", "devedition"),
    ("push-firefox", "release-push", "push", "firefox"),
    ("ship-devedition", "release-ship", "ship", "devedition"),
    ("ship-firefox", "release-ship", "ship", "firefox"),
    ("uv-secondary-firefox", "release-secondary-update-verify", "promote", "firefox"),
    ("balrog-secondary-firefox", "release-secondary-balrog-scheduling", "ship", "firefox"),
)
GRAPH_CONFIG = GraphConfig({"trust-domain": "gecko"}, "/nonexistent/taskcluster")


def params(product, behavior, version="121.0"):
    return {
        "release_product": product,
        "level": "1",
        "project": "try",
        "version": version,
        "build_number": 1,
        "release_type": "beta" if "b" in version else "release",
        "staging": {"namespace": "alice", "behavior": behavior, "partials": []},
    }


@pytest.mark.parametrize(
    "method, parameters, expected",
    [
        pytest.param(
            "promote_desktop", params("devedition", "beta", "121.0b3"),
            ["build-devedition", "promote-devedition"], id="promote-devedition",
        ),
        pytest.param(
            "push_desktop", params("firefox", "release"),
            ["build-firefox", "promote-firefox", "push-firefox"], id="push-firefox",
        ),
        pytest.param(
            "ship_desktop", params("firefox", "release"),
            ["build-firefox", "promote-firefox", "push-firefox", "ship-firefox"], id="ship-firefox",
        ),
        pytest.param(
            # An RC ships after promote; the secondary kinds run for it only.
            "ship_desktop", params("firefox", "release-rc"),
            ["balrog-secondary-firefox", "build-firefox", "promote-firefox", "ship-firefox", "uv-secondary-firefox"],
            id="ship-firefox-rc",
        ),
        pytest.param(
            # The version is a beta's, the behaviour an RC's: the behaviour decides.
            "ship_desktop", params("firefox", "release-rc", "121.0b3"),
            ["balrog-secondary-firefox", "build-firefox", "promote-firefox", "ship-firefox", "uv-secondary-firefox"],
            id="rc-behaviour-of-a-beta-version",
        ),
        pytest.param(
            "ship_desktop", params("devedition", "beta", "121.0b3"),
            ["build-devedition", "promote-devedition", "push-devedition", "ship-devedition"], id="ship-devedition",
        ),
    ],
)
def test_desktop_methods(method, parameters, expected):
    assert get_method(method)(GRAPH, parameters, GRAPH_CONFIG) == expected
