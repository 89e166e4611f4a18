"""Firefox's mark-as-shipped waits for Balrog scheduling, the Bouncer aliases and the
version bump, as in Firefox's tree (issue 15; mozilla/gecko-dev
taskcluster/kinds/release-mark-as-shipped)."""


def test_mark_as_shipped_waits_for_scheduling_aliases_and_the_version_bump(production_graph):
    task = production_graph.tasks["release-mark-as-shipped-firefox"]
    assert task.dependencies == {
        "release-balrog-scheduling": "release-balrog-scheduling-firefox",
        "release-bouncer-aliases": "release-bouncer-aliases-firefox",
        "release-version-bump": "release-version-bump-firefox",
    }
