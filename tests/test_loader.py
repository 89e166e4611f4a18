"""The one adoption line per kind: the staging layer always runs after ``task``."""

import pytest

from taskgraph_staging.staging import loader as staging_loader

STAGING = staging_loader.STAGING_TRANSFORMS


def load(config, monkeypatch):
    """Run the staging loader on a kind config; return the transforms it ends with."""
    monkeypatch.setattr(staging_loader, "transform_loader", lambda *a, **k: [])
    staging_loader.loader("k", "/kinds/k", config, {}, [], False)
    return config["transforms"]


@pytest.mark.parametrize(
    "config, expected",
    [
        pytest.param(
            {"transforms": ["my.transforms", "taskgraph.transforms.task"]},
            ["my.transforms", "taskgraph.transforms.task", STAGING],
            id="transform-loader-kind",
        ),
        pytest.param(
            {"transforms": ["my.transforms"]},
            ["my.transforms", "taskgraph.transforms.run:transforms", "taskgraph.transforms.task:transforms", STAGING],
            id="default-loader-kind",
        ),
        pytest.param({}, ["taskgraph.transforms.run:transforms", "taskgraph.transforms.task:transforms", STAGING], id="no-transforms"),
    ],
)
def test_the_staging_layer_runs_last(config, expected, monkeypatch):
    # The default loader goes through taskgraph's transform loader, patched out here.
    monkeypatch.setattr("taskgraph.loader.default.transform_loader", lambda *a, **k: [])
    assert load(config, monkeypatch) == expected


def test_a_kind_keeps_its_own_loader(monkeypatch):
    calls = []
    monkeypatch.setattr(staging_loader, "find_object", lambda path: lambda *a: calls.append(path) or [])
    config = {"staging-inner-loader": "host.loader:loader", "transforms": ["host.transforms"]}
    staging_loader.loader("k", "/kinds/k", config, {}, [], False)
    assert calls == ["host.loader:loader"]
    assert config == {"transforms": ["host.transforms", STAGING]}
