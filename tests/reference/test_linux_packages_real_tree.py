"""The Linux packages as in Firefox's tree (issue 15): repackage-deb and repackage-deb-l10n
(mozilla-firefox/firefox taskcluster/kinds/, gecko_taskgraph/transforms/repackage.py
PACKAGE_FORMATS, read in SAP/project-foxhound at 9dcb850a2774 / 3093648f4551), their
uploads (manifests/firefox_candidates.yml ``target.deb``, ``target.langpack.deb``) and
beetmover-apt (kinds/beetmover-apt, transforms/beetmover_apt.py, util/scriptworker.py
``BEETMOVER_APT_REPO_SCOPES``, read there at 8770be4151c7 / 9dcb850a2774)."""

from registry_imports import import_payload

CANDIDATES = "pub/{product}/candidates/121.0b3-candidates/build1/"


def tasks_of(graph, kind, product=None):
    return sorted(
        (t for t in graph.tasks.values() if t.kind == kind and product in (None, t.attributes["shipping_product"])),
        key=lambda t: t.label,
    )


def test_repackage_deb_packages_each_signed_linux_build(production_graph):
    tasks = tasks_of(production_graph, "repackage-deb")
    assert [(t.attributes["shipping_product"], t.attributes["build_platform"], t.attributes["shipping_phase"]) for t in tasks] == [
        ("devedition", "linux64", "promote"), ("devedition", "linux64-aarch64", "promote"),
        ("firefox", "linux64", "promote"), ("firefox", "linux64-aarch64", "promote"),
    ]
    firefox = production_graph.tasks["repackage-deb-firefox-linux64-aarch64"]
    assert firefox.dependencies == {"build-signing": "build-signing-firefox-linux64-aarch64"}
    command = firefox.task["payload"]["command"][-1]
    # PACKAGE_FORMATS["deb"]: deb --arch {architecture} --templates {deb-templates} --version
    # {version_display} --build-number {build_number} --product {shipping_product} --release-type {release_type}
    for arg in ('./mach repackage deb --input "$SIGNED_PACKAGE_URL" --arch "$DEB_ARCH"',
                "--templates browser/installer/linux/app/debian", '--version "$VERSION" --build-number "$BUILD_NUMBER"',
                "--product firefox --release-type beta", "target.deb"):
        assert arg in command
    assert firefox.task["payload"]["env"]["DEB_ARCH"] == "aarch64"
    assert firefox.task["extra"]["treeherder"]["symbol"] == "Rpk-deb"


def test_repackage_deb_l10n_packages_linux64_s_langpacks(production_graph):
    tasks = tasks_of(production_graph, "repackage-deb-l10n", "firefox")
    l10n = sorted(t.attributes["locale"] for t in tasks_of(production_graph, "shippable-l10n-signing", "firefox") if t.attributes["build_platform"] == "linux64")
    assert sorted(t.attributes["locale"] for t in tasks) == l10n
    assert {t.attributes["build_platform"] for t in tasks} == {"linux64"}
    de = production_graph.tasks["repackage-deb-l10n-firefox-de"]
    assert de.dependencies == {"shippable-l10n-signing": "shippable-l10n-signing-firefox-linux64-de"}
    command = de.task["payload"]["command"][-1]
    # PACKAGE_FORMATS["deb-l10n"]: inputs input-xpi-file (target.langpack.xpi) and input-tar-file
    for arg in ('./mach repackage deb-l10n --input-xpi-file "$LANGPACK_URL" --input-tar-file "$SIGNED_PACKAGE_URL"',
                "--templates browser/installer/linux/langpack/debian", "--product firefox", "target.langpack.deb"):
        assert arg in command
    assert de.task["extra"]["treeherder"]["groupSymbol"] == "deb-L10n"


def test_the_candidates_beetmover_uploads_the_debs_where_firefox_candidates_yml_puts_them(production_graph):
    def deb_paths(label):
        task = production_graph.tasks[label]
        return {p: i["destinations"] for e in task.task["payload"]["artifactMap"] for p, i in e["paths"].items() if p.endswith(".deb")}

    base = CANDIDATES.format(product="firefox")
    assert deb_paths("beetmover-repackage-firefox-linux64-en-US") == {"public/build/target.deb": [f"{base}linux-x86_64/en-US/firefox-121.0b3.deb"]}
    assert deb_paths("beetmover-repackage-firefox-linux64-aarch64-en-US") == {"public/build/target.deb": [f"{base}linux-aarch64/en-US/firefox-121.0b3.deb"]}
    assert deb_paths("beetmover-repackage-firefox-linux64-de") == {"public/build/de/target.langpack.deb": [f"{base}linux-x86_64/deb-l10n/de.deb"]}
    assert deb_paths("beetmover-repackage-firefox-linux64-aarch64-de") == {}
    assert deb_paths("beetmover-repackage-firefox-win64-en-US") == {}


def test_beetmover_apt_imports_each_product_s_debs_into_the_release_apt_repository(production_graph):
    firefox = production_graph.tasks["beetmover-apt-firefox"]
    payload = import_payload(firefox, "apt-repo", "firefox")
    base = CANDIDATES.format(product="firefox")
    l10n = sorted(t.attributes["locale"] for t in tasks_of(production_graph, "repackage-deb-l10n", "firefox"))
    assert payload["gcs_sources"] == sorted(
        [f"{base}linux-x86_64/en-US/firefox-121.0b3.deb", f"{base}linux-aarch64/en-US/firefox-121.0b3.deb"]
        + [f"{base}linux-x86_64/deb-l10n/{loc}.deb" for loc in l10n]
    )
    # filter_beetmover_apt_dep: only the uploads of .deb packages are its dependencies
    uploads = {production_graph.tasks[label].attributes["build_platform"] for label in firefox.dependencies.values()}
    assert uploads == {"linux64", "linux64-aarch64"} and len(firefox.dependencies) == 2 + len(l10n)
    devedition = production_graph.tasks["beetmover-apt-devedition"]
    assert all(s.startswith(CANDIDATES.format(product="devedition")) for s in devedition.task["payload"]["gcs_sources"])
    assert firefox.task["extra"]["treeherder"]["symbol"] == "BM-apt"
