"""``model/files.py``: the reader of the files users name refuses each bad one in one line."""

import pytest

from taskgraph_staging.analysis.graphs import REFERENCE_ROOT
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.files import read_graph_config


@pytest.mark.parametrize("content, problem", [
    pytest.param(b"trust-domain: [\n", "is not valid YAML or JSON (line 2)", id="broken"),
    pytest.param(b"", "holds nothing, not a mapping of taskgraph settings (trust-domain, workers, ...)", id="empty"),
    pytest.param(b"- 1\n", "holds a list, not a mapping of taskgraph settings (trust-domain, workers, ...)", id="list"),
    pytest.param(b"\xff\xfe\x00bad\n", "is not UTF-8 text (byte 0)", id="not-utf8"),
    pytest.param(b"1: 2\n", ": key 1 must be a string, not int", id="int-keys"),
    pytest.param(b"trust-domain: gecko\n", "is not a taskgraph configuration: Object missing required field", id="schema"),
])
def test_a_root_config_taskgraph_cannot_use_is_refused_naming_the_file(tmp_path, content, problem):
    (tmp_path / "config.yml").write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        read_graph_config(str(tmp_path))
    message = raised.value.one_line()
    assert message.startswith(f"--root: {tmp_path / 'config.yml'}"), message
    assert problem in message


def test_a_root_without_config_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=rf"^--root: no taskgraph config.yml in {tmp_path}$"):
        read_graph_config(str(tmp_path))


def test_the_reference_root_loads():
    assert read_graph_config(REFERENCE_ROOT)["trust-domain"] == "gecko"
