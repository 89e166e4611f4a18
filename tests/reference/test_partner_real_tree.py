"""The partner and EME-free repack chains and the partner Bouncer submission hold the
fields Firefox's tree gives them (issue 15).

Read in SAP/project-foxhound, a mirror of mozilla-firefox/firefox:
taskcluster/kinds/release-partner-repack-bouncer-sub at 3fbc8b57fc7a with
gecko_taskgraph/transforms/bouncer_submission_partners.py and util/partners.py
(get_partners_to_be_published) at 13bb51c93d0f / 3093648f4551; release-eme-free-repack at
271a916111ae; the partner signing, repackage and beetmover kinds and transforms at
9dcb850a2774, 3093648f4551, a561d1116fac and 8770be4151c7; release-bouncer-aliases at
271a916111ae.
"""

import pytest

from release_graphs import reference_graph

V = "121.0"
PARTNERS = {
    "release-partner-repack": {
        "acme": {
            "acme-desktop": {"platforms": ["linux64-shippable", "macosx64-shippable", "win32-shippable", "win64-shippable"],
                             "locales": ["en-US", "de"], "publish_to_releases": True},
            "acme-unpublished": {"platforms": ["win64-shippable"], "locales": ["en-US"]},
        },
    },
}
PRODUCTION = dict(version=V, app_version=V, next_version="121.0.1", build_number=1, release_type="release",
                  release_product="firefox", partial_updates={}, release_enable_partner_repack=True,
                  release_enable_emefree=True, release_partner_config=PARTNERS)


@pytest.fixture(scope="module")
def production():
    return reference_graph(production=True, **PRODUCTION)


def of_kind(graph, kind):
    return {label: task for label, task in graph.tasks.items() if task.kind == kind}


def test_partner_bouncer_submission_is_the_real_trees(production):
    (task,) = of_kind(production, "release-partner-repack-bouncer-sub").values()
    assert task.attributes["shipping_phase"] == "promote"
    assert task.dependencies == {}
    assert sorted(task.task["scopes"]) == ["project:releng:bouncer:action:submission", "project:releng:bouncer:server:production"]
    payload = task.task["payload"]
    # "the schema requires at least one locale but this will not be used"
    assert payload["locales"] == ["fake"]
    releases = f"/firefox/releases/partners/acme/acme-desktop/{V}"
    # Only the published sub-config, on its own platforms; the stub is the win32 one on Windows.
    assert payload["submission_entries"] == {
        f"Firefox-{V}-acme-acme-desktop": {
            "options": {"add_locales": False, "ssl_only": False},
            "paths_per_bouncer_platform": {
                "linux64": f"{releases}/linux-x86_64/:lang/firefox-{V}.tar.xz",
                "osx": f"{releases}/mac/:lang/Firefox%20{V}.dmg",
                "win": f"{releases}/win32/:lang/Firefox%20Setup%20{V}.exe",
                "win64": f"{releases}/win64/:lang/Firefox%20Setup%20{V}.exe",
            },
        },
        f"Firefox-{V}-acme-acme-desktop-stub": {
            "options": {"add_locales": False, "ssl_only": True},
            "paths_per_bouncer_platform": {p: f"{releases}/win32/:lang/Firefox%20Installer.exe" for p in ("win", "win64")},
        },
    }


def test_partner_aliases_point_at_the_partner_products(production):
    entries = production.tasks["release-bouncer-aliases-firefox"].task["payload"]["aliases_entries"]
    assert entries["partner-firefox-release-acme-acme-desktop-latest"] == f"Firefox-{V}-acme-acme-desktop"
    assert entries["partner-firefox-release-acme-acme-desktop-stub"] == f"Firefox-{V}-acme-acme-desktop-stub"
    assert not any("unpublished" in alias for alias in entries)


@pytest.mark.parametrize("overrides", [
    pytest.param({"release_partner_config": None}, id="no-partner-config"),
    pytest.param({"version": "115.5.0esr", "app_version": "115.5.0", "next_version": "115.6.0esr", "release_type": "esr115"}, id="esr"),
])
def test_no_published_product_drops_the_submission(overrides):
    graph = reference_graph(production=True, **dict(PRODUCTION, **overrides))
    assert of_kind(graph, "release-partner-repack-bouncer-sub") == {}


def test_eme_free_repack_is_the_real_trees(production):
    tasks = of_kind(production, "release-eme-free-repack")
    # macOS and Windows only: the real tree builds no Linux EME-free repack.
    assert sorted(t.attributes["build_platform"] for t in tasks.values()) == ["macosx64", "win32", "win64"]
    task = production.tasks["release-eme-free-repack-firefox-win64"]
    assert task.attributes["shipping_phase"] == "promote"
    assert task.dependencies == {"build-signing": "build-signing-firefox-win64"}
    assert task.task["payload"]["env"]["REPACK_MANIFESTS_URL"] == "https://github.com/mozilla-partners/mozilla-EME-free-manifest"
    assert task.task["payload"]["maxRunTime"] == 7200
    assert task.task["extra"]["treeherder"]["symbol"] == "EME"


def test_eme_free_chain_signs_repackages_and_uploads_as_the_real_tree(production):
    tasks = production.tasks
    mac = tasks["release-eme-free-repack-mac-signing-firefox-macosx64"]
    assert (mac.task["workerType"], mac.task["payload"]["behavior"]) == ("gecko-signing-mac14m2", "mac_sign_and_pkg")
    assert tasks["release-eme-free-repack-repackage-firefox-macosx64"].dependencies == {"signed": mac.label}
    win = tasks["release-eme-free-repack-repackage-signing-firefox-win64"]
    assert win.task["workerType"] == "gecko-3-signing"
    assert "project:releng:signing:cert:release-signing" in win.task["scopes"]
    assert win.task["payload"]["upstreamArtifacts"][0]["formats"] == ["gcp_prod_autograph_authenticode_202412", "gcp_prod_autograph_gpg"]
    assert tasks["release-eme-free-repack-repackage-signing-firefox-macosx64"].task["payload"]["upstreamArtifacts"][0]["formats"] == [
        "gcp_prod_autograph_gpg"]
    upload = tasks["release-eme-free-repack-beetmover-firefox-win64"]
    assert set(upload.dependencies.values()) == {
        "release-eme-free-repack-firefox-win64", "release-eme-free-repack-repackage-firefox-win64",
        "release-eme-free-repack-repackage-signing-firefox-win64"}
    destinations = {d for entry in upload.task["payload"]["artifactMap"] for p in entry["paths"].values() for d in p["destinations"]}
    # The real tree's partner path "{platform}-EME-free/{locale}" under the candidates.
    candidates = f"pub/firefox/candidates/{V}-candidates/build1/"
    assert destinations == {f"{candidates}win64-EME-free/en-US/Firefox Setup {V}.exe", f"{candidates}win64-EME-free/en-US/Firefox Setup {V}.exe.asc"}
    assert "release-eme-free-repack-beetmover-checksums-firefox-win64" in tasks


def test_partner_chain_follows_the_real_trees_kinds(production):
    tasks = production.tasks
    # Linux signs the repack's tarball itself; macOS and Windows sign the repackaged installers.
    assert tasks["release-partner-repack-repackage-signing-firefox-linux64"].dependencies == {"repack": "release-partner-repack-firefox-linux64"}
    assert tasks["release-partner-repack-repackage-firefox-win32"].dependencies == {"release-partner-repack": "release-partner-repack-firefox-win32"}
    upload = tasks["release-partner-repack-beetmover-firefox-macosx64"]
    destinations = {d for entry in upload.task["payload"]["artifactMap"] for p in entry["paths"].values() for d in p["destinations"]}
    assert destinations == {f"pub/firefox/candidates/{V}-candidates/build1/partner-repacks/default/v1/mac/en-US/Firefox {V}{ext}"
                            for ext in (".dmg", ".dmg.asc")}
    assert not of_kind(production, "release-partner-repack-signing")
