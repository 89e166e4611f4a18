"""Balrog's agent, as the suite plays it after a balrogscript schedule task.

balrogscript's ``schedule`` action does not change a rule or a pin: it asks Balrog for
*scheduled changes* (``when`` at least five minutes ahead), and Balrog's agent
(``balrogagent``, not in shared/upstream) enacts each one once its time has come,
through the admin API's ``/scheduled_changes/<table>/<sc_id>/enact``. Balrog refuses a
second scheduled change of a row that has one pending ("Cannot schedule a change for a
row with one already scheduled"), so two releases that pin the same channel and version
(a namespace's beta 121.0b3 and its RC 121.0 both pin ``alice-beta`` at ``121.`` and
``121.0.``) cannot both schedule before the agent has run: in production the first
change is long enacted when the second release ships.

The suite runs every release's phases at once against one Balrog, which no release
engineer's timeline does, so it plays the agent with a clock that has moved past
``when``: a schedule task runs with the Balrog it talks to held (:func:`schedule_lock`),
and the changes it scheduled (the pending ones that were not pending before it) are
enacted right after it, by the same API call the agent makes. What the worker asked
for is then what Balrog serves, which the balrog tests read.
"""

import json
import threading
import urllib.request

#: The tables whose scheduled changes balrogscript's schedule action makes: the
#: publish rules (``ScheduledRuleChange``) and the channel pins (``/v2/releases/<name>/pinnable``).
TABLES = ("rules", "pinnable_releases")

_locks = {}
_locks_guard = threading.Lock()


def is_schedule(definition):
    """Whether a balrogscript task's action is ``schedule`` (payload ``behavior``, else
    its ``balrog:action:schedule`` scope, as balrogscript reads them)."""
    if definition.get("payload", {}).get("behavior"):
        return definition["payload"]["behavior"] == "schedule"
    return any(s.endswith(":balrog:action:schedule") for s in definition.get("scopes", []))


def schedule_lock(admin_url):
    """The lock a schedule task on the Balrog at ``admin_url`` holds while it runs and
    its changes are enacted."""
    with _locks_guard:
        return _locks.setdefault(admin_url, threading.Lock())


def _call(admin_url, token, method, path):
    request = urllib.request.Request(f"{admin_url}/{path}", method=method, headers={"Authorization": f"Bearer {token}"})
    if method == "POST":
        request.data = b"{}"
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def pending(admin_url, token):
    """``{(table, sc_id)}`` of every scheduled change not yet enacted."""
    found = set()
    for table in TABLES:
        answer = _call(admin_url, token, "GET", f"scheduled_changes/{table}")
        found.update((table, change["sc_id"]) for change in answer["scheduled_changes"])
    return found


def enact(admin_url, token, changes):
    """Enact ``changes`` (``{(table, sc_id)}``) as the agent does once their ``when`` has passed."""
    for table, sc_id in sorted(changes):
        _call(admin_url, token, "POST", f"scheduled_changes/{table}/{sc_id}/enact")
