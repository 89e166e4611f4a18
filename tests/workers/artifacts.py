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
import struct
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
    elif name.endswith(".apk"):
        make_apk(path)
    elif name.endswith((".zip", ".aab", ".jar", ".xpi", ".msix")):
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


# --- Android (issue 16): an APK whose manifest is Android's binary XML, as aapt writes it ---

#: Package of the dev pool's fenix-release app (pushapkscript docker.d/worker.yml), the APK's.
APK_PACKAGE = "org.mozilla.firefox"
ANDROID_NS = "http://schemas.android.com/apk/res/android"
#: android.R.attr ids of the attributes the manifest carries (the resource map names them).
ANDROID_ATTRS = {"versionCode": 0x0101021B, "versionName": 0x0101021C, "minSdkVersion": 0x0101020C}
_TYPE_STRING, _TYPE_INT_DEC = 0x03, 0x10


def _chunk(kind, header, body):
    """A ResChunk: type, header size, total size, then the rest of the header and the body."""
    return struct.pack("<HHI", kind, 8 + len(header), 8 + len(header) + len(body)) + header + body


def _string_pool(strings):
    data = b""
    offsets = []
    for s in strings:
        offsets.append(len(data))
        units = s.encode("utf-16-le")
        data += struct.pack("<H", len(s)) + units + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    header = struct.pack("<IIIII", len(strings), 0, 0, 28 + 4 * len(strings), 0)
    return _chunk(0x0001, header, struct.pack(f"<{len(offsets)}I", *offsets) + data)


def android_manifest(package, version_code, version_name, min_sdk):
    """AndroidManifest.xml in Android's binary XML: <manifest package versionCode versionName>
    with a <uses-sdk minSdkVersion>, the fields pyaxmlparser (mozapkpublisher) reads."""
    strings = ["versionCode", "versionName", "minSdkVersion", "android", ANDROID_NS, "package", "manifest",
               "uses-sdk", version_name, package]
    idx = {s: i for i, s in enumerate(strings)}
    ns = idx[ANDROID_NS]

    def attr(namespace, name, value):
        if isinstance(value, int):
            return struct.pack("<iiiHBBI", namespace, idx[name], -1, 8, 0, _TYPE_INT_DEC, value)
        return struct.pack("<iiiHBBI", namespace, idx[name], idx[value], 8, 0, _TYPE_STRING, idx[value])

    def start(name, attrs):
        header = struct.pack("<Ii", 1, -1)
        body = struct.pack("<iiHHHHHH", -1, idx[name], 20, 20, len(attrs), 0, 0, 0) + b"".join(attrs)
        return _chunk(0x0102, header, body)

    def end(name):
        return _chunk(0x0103, struct.pack("<Ii", 1, -1), struct.pack("<ii", -1, idx[name]))

    resource_map = _chunk(0x0180, b"", struct.pack("<III", *ANDROID_ATTRS.values()))
    namespace = struct.pack("<ii", idx["android"], ns)
    body = (
        _string_pool(strings) + resource_map
        + _chunk(0x0100, struct.pack("<Ii", 1, -1), namespace)
        + start("manifest", [attr(-1, "package", package), attr(ns, "versionCode", version_code),
                             attr(ns, "versionName", version_name)])
        + start("uses-sdk", [attr(ns, "minSdkVersion", min_sdk)]) + end("uses-sdk")
        + end("manifest")
        + _chunk(0x0101, struct.pack("<Ii", 1, -1), namespace)
    )
    return _chunk(0x0003, b"", body)


def make_apk(path, package=APK_PACKAGE, version_code=2016000001, version_name="121.0", min_sdk=21):
    """A small APK: the binary manifest and one native library directory (one architecture,
    as mozapkpublisher requires of each APK)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("AndroidManifest.xml", android_manifest(package, version_code, version_name, min_sdk))
        zf.writestr("lib/arm64-v8a/libxul.so", b"\x7fELF")
        zf.writestr("classes.dex", b"dex\n035\0")
