"""The reference Bouncer tasks hold the fields Firefox's tree gives them (issue 15).

Read in mozilla/gecko-dev: taskcluster/kinds/release-bouncer-sub at 5a268fa46ee4 and
gecko_taskgraph/transforms/bouncer_submission.py at 4085b4b63548 (which predates
linux64-aarch64's archive directory: linux-aarch64, as the archive has it).
"""

import pytest

#: The production release of conftest.production_graph.
PRODUCTION_RELEASE = dict(version="121.0b3", app_version="121.0", next_version="121.0b4", build_number=1,
                          release_type="beta", release_product="firefox",
                          partial_updates={"120.0b9": {"buildNumber": 1}, "120.0b8": {"buildNumber": 2}})

PLATFORMS = {"linux", "linux64", "linux64-aarch64", "osx", "win", "win64", "win64-aarch64"}
ARCHIVE = {"linux": "linux-i686", "linux64": "linux-x86_64", "linux64-aarch64": "linux-aarch64", "osx": "mac",
           "win": "win32", "win64": "win64", "win64-aarch64": "win64-aarch64"}
WINDOWS = {"win", "win64", "win64-aarch64"}
V = PRODUCTION_RELEASE["version"]
RELEASES = f"/firefox/releases/{V}"


def of_kind(graph, kind):
    return {label: task for label, task in graph.tasks.items() if task.kind == kind}


def entries_of(graph, label):
    return graph.tasks[label].task["payload"]["submission_entries"]


def test_nine_products_on_seven_platforms_one_partial_per_previous_version(production_graph, production_params):
    assert production_params == PRODUCTION_RELEASE
    # A beta: Devedition (built from the beta repository) submits its own products beside Firefox's.
    assert set(of_kind(production_graph, "release-bouncer-sub")) == {"release-bouncer-sub-firefox", "release-bouncer-sub-devedition"}
    task = production_graph.tasks["release-bouncer-sub-firefox"]
    assert "project:releng:bouncer:server:production" in task.task["scopes"]
    entries = entries_of(production_graph, "release-bouncer-sub-firefox")
    installer = {"linux": f"firefox-{V}.tar.xz", "linux64": f"firefox-{V}.tar.xz",
                 "linux64-aarch64": f"firefox-{V}.tar.xz", "osx": f"Firefox%20{V}.dmg",
                 **{p: f"Firefox%20Setup%20{V}.exe" for p in WINDOWS}}
    installer_paths = {p: f"{RELEASES}/{ARCHIVE[p]}/:lang/{f}" for p, f in installer.items()}
    expected = {
        f"Firefox-{V}": ({"add_locales": True, "ssl_only": False}, installer_paths),
        f"Firefox-{V}-SSL": ({"add_locales": True, "ssl_only": True}, installer_paths),
        f"Firefox-{V}-Complete": ({"add_locales": True, "ssl_only": False},
                                  {p: f"{RELEASES}/update/{ARCHIVE[p]}/:lang/firefox-{V}.complete.mar" for p in PLATFORMS}),
        f"Firefox-{V}-stub": ({"add_locales": True, "ssl_only": True},
                              {p: f"{RELEASES}/win32/:lang/Firefox%20Installer.exe" for p in WINDOWS}),
        f"Firefox-{V}-msi-SSL": ({"add_locales": True, "ssl_only": True},
                                 {p: f"{RELEASES}/{ARCHIVE[p]}/:lang/Firefox%20Setup%20{V}.msi" for p in ("win", "win64")}),
        f"Firefox-{V}-msix-SSL": ({"add_locales": False, "ssl_only": True},
                                  {p: f"{RELEASES}/{ARCHIVE[p]}/multi/Firefox%20Setup%20{V}.msix" for p in WINDOWS}),
        f"Firefox-{V}-pkg-SSL": ({"add_locales": True, "ssl_only": True}, {"osx": f"{RELEASES}/mac/:lang/Firefox%20{V}.pkg"}),
        f"Firefox-{V}-langpack-SSL": ({"add_locales": True, "ssl_only": True},
                                      {p: f"{RELEASES}/{ARCHIVE[p]}/xpi/:lang.xpi" for p in PLATFORMS}),
    }
    for previous in PRODUCTION_RELEASE["partial_updates"]:
        expected[f"Firefox-{V}-Partial-{previous}"] = (
            {"add_locales": True, "ssl_only": False},
            {p: f"{RELEASES}/update/{ARCHIVE[p]}/:lang/firefox-{previous}-{V}.partial.mar" for p in PLATFORMS})
    assert {name: (e["options"], e["paths_per_bouncer_platform"]) for name, e in entries.items()} == expected
    assert "en-US" in task.task["payload"]["locales"]


def test_an_esr_has_no_stub_and_serves_its_installer_over_ssl(graph):
    esr = graph(production=True, **dict(PRODUCTION_RELEASE, version="140.5.0esr", app_version="140.5.0",
                                        next_version="140.5.1esr", release_type="esr140",
                                        partial_updates={"140.4.0esr": {"buildNumber": 1}}))
    entries = entries_of(esr, "release-bouncer-sub-firefox")
    assert not any(name.endswith("-stub") for name in entries)
    assert entries["Firefox-140.5.0esr"]["options"]["ssl_only"] is True
    assert "release-bouncer-sub-firefox-rc" not in esr.tasks


def test_an_rc_also_submits_the_candidates_mars(graph):
    rc = graph(production=True, **dict(PRODUCTION_RELEASE, version="121.0", app_version="121.0", next_version="121.0.1",
                                       release_type="release-rc", build_number=2,
                                       partial_updates={"120.0.1": {"buildNumber": 1}}))
    entries = entries_of(rc, "release-bouncer-sub-firefox-rc")
    candidates = "/firefox/candidates/121.0-candidates/build2/update"
    assert {name: e["paths_per_bouncer_platform"]["win64"] for name, e in entries.items()} == {
        "Firefox-121.0build2-Complete": f"{candidates}/win64/:lang/firefox-121.0.complete.mar",
        "Firefox-121.0build2-Partial-120.0.1build1": f"{candidates}/win64/:lang/firefox-120.0.1-121.0.partial.mar",
    }
    assert all(e["options"] == {"add_locales": True, "ssl_only": False} for e in entries.values())
    assert set(entries["Firefox-121.0build2-Complete"]["paths_per_bouncer_platform"]) == PLATFORMS


@pytest.mark.parametrize("release_type", ["beta", "release"])
def test_outside_rcs_there_is_no_candidates_task(graph, release_type):
    version = "121.0b3" if release_type == "beta" else "121.0"
    g = graph(production=True, **dict(PRODUCTION_RELEASE, version=version, release_type=release_type))
    assert "release-bouncer-sub-firefox-rc" not in g.tasks


# --- aliases: mozilla/gecko-dev taskcluster/kinds/release-bouncer-aliases (as stored in
# marco-c/gecko-dev-wordified at 1603ce97c42b) ---------------------------------------

def alias_suffixes(prefix, stub=True):
    names = {f"{prefix}-latest-ssl": "-SSL", f"{prefix}-latest": "", f"{prefix}-msi-latest-ssl": "-msi-SSL",
             f"{prefix}-msix-latest-ssl": "-msix-SSL", f"{prefix}-pkg-latest-ssl": "-pkg-SSL",
             f"{prefix}-langpack-latest-ssl": "-langpack-SSL"}
    if stub:
        names[f"{prefix}-stub"] = "-stub"
    return names


def test_aliases_point_at_every_product_once_bouncer_check_passed(production_graph):
    task = production_graph.tasks["release-bouncer-aliases-firefox"]
    assert task.dependencies == {"release-bouncer-check": "release-bouncer-check-firefox"}
    assert "project:releng:bouncer:server:production" in task.task["scopes"]
    assert task.task["payload"]["aliases_entries"] == {
        alias: f"Firefox-{V}{suffix}" for alias, suffix in alias_suffixes("firefox-beta").items()}
    # Each alias names a product the submission creates.
    assert set(task.task["payload"]["aliases_entries"].values()) <= set(entries_of(production_graph, "release-bouncer-sub-firefox"))


@pytest.mark.parametrize("version, prefix", [("115.5.0esr", "firefox-esr"), ("153.1.0esr", "firefox-esr-next")])
def test_esr_aliases_and_the_newer_branchs_esr_next(graph, version, prefix):
    major = version.split(".")[0]
    esr = graph(production=True, **dict(PRODUCTION_RELEASE, version=version, app_version=version[:-3],
                                        next_version=version, release_type=f"esr{major}", partial_updates={}))
    (task,) = of_kind(esr, "release-bouncer-aliases").values()  # Devedition's: beta releases only
    assert task.task["payload"]["aliases_entries"] == {
        alias: f"Firefox-{version}{suffix}" for alias, suffix in alias_suffixes(prefix, stub=False).items()}


def test_devedition_aliases_are_the_real_trees(production_graph):
    """mozilla-firefox/firefox release-bouncer-aliases' devedition task (read in
    SAP/project-foxhound at 271a916111ae): five aliases, no pkg or langpack, after its own check."""
    task = production_graph.tasks["release-bouncer-aliases-devedition"]
    assert task.attributes["shipping_product"] == "devedition"
    assert task.dependencies == {"release-bouncer-check": "release-bouncer-check-devedition"}
    assert sorted(task.task["scopes"]) == ["project:releng:bouncer:action:aliases", "project:releng:bouncer:server:production"]
    assert task.task["payload"]["aliases_entries"] == {
        "firefox-devedition-latest-ssl": f"Devedition-{V}-SSL",
        "firefox-devedition-latest": f"Devedition-{V}",
        "firefox-devedition-stub": f"Devedition-{V}-stub",
        "firefox-devedition-msi-latest-ssl": f"Devedition-{V}-msi-SSL",
        "firefox-devedition-msix-latest-ssl": f"Devedition-{V}-msix-SSL",
    }
    assert set(task.task["payload"]["aliases_entries"].values()) <= set(entries_of(production_graph, "release-bouncer-sub-devedition"))
    assert production_graph.tasks["release-mark-as-shipped-devedition"].dependencies["release-bouncer-aliases"] == task.label
