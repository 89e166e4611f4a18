"""taskgraph-staging explain and docs/task-types.rst: the same rows, from the rewriters."""

import json
import os

import pytest
from docutils.core import publish_doctree
from docutils import nodes

from taskgraph_staging.interfaces.cli import main
from taskgraph_staging.staging.transforms.explain import COLUMNS, MISSING, rows, rst_table
from taskgraph_staging.staging.transforms.registry import REWRITERS

DOCS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "docs")
#: Families whose rewriter and explanation this part owns (issue 3).
ISSUE3_FAMILIES = {
    "bouncer", "bouncer-check", "update-verify-config", "update-verify", "final-verify", "pushapk", "pushsnap",
    "pushflatpak", "pushmsix", "shipit", "notify", "partials", "checksums", "partner",
}


def test_one_row_per_registered_rewriter():
    table = rows()
    assert [r.family for r in table] == sorted(REWRITERS)
    assert all(r.summary == REWRITERS[r.family].summary for r in table)


@pytest.mark.parametrize("family", sorted(ISSUE3_FAMILIES))
def test_every_issue3_family_explains_itself(family):
    (row,) = [r for r in rows() if r.family == family]
    for key, _ in COLUMNS:
        assert getattr(row, key) and getattr(row, key) != MISSING, (family, key)


def test_json_prints_every_row(capsys):
    assert main(["explain", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == [r.as_dict() for r in rows()]


def test_text_names_each_family_and_column(capsys):
    assert main(["explain", "bouncer", "pushapk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bouncer  [release-bouncer-sub, release-partner-repack-bouncer-sub, release-bouncer-aliases]\n  Production form: ")
    assert "\npushapk  [push-bundle (Google Play, AAB), push-apks (Samsung Galaxy store, APKs)]\n" in out
    assert out.count("What it cannot verify on Try, and why: ") == 2


def test_unknown_family_is_one_line_exit_2(capsys):
    assert main(["explain", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taskgraph-staging explain: error: explain: unknown task family nope; known: ")
    assert err.count("\n") == 1


def test_rst_table_has_the_rows_cell_for_cell():
    table = rows()
    tree = publish_doctree(rst_table(table), settings_overrides={"report_level": 5})
    body = [[entry.astext() for entry in row.findall(nodes.entry)] for row in tree.findall(nodes.row)]
    assert body[0] == [heading for _, heading in COLUMNS]
    assert body[1:] == [[getattr(r, key) for key, _ in COLUMNS] for r in table]


def test_docs_page_renders_the_directive_not_a_copy(capsys):
    with open(os.path.join(DOCS, "task-types.rst")) as fh:
        page = fh.read()
    assert page.count(".. staging-task-types::") == 1
    assert "list-table" not in page and all(r.production not in page for r in rows())
    with open(os.path.join(DOCS, "conf.py")) as fh:
        assert '"taskgraph_staging.interfaces.docs_ext"' in fh.read()
    with open(os.path.join(os.path.dirname(DOCS), "taskgraph_staging", "interfaces", "docs_ext.py")) as fh:
        assert 'add_directive("staging-task-types", TaskTypes)' in fh.read()
    assert main(["explain", "--format", "rst"]) == 0
    assert capsys.readouterr().out == rst_table(rows())


def test_every_rewriter_has_an_explanation():
    from taskgraph_staging.staging.transforms.explain import MISSING, rows

    missing = [row.family for row in rows() if MISSING in (row.production, row.try_form, row.verifies, row.cannot)]
    assert missing == []
