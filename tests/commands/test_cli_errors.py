"""User errors of the commands that no other test reaches: each is one line on stderr
naming the option or path, nothing on stdout, exit 2 (Ctrl-C: 130)."""

import subprocess

import pytest
import yaml

from taskgraph_staging.interfaces import cli
from taskgraph_staging.interfaces.cli import main

from library.conftest import slot_dict, write_slots


def one_line_error(capsys, command, argv):
    code = main([command, *argv])
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    prefix = f"taskgraph-staging {command}: error: "
    assert err.startswith(prefix), err
    return err[len(prefix):].rstrip("\n")


# --- audit -------------------------------------------------------------------


def test_audit_of_a_directory_without_parameters(tmp_path, capsys):
    (tmp_path / "full-task-graph.json").write_text("{}")
    message = one_line_error(capsys, "audit", [str(tmp_path)])
    assert message == f"{tmp_path}: has no parameters.yml; give a 'plan --output' directory"


def test_audit_of_parameters_that_are_not_a_mapping(tmp_path, capsys):
    (tmp_path / "full-task-graph.json").write_text("{}")
    (tmp_path / "parameters.yml").write_text("- version\n- build_number\n")
    message = one_line_error(capsys, "audit", [str(tmp_path)])
    assert message == f"{tmp_path}: parameters.yml is not a mapping of parameters"


def test_audit_of_parameters_without_level_or_project(tmp_path, capsys):
    (tmp_path / "full-task-graph.json").write_text("{}")
    (tmp_path / "parameters.yml").write_text("version: 121.0b3\n")
    message = one_line_error(capsys, "audit", [str(tmp_path)])
    assert message == f"{tmp_path}: parameters.yml lacks level, project; give the parameters.yml 'plan --output' wrote"


def test_audit_names_the_graph_whose_parameters_are_invalid(tmp_path, capsys):
    (tmp_path / "full-task-graph.json").write_text("{}")
    (tmp_path / "parameters.yml").write_text(yaml.safe_dump({
        "version": "121.0b3", "build_number": 1, "release_product": "firefox", "owner": "alice@example.com",
        "level": "1", "project": "try",
        "staging": {"namespace": "Bad"},
    }))
    message = one_line_error(capsys, "audit", [str(tmp_path)])
    assert message.startswith(f"{tmp_path}: parameters: staging.namespace: "), message
    assert "'Bad' may hold only lowercase letters" in message


def test_audit_with_a_root_without_config(tmp_path, capsys):
    (tmp_path / "full-task-graph.json").write_text("{}")
    message = one_line_error(capsys, "audit", ["--root", str(tmp_path), str(tmp_path)])
    assert message == f"--root: no taskgraph config.yml in {tmp_path}"


# --- plan --------------------------------------------------------------------


def test_plan_with_an_empty_owner(capsys):
    message = one_line_error(capsys, "plan", ["--version", "121.0b3", "--owner", "  "])
    assert message == "--owner: must not be empty"


def test_plan_output_that_is_a_file(tmp_path, capsys):
    output = tmp_path / "out"
    output.write_text("a plan is a directory\n")
    message = one_line_error(capsys, "plan", ["--version", "121.0b3", "--output", str(output)])
    assert message == f"--output: {output} exists and is not a directory"
    assert output.read_text() == "a plan is a directory\n"


@pytest.mark.parametrize("text, problem", [
    pytest.param("pools: [x]\n", "pools must map a family to 'provisioner/worker-type'", id="pools-list"),
    pytest.param("rule_ids: [1]\n", "rule_ids must map a rule alias to a numeric rule id (a whole number of 1 or more)", id="rule-ids-list"),
])
def test_plan_with_services_blocks_that_are_lists(text, problem, tmp_path, capsys):
    services = tmp_path / "services.yml"
    services.write_text(text)
    message = one_line_error(capsys, "plan", ["--version", "121.0b3", "--services", str(services)])
    assert message == f"--services {services}: {problem}"


@pytest.fixture
def reservation(tmp_path):
    """A SQLite registry with one slot checked out by alice: ``(registry url, reservation id)``."""
    from taskgraph_staging.interfaces.library import Registry

    url = str(tmp_path / "library.sqlite")
    assert main(["library", "add", "--registry", url, write_slots(tmp_path / "slots.yml", [slot_dict("lib-one")])]) == 0
    return url, Registry(url).checkout("alice@example.com", "firefox", "rehearsal", 1).id


def test_plan_with_an_unknown_reservation(reservation, capsys):
    url, _ = reservation
    message = one_line_error(capsys, "plan", ["--version", "121.0b3", "--reservation", "no-such-reservation", "--registry", url])
    assert message.startswith("--reservation: "), message
    assert "no-such-reservation" in message


def test_plan_with_a_reservation_in_a_registry_that_is_not_there_creates_none(tmp_path, capsys):
    registry = tmp_path / "missing" / "library.sqlite"
    message = one_line_error(capsys, "plan", ["--version", "121.0b3", "--reservation", "r1", "--registry", str(registry)])
    assert message == (f"--reservation: --registry: no registry at {registry}, so no reservation; "
                       "check one out with `taskgraph-staging library checkout`")
    assert list(tmp_path.iterdir()) == []


def test_plan_with_a_reservation_and_services(reservation, tmp_path, capsys):
    url, reservation_id = reservation
    services = tmp_path / "services.yml"
    services.write_text("shipit: https://shipit.example.com\n")
    message = one_line_error(
        capsys, "plan", ["--version", "121.0b3", "--reservation", reservation_id, "--registry", url, "--services", str(services)]
    )
    assert message == "--services: a reservation brings its own services; give --services or --reservation, not both"


def test_plan_with_a_reservation_of_another_namespace(reservation, capsys):
    url, reservation_id = reservation
    message = one_line_error(
        capsys, "plan", ["--version", "121.0b3", "--reservation", reservation_id, "--registry", url, "--namespace", "zed"]
    )
    assert message.startswith("--namespace: 'zed' differs from the reservation's namespace"), message


# --- diff --------------------------------------------------------------------


def git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True)


def test_diff_without_rev_outside_main_history(tmp_path, capsys):
    git(tmp_path, "init", "-q", "-b", "topic")
    git(tmp_path, "-c", "user.email=a@example.com", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x")
    params = tmp_path / "params"
    params.mkdir()
    (params / "firefox-beta-promote.yml").write_text(yaml.safe_dump({"version": "121.0b3", "shipping_phase": "promote"}))
    message = one_line_error(capsys, "diff", ["--root", str(tmp_path), "--params", str(params)])
    assert message == "diff REV: no merge base of HEAD with main or origin/main; name the revision to compare with"


# --- every command -----------------------------------------------------------


def test_ctrl_c_exits_130_without_a_traceback(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    explain = next(m for m in cli.command_modules() if m.NAME == "explain")
    monkeypatch.setattr(explain, "run", interrupted)
    assert main(["explain"]) == 130
    assert capsys.readouterr() == ("", "")


def test_each_command_is_named_as_its_module():
    # main builds the parser of the command its first word names by importing that
    # module alone: a NAME other than the module's name would be an unknown command.
    assert [m.NAME for m in cli.command_modules()] == cli.command_names()


def test_the_parser_of_one_command_imports_no_other_command():
    import sys

    code = (
        "import sys; from taskgraph_staging.interfaces import cli; cli.build_parser('explain');"
        "print(sorted(m for m in sys.modules if m.startswith('taskgraph_staging.interfaces.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['taskgraph_staging.interfaces.commands.explain']"


def test_an_unknown_command_is_refused_with_every_command_named(capsys):
    with pytest.raises(SystemExit) as e:
        main(["nosuch"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nosuch'" in err and all(f"'{name}'" in err for name in cli.command_names())
