"""Reading and rewriting one script's arguments inside a shell command."""

import pytest

from taskgraph_staging.staging.transforms.shell_args import ScriptCall, find_call

SCRIPT = "tools/run.py"


@pytest.mark.parametrize("text,name,values", [
    pytest.param("python tools/run.py --a 1 --b 2", "a", ["1"], id="spaced"),
    pytest.param("python tools/run.py --a=1 --b 2", "a", ["1"], id="equals"),
    pytest.param("python tools/run.py --p 1 --p 2", "p", ["1", "2"], id="repeated"),
    pytest.param("python tools/run.py --r '^\\d+ (b)$'", "r", ["^\\d+ (b)$"], id="single-quoted"),
    pytest.param('python tools/run.py --c "$CHANNEL"', "c", ["$CHANNEL"], id="variable"),
    pytest.param("python tools/run.py --x 1 && other --a 9", "a", [], id="after-an-operator"),
    pytest.param("cd src && ./tools/run.py --a 1; echo --a 2", "a", ["1"], id="between-operators"),
])
def test_values(text, name, values):
    assert ScriptCall.find(text, SCRIPT).values(name) == values


def test_another_script_is_not_found():
    assert ScriptCall.find("python tools/other.py --a 1", SCRIPT) is None


def test_without_and_appending_keep_what_follows():
    call = ScriptCall.find("cd src && tools/run.py --a 1 --b=2 --a 3 --c x && echo done", SCRIPT)
    call = call.without("a", "b").appending([("a", "new value"), ("d", "$x")])
    assert call.text == "cd src && tools/run.py --c x --a 'new value' --d '$x' && echo done"


def test_literal_and_variable_values():
    call = ScriptCall.find('tools/run.py --a 1 --b "$B"', SCRIPT)
    assert call.is_literal("a") and not call.is_literal("b") and not call.is_literal("missing")


def test_find_call_reads_references():
    task_def = {"payload": {"command": ["run-task", "--", "bash", "-cx", {"artifact-reference": "tools/run.py <a/x>"}]}}
    container, key, call = find_call(task_def, SCRIPT)
    assert (container, key, call.text) == ({"artifact-reference": "tools/run.py <a/x>"}, "artifact-reference", "tools/run.py <a/x>")
