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


def test_past_all_locales_the_scaled_root_ships_distinct_synthetic_locales(tmp_path):
    root = make_scaled_root(str(tmp_path / "root"), 250)
    shipped = read_locales(f"{root}/kinds/locales/shipped-locales")
    real = read_locales(f"{root}/kinds/locales/all-locales")
    assert len(shipped) == len(set(shipped)) == 250
    assert shipped[: len(real)] == real
    assert shipped[len(real):len(real) + 2] == ["xa-AA", "xa-AB"]


@pytest.mark.parametrize("count", [0, 10_001])
def test_scaled_root_rejects_a_count_out_of_range(tmp_path, count):
    with pytest.raises(StagingError, match=f"n_locales must be 1 to 10000, not {count}"):
        make_scaled_root(str(tmp_path / "root"), count)
