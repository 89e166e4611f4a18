"""What every production Artifact Registry import task holds, as the real tree's
``beetmover_apt`` and ``beetmover_rpm`` transforms make it (util/scriptworker.py's
``BEETMOVER_APT_REPO_SCOPES`` / ``BEETMOVER_YUM_REPO_SCOPES`` and
``BEETMOVER_REPO_ACTION_SCOPES``)."""


def import_payload(task, resource, product):
    """Check ``task`` is ``product``'s import into the release branches' ``resource``
    (``apt-repo``, ``yum-repo``) repository, in the ship phase on the level-3 beetmover
    pool, and return its payload."""
    assert task.attributes["shipping_phase"] == "ship"
    assert task.task["workerType"] == "gecko-3-beetmover"
    assert task.task["scopes"] == [
        "project:releng:beetmover:action:import-from-gcs-to-artifact-registry",
        f"project:releng:beetmover:{resource}:release",
    ]
    payload = task.task["payload"]
    assert set(payload) == {"product", "gcs_sources"} and payload["product"] == product
    return payload
