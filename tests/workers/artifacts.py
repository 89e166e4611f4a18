"""Upstream artifacts as real files of their kind, made by the suite.

A worker that inspects an upstream artifact (signingscript opens MARs and zips,
beetmover hashes what it uploads, balrogscript reads beetmover's manifest) gets a
small real file: a MAR made with the ``mar`` tool of signingscript's own
environment, a zip or tar with a file inside, JSON where JSON is expected. When
the suite ran the task that produces the artifact, its real output is used instead
(:func:`place`).
"""

import io
import json
import os
import shutil
import subprocess
import tarfile
import zipfile

PAYLOAD = b"taskgraph-staging worker suite\n"


def _zip(path, inner):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in inner.items():
            zf.writestr(name, data)


def _tar(path, mode):
    with tarfile.open(path, mode) as tf:
        info = tarfile.TarInfo("firefox/application.ini")
        info.size = len(PAYLOAD)
        tf.addfile(info, io.BytesIO(PAYLOAD))


def make(path, mar_tool):
    """Write a small real file of the kind ``path`` names."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    name = os.path.basename(path)
    if name.endswith(".mar"):
        src = path + ".d"
        os.makedirs(src, exist_ok=True)
        with open(os.path.join(src, "update.manifest"), "wb") as fh:
            fh.write(PAYLOAD)
        subprocess.run([mar_tool, "-c", path, "-V", "121.0", "-H", "firefox-mozilla-beta", "update.manifest"], cwd=src, check=True, capture_output=True)
        shutil.rmtree(src)
    elif name.endswith(".langpack.xpi"):
        # A language pack as signingscript's langpack format checks it: its locale is
        # the directory above it (public/build/<locale>/), en-US at public/build/.
        parent = os.path.basename(os.path.dirname(path))
        locale = "en-US" if parent == "build" else parent
        manifest = {
            "name": f"Language: {locale}", "version": "121.0", "langpack_id": locale,
            "languages": {locale: {"version": "20251201000000", "chrome_resources": {}}},
            "browser_specific_settings": {"gecko": {"id": f"langpack-{locale}@firefox.mozilla.org"}},
        }
        _zip(path, {"manifest.json": json.dumps(manifest)})
    elif name.endswith(".msix"):
        # An MSIX package as pushmsixscript checks it: AppxManifest.xml with an Identity, one application.ini.
        appx = ('<?xml version="1.0" encoding="utf-8"?><Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">'
                '<Identity Name="FirefoxBeta" Publisher="CN=Mozilla Fake SPC" Version="121.0.3.0" ProcessorArchitecture="x64"/></Package>')
        ini = "[App]\nVendor=Mozilla\nName=Firefox\nVersion=121.0\nBuildID=20251201000000\nCodeName=Firefox Beta\n"
        _zip(path, {"AppxManifest.xml": appx, "VFS/ProgramFiles/Firefox Beta/application.ini": ini})
    elif name.endswith((".zip", ".apk", ".aab", ".jar", ".xpi", ".msix")):
        inner = {"manifest.json": json.dumps({"name": "staging", "version": "121.0"}), "AndroidManifest.xml": "<manifest/>"}
        _zip(path, inner)
    elif name.endswith((".tar.gz", ".tgz")):
        _tar(path, "w:gz")
    elif name.endswith(".tar.bz2"):
        _tar(path, "w:bz2")
    elif name.endswith(".tar.xz"):
        _tar(path, "w:xz")
    elif name.endswith(".tar"):
        _tar(path, "w")
    elif name.endswith(".json"):
        with open(path, "w") as fh:
            json.dump({}, fh)
    else:
        with open(path, "wb") as fh:
            fh.write(PAYLOAD + f"{name}\n".encode())


def place(cot_dir, definition, produced, mar_tool):
    """Put every upstream artifact of ``definition`` under ``cot_dir/<taskId>/<path>``:
    the real output when the suite ran that task (``produced[taskId]`` is its artifact
    directory), a made file of its kind otherwise."""
    for upstream in definition.get("payload", {}).get("upstreamArtifacts", []):
        task_id = upstream["taskId"]
        for path in upstream.get("paths", []):
            dest = os.path.join(cot_dir, task_id, path)
            if task_id in produced:
                # The suite ran that task: its real output or nothing (a failed upstream
                # leaves the artifact missing, and the worker says so).
                source = os.path.join(produced[task_id], path)
                if os.path.isfile(source):
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    shutil.copyfile(source, dest)
            else:
                make(dest, mar_tool)
