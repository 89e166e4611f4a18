"""A staging release's Ship-it release, created through Ship-it's own API.

shipitscript's mark-as-shipped only marks a release that exists. Ship-it creates a
release from ``POST /releases`` (product, branch, version, build number, revision,
partial updates, ...) and names it itself, ``<Product>-<version>-build<N>``
(:func:`naming.shipit_release_name`), so on the shared staging Ship-it that name is
shared by every namespace releasing this version: a dedicated Ship-it (a library
slot) isolates it.

:func:`ensure_release` asks first (``GET /releases/<name>``) and creates only a
missing release, so it can be repeated. Writes are signed with Hawk from the
Taskcluster credentials of the environment (Ship-it checks them with Taskcluster and
wants scope :data:`ADD_RELEASE_SCOPE`). Real Ship-it builds the release's phases from
the decision task indexed for ``revision``; until that task exists it answers 400,
which is reported as one line with Ship-it's own text.
"""

import json
from dataclasses import dataclass

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import StagingError

#: The scope Ship-it requires of a client creating a release of ``product``.
ADD_RELEASE_SCOPE = "project:releng:services/shipit_api/add_release/{product}"
CREDENTIAL_VARIABLES = ("TASKCLUSTER_CLIENT_ID", "TASKCLUSTER_ACCESS_TOKEN")
#: Seconds for each answer: creating a release makes Ship-it read Taskcluster's index and artifacts.
TIMEOUT = 30


@dataclass(frozen=True)
class ShipitRelease:
    """What ``POST /releases`` sends to one Ship-it, and the name Ship-it gives it."""

    url: str
    name: str
    body: dict

    @property
    def scope(self):
        return ADD_RELEASE_SCOPE.format(product=self.body["product"])


class ShipitError(StagingError):
    """Ship-it refused or could not be reached; nothing was created."""


def release_request(rel, revision, repository, branch="try"):
    """The :class:`ShipitRelease` of staging release ``rel`` built from ``revision`` of
    ``repository`` (on Try, ``branch`` ``try``), on the Ship-it of its services."""
    partials = {p.version: {"buildNumber": p.build_number, "locales": list(p.locales or ())} for p in rel.partials}
    body = {
        "product": rel.product,
        "branch": branch,
        "version": rel.version,
        "build_number": rel.build_number,
        "revision": revision,
        "repo_url": repository,
        "partial_updates": partials,
        "release_eta": "",
    }
    return ShipitRelease(url=rel.services.shipit.rstrip("/"), name=naming.shipit_release_name(rel), body=body)


def credentials(environ):
    """``{"id", "key", "algorithm"}`` for Hawk from the environment, or a one-line error naming what is missing."""
    missing = [name for name in CREDENTIAL_VARIABLES if not environ.get(name)]
    if missing:
        raise ShipitError(f"creating the Ship-it release needs Taskcluster credentials: set {' and '.join(missing)}")
    return {"id": environ["TASKCLUSTER_CLIENT_ID"], "key": environ["TASKCLUSTER_ACCESS_TOKEN"], "algorithm": "sha256"}


def _detail(response):
    """Ship-it's own text of an error (its problem body's ``detail``), first line only."""
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if isinstance(body, dict):
        body = body.get("detail") or body.get("title") or json.dumps(body)
    lines = str(body).strip().splitlines()
    return lines[0] if lines else str(response.reason)


def _existing(session, request):
    import requests

    try:
        response = session.get(f"{request.url}/releases/{request.name}", timeout=TIMEOUT)
    except requests.RequestException as e:
        raise ShipitError(f"Ship-it at {request.url} cannot be reached: {e}") from None
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise ShipitError(f"Ship-it {request.url} answered {response.status_code} for release {request.name}: {_detail(response)}")
    return response.json()


def _existing_line(request, found):
    revision = found.get("revision", "")
    if revision == request.body["revision"]:
        return f"Ship-it release {request.name} already exists on {request.url}"
    return (
        f"Ship-it release {request.name} already exists on {request.url} from revision {revision[:12]}, not this "
        f"push's {request.body['revision'][:12]}: the name is shared by nature on this Ship-it; a dedicated Ship-it "
        "(a library slot) isolates it"
    )


def _hawk(request, creds, url, data):
    import mohawk

    sender = mohawk.Sender(creds, url, "POST", content=data, content_type="application/json")
    return sender.request_header


def ensure_release(request, creds, session=None):
    """Create ``request``'s release unless it exists; one line saying what happened.

    Raises :class:`ShipitError` (one line, Ship-it's own text) when Ship-it refuses.
    """
    import requests

    session = session or requests.Session()
    found = _existing(session, request)
    if found is not None:
        return _existing_line(request, found)
    url = f"{request.url}/releases"
    data = json.dumps(request.body)
    headers = {"Content-Type": "application/json", "Authorization": _hawk(request, creds, url, data)}
    try:
        response = session.post(url, data=data, headers=headers, timeout=TIMEOUT)
    except requests.RequestException as e:
        raise ShipitError(f"Ship-it at {request.url} cannot be reached: {e}") from None
    if response.status_code in (200, 201):
        return f"Created Ship-it release {request.name} on {request.url}"
    # A duplicate is a 400 (the unique name's integrity error): a release created
    # meanwhile is there now.
    found = _existing(session, request) if response.status_code == 400 else None
    if found is not None:
        return _existing_line(request, found)
    raise ShipitError(
        f"Ship-it {request.url} refused to create release {request.name} ({response.status_code}): {_detail(response)}"
    )
