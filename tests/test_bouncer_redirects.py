"""Bouncer locations followed by a client that does not normalise dot segments.

Three local stand-ins on 127.0.0.1: an archive that serves keys verbatim, as S3 does
(``/a/../b`` is the key ``a/../b``, not ``b``); a redirector that behaves as go-bouncer
does: ``/?product=&os=&lang=`` answers 302 to its mirror's base URL (``<archive>/pub``)
+ the product's location path for that os, ``:lang`` replaced, nothing else touched;
and ``http.client``, which requests the Location's path exactly as written.

The archive holds each namespace's files where its graph writes them: on the shared
archive beetmover's candidates directory under the namespace
(:func:`naming.candidates_dir`); on a slot's archive also push-to-releases's
``pub/<product>/releases/<version>/``.
"""

import http.client
import http.server
import threading
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from audit_plans import audit_graph, plan, slot
from release_graphs import BEHAVIOURS

from taskgraph_staging.analysis.isolation import DOT_SEGMENTS_REASON, NOT_ISOLATED, classify
from taskgraph_staging.model import naming

SUBMISSION = "release-bouncer-sub-firefox"
LANG = "de"


class Server:
    def __init__(self, handle):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers = handle(self.path)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def archive(keys):
    """S3's behaviour: the request path, percent-decoded, is the key; no normalisation."""
    return Server(lambda path: (200, {}) if unquote(urlsplit(path).path).lstrip("/") in keys else (404, {}))


def go_bouncer(mirror_base, locations):
    """go-bouncer's redirect: mirror base + the location path of (product, os), verbatim."""

    def handle(path):
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        location = locations.get((query.get("product", "").lower(), query.get("os")))
        if location is None:
            return 404, {}
        return 302, {"Location": mirror_base + location.replace(":lang", query.get("lang", "en-US"))}

    return Server(handle)


def follow(url):
    """GET ``url`` and its redirect with http.client: the path is sent as written."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        return response.status
    target = urlsplit(response.getheader("Location"))
    conn = http.client.HTTPConnection(target.netloc, timeout=10)
    conn.request("GET", target.path)
    final = conn.getresponse()
    final.read()
    return final.status


def written_keys(rel, locations):
    """The archive keys this release's graph writes for the files its locations name."""
    keys = set()
    for path in locations.values():
        rest = path.replace(":lang", LANG).split(f"build{rel.build_number}/", 1)[-1].split(f"/{rel.version}/", 1)[-1]
        rest = unquote(rest)
        keys.add(naming.candidates_dir(rel) + rest)
        if rel.services.is_dedicated("archive"):
            keys.add(naming.releases_dir(rel) + rest)
    return keys


def served_locations(services):
    tasks, params = plan(BEHAVIOURS[0], "alice", services)
    graph = audit_graph("alice", tasks, params)
    entries = tasks[SUBMISSION]["task"]["payload"]["submission_entries"]
    locations = {(product.lower(), platform): path for product, entry in entries.items() for platform, path in entry["paths_per_bouncer_platform"].items()}
    return graph, tasks, locations


@pytest.mark.parametrize("services", [pytest.param(None, id="shared"), pytest.param(slot(1), id="slot")])
def test_every_location_reaches_its_file_without_normalising_or_the_plan_says_a_dedicated_bouncer_is_needed(services):
    graph, tasks, locations = served_locations(services)
    rel = graph.release
    store = archive(written_keys(rel, locations))
    redirector = go_bouncer(f"{store.url}/{naming.BOUNCER_MIRROR_DIR}", {k: quote(unquote(v), safe="/:") for k, v in locations.items()})
    try:
        statuses = {key: follow(f"{redirector.url}/?product={quote(key[0])}&os={key[1]}&lang={LANG}") for key in locations}
    finally:
        redirector.stop()
        store.stop()
    assert locations
    location_classes = {classify(r, rel) for r in graph.resources if r.service == "bouncer" and r.kind == "location"}
    description = tasks[SUBMISSION]["task"]["metadata"]["description"]
    if rel.services.is_dedicated("bouncer"):
        assert set(statuses.values()) == {200}, statuses
        assert "dot segments" not in description
    else:
        unreachable = [key for key, status in statuses.items() if status != 200]
        assert unreachable  # a non-normalising client does not get this namespace's file
        assert {c.category for c in location_classes} == {NOT_ISOLATED}
        assert {c.reason for c in location_classes} == {DOT_SEGMENTS_REASON}
        assert "a dedicated Bouncer (a library slot), whose mirror is the slot's archive, is needed" in description
