import os

import pytest
import yaml

#: A PostgreSQL URL the registry tests also run against (CI's .ci/run sets it).
POSTGRES_ENV = "TASKGRAPH_STAGING_TEST_POSTGRES"


def slot_dict(name, host="example"):
    """A valid slot definition whose instances are all named after ``name``."""
    return {
        "id": name,
        "balrog": {"admin": f"https://balrog-admin.{name}.{host}/api", "public": f"https://balrog.{name}.{host}"},
        "bouncer": {"admin": f"https://bouncer-admin.{name}.{host}/api", "redirector": f"https://bouncer.{name}.{host}"},
        "archive": {"bucket": f"{name}-archive", "domain": f"archive.{name}.{host}", "endpoint": f"https://s3.{name}.{host}"},
        "shipit": {"url": f"https://shipit.{name}.{host}"},
        "pools": {family: f"scriptworker-k8s/gecko-1-{family}-{name}" for family in ("beetmover", "balrog", "bouncer", "shipit")},
    }


def write_slots(path, slots):
    path.write_text(yaml.safe_dump({"slots": slots}))
    return str(path)


def _reset(url):
    from taskgraph_staging.interfaces.library.registry import _engine, metadata, registry_url

    engine = _engine(registry_url(url))
    metadata.drop_all(engine)
    metadata.create_all(engine)


@pytest.fixture(params=["sqlite", "postgresql"])
def registry_url(request, tmp_path):
    """A fresh, empty registry: a SQLite file, and PostgreSQL where $TASKGRAPH_STAGING_TEST_POSTGRES names one."""
    if request.param == "sqlite":
        return str(tmp_path / "library.sqlite")
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL registry tests need ${POSTGRES_ENV} (a database URL); .ci/run sets it")
    _reset(url)
    return url


@pytest.fixture
def sqlite_registry(tmp_path):
    return str(tmp_path / "library.sqlite")


@pytest.fixture(name="slot_dict")
def slot_dict_fixture():
    return slot_dict


@pytest.fixture(name="write_slots")
def write_slots_fixture():
    return write_slots


@pytest.fixture
def registry(tmp_path):
    """A SQLite registry where ``library add`` registered the slot lib-one."""
    from taskgraph_staging.interfaces.cli import main

    url = str(tmp_path / "library.sqlite")
    assert main(["library", "add", "--registry", url, write_slots(tmp_path / "slots.yml", [slot_dict("lib-one")])]) == 0
    return url
