"""Every Bouncer name of every behaviour's Try graph passes bouncerscript's rules, and every
Balrog fileUrl base, update-verify URL, final-verify URL and partial source resolves inside
this release's namespace (or the production archive, for previous releases)."""

import re
from dataclasses import replace
from urllib.parse import urlsplit

import requests

from release_graphs import behaviours, release_tasks, try_graph, try_parameters
from taskgraph_staging.model import naming
from taskgraph_staging.analysis.graphs import TRY_DEFAULTS
from taskgraph_staging.model.parameters import staging_release
from taskgraph_staging.model.workers import alias_problem, location_problem, product_kind
from taskgraph_staging.staging.transforms import update_verify
from taskgraph_staging.staging.transforms.shell_args import find_call
from taskgraph_staging.staging.transforms.update_verify import PRODUCTION_ARCHIVE_PUB


def release_of(behavior, version, previous):
    return staging_release(dict(TRY_DEFAULTS, **try_parameters(behavior, version, previous)))


#: The Balrog channel family of a product's update verify when it is not the behaviour's
#: (Devedition, beta only, updates on aurora, as the real tree's tasks say).
PRODUCT_CHANNELS = {"devedition": "aurora"}


def product_release(rel, task):
    """The release as the task's shipping product sees it."""
    return replace(rel, product=task.attributes["shipping_product"])


def namespace_url(rel):
    return f"https://{rel.services.archive_domain}/{naming.archive_root(rel)}"


def resolve(url):
    """The URL a client fetches (dot segments removed, RFC 3986)."""
    return requests.Request("GET", url).prepare().url


def tasks_of(graph, *kinds):
    return [t for t in release_tasks(graph) if t.kind in kinds]


@behaviours
def test_bouncer_products_locations_and_aliases(behavior, version, previous):
    graph = try_graph(behavior, version, previous)
    rel = release_of(behavior, version, previous)
    products, problems = set(), []
    submissions = [t for t in release_tasks(graph) if "submission_entries" in t.task.get("payload", {})]
    aliases = [t for t in release_tasks(graph) if "aliases_entries" in t.task.get("payload", {})]
    assert submissions and aliases
    for task in submissions:
        for product, entry in task.task["payload"]["submission_entries"].items():
            products.add(product)
            for platform, path in entry["paths_per_bouncer_platform"].items():
                problems.append(location_problem(product, platform, path))
                url = resolve(naming.bouncer_mirror_base(rel) + path.replace(":lang", "de"))
                shipping = task.attributes["shipping_product"]
                assert url.startswith(namespace_url(product_release(rel, task)) + f"pub/{shipping}/"), (task.label, path, url)
    for task in aliases:
        for alias, product in task.task["payload"]["aliases_entries"].items():
            problems.append(alias_problem(alias, product))
            assert product in products, f"{alias} points at {product}, which no submission adds"
    checks = tasks_of(graph, "release-bouncer-check")
    assert checks
    for task in checks:
        checked = set(task.task["payload"]["env"]["PRODUCTS"].replace(",", " ").split())
        assert checked and checked <= products and all(product_kind(p) for p in checked)
    assert [p for p in problems if p] == []


@behaviours
def test_balrog_file_url_bases_are_in_the_namespace(behavior, version, previous):
    graph = try_graph(behavior, version, previous)
    rel = release_of(behavior, version, previous)
    payloads = [t.task["payload"] for t in release_tasks(graph) if "archive_domain" in t.task.get("payload", {})]
    assert payloads
    for payload in payloads:
        # balrogscript: https://<archive_domain>/pub/<product>/candidates/... for -localtest channels
        base = f"https://{payload['archive_domain']}/pub/"
        assert base == namespace_url(rel) + "pub/"
        assert f"https://{payload['download_domain']}" == rel.services.bouncer_redirector
        assert all(c.startswith(f"{rel.namespace}-") for c in payload.get("channel_names", []))


def creator_call(task):
    found = find_call(task.task, update_verify.CONFIG_SCRIPT)
    assert found, f"{task.label} does not run the config creator"
    return found[2]


@behaviours
def test_update_verify_and_final_verify_urls(behavior, version, previous):
    graph = try_graph(behavior, version, previous)
    rel = release_of(behavior, version, previous)
    inside = namespace_url(rel)
    configs = tasks_of(graph, "release-update-verify-config")
    verifies = tasks_of(graph, "release-update-verify")
    finals = tasks_of(graph, "release-final-verify")
    assert configs and verifies and finals
    channels = {}
    for task in configs:
        call = creator_call(task)
        assert (call.value("archive-prefix") + "/").startswith(inside)
        assert call.value("previous-archive-prefix") in (PRODUCTION_ARCHIVE_PUB, naming.archive_pub_prefix(rel))
        assert call.values("partial-version") == [previous]
        assert call.value("aus-server") == rel.services.balrog_public
        assert call.value("override-certs") == "dep"
        channel = call.value("channel")
        base = PRODUCT_CHANNELS.get(task.attributes["shipping_product"], rel.behavior.channel)
        assert channel == naming.update_verify_channel(rel, base) == task.task["extra"]["channel"]
        channels[task.label] = channel
    for task in verifies:
        # The chunk's channel is its config task's, namespaced once.
        assert task.task["payload"]["env"]["CHANNEL"] == channels[task.dependencies["release-update-verify-config"]]
    for task in finals:
        # final-verification.sh reads every config of the product, from this graph's tasks.
        command = task.task["payload"]["command"][-1]["artifact-reference"]
        refs = set(re.findall(r"<([^>/]+)/public/build/update-verify.cfg>", command))
        product = task.attributes["shipping_product"]
        assert {task.dependencies[name] for name in refs} == {
            label for label in channels if label.startswith(f"release-update-verify-config-{product}-")}


@behaviours
def test_partial_sources(behavior, version, previous):
    graph = try_graph(behavior, version, previous)
    rel = release_of(behavior, version, previous)
    tasks = tasks_of(graph, "partials")
    assert tasks, "the graph builds partials from the chosen previous release"
    for task in tasks:
        url = task.task["payload"]["env"]["FROM_MAR_URL"]
        assert url.startswith(PRODUCTION_ARCHIVE_PUB + "/") or url.startswith(namespace_url(rel)), url
        assert urlsplit(url).path.count("..") == 0
