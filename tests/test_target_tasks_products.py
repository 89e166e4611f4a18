"""The build phase builds the host's products, whether or not config.yml lists them (issue 17)."""

from types import SimpleNamespace

import pytest
from taskgraph.config import GraphConfig

from taskgraph_staging.staging.target_tasks import target_tasks_staging_release_builds


def graph(*tasks):
    return SimpleNamespace(tasks={label: SimpleNamespace(kind=label.split("-")[0], attributes=attrs) for label, attrs in tasks})


BUILDS = graph(
    ("build-thunderbird-linux64", {"shipping_phase": "build", "shipping_product": "thunderbird"}),
    ("balrog-thunderbird-linux64", {"shipping_phase": "promote", "shipping_product": "thunderbird"}),
    ("docker-image-x", {}),
)


@pytest.mark.parametrize(
    "config",
    [
        pytest.param({}, id="nothing-named"),
        pytest.param({"release-promotion": {"flavors": {"promote_thunderbird": {"product": "thunderbird"}}}}, id="flavors"),
        pytest.param({"staging-release": {"products": {"thunderbird": {"family": "desktop"}}}}, id="staging-release-products"),
    ],
)
def test_the_build_graph_builds_the_hosts_products(config):
    graph_config = GraphConfig(dict({"trust-domain": "comm"}, **config), "/nonexistent/taskcluster")
    assert target_tasks_staging_release_builds(BUILDS, {}, graph_config) == ["build-thunderbird-linux64"]
