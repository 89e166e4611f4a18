"""``taskgraph-staging push`` of the comm host (hosts/comm) from a Mercurial checkout:
its product, version files and release from its own config.yml (issue 17)."""

import json
import os
import shutil

from taskgraph_staging.interfaces.cli import main
from vcs_repos import hg_nodes, run

HOST = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "hosts", "comm")


def test_push_of_the_comm_host_names_thunderbird(tmp_path, hg_try, capsys):
    checkout = tmp_path / "comm"
    shutil.copytree(HOST, checkout, ignore=shutil.ignore_patterns("pre-adoption", "tests", "__pycache__"))
    run("hg", "init", cwd=checkout)
    with open(checkout / ".hg" / "hgrc", "w") as fh:
        fh.write(f"[ui]\nusername = Alice <alice@example.com>\n[paths]\ntry = {hg_try}\n")
    run("hg", "add", "-q", cwd=checkout)
    run("hg", "commit", "-m", "comm", cwd=checkout)
    run("hg", "push", "-q", "try", cwd=checkout)
    before = set(hg_nodes(hg_try))

    assert main(["push", "--repository", str(checkout), "-v", "140.0b3"]) == 0

    (node,) = set(hg_nodes(hg_try)) - before
    files = run("hg", "log", "-r", node, "-T", "{join(files, '\\n')}", cwd=hg_try).split()
    assert sorted(files) == ["mail/config/version_display.txt", "try_task_config.json"]
    assert run("hg", "cat", "-r", node, "mail/config/version_display.txt", cwd=hg_try) == "140.0b3\n"
    config = json.loads(run("hg", "cat", "-r", node, "try_task_config.json", cwd=hg_try))
    assert config["parameters"]["release_product"] == "thunderbird"
    assert capsys.readouterr().out.splitlines()[-1].endswith("staging release: alice thunderbird 140.0b3 build1 (beta)")
