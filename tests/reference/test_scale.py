import pytest

from taskgraph_staging.model.errors import StagingError
from taskgraph_staging.staging.reference.platforms import read_locales
from taskgraph_staging.analysis.scale import make_scaled_root


def test_scaled_root_ships_n_locales(tmp_path):
    root = make_scaled_root(str(tmp_path / "root"), 40)
    locales = read_locales(f"{root}/kinds/locales/shipped-locales")
    assert len(locales) == 40 and locales[:3] == ["ach", "af", "an"]
    assert (tmp_path / "root" / "config.yml").is_file()
    assert (tmp_path / "root" / "kinds" / "balrog" / "kind.yml").is_file()


def test_scaled_root_rejects_too_many(tmp_path):
    with pytest.raises(StagingError, match="n_locales must be 1 to 106"):
        make_scaled_root(str(tmp_path / "root"), 500)
