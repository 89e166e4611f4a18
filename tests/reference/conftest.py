import pytest

#: Parameters of a production beta release of the reference product.
PRODUCTION_RELEASE = dict(
    version="121.0b3",
    app_version="121.0",
    next_version="121.0b4",
    build_number=1,
    release_type="beta",
    release_product="firefox",
    partial_updates={"120.0b9": {"buildNumber": 1}, "120.0b8": {"buildNumber": 2}},
)


@pytest.fixture(scope="session")
def production_params():
    return dict(PRODUCTION_RELEASE)


@pytest.fixture(scope="session")
def production_graph(graph):
    return graph(production=True, **PRODUCTION_RELEASE)
