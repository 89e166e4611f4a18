"""Upstream artifacts as real files of their kind, made by the suite.

A worker that inspects an upstream artifact (signingscript opens MARs and zips,
beetmover hashes what it uploads, balrogscript reads beetmover's manifest) gets a
small real file: a MAR made with the ``mar`` tool of signingscript's own
environment, a zip or tar with a file inside, JSON where JSON is expected. When
the suite ran the task that produces the artifact, its real output is used instead
(:func:`place`).

Archives hold what signingscript's walkers look for in a Firefox build, each a
real file of its kind: a Windows ``target.zip`` has PE images (``firefox.exe``,
``xul.dll``, ``plugin-container.exe``, what ``_should_sign_windows`` picks for
Authenticode), a Linux or macOS tarball ELF images (``firefox``, ``libxul.so``,
``plugin-container``, what ``_get_widevine_signing_files`` picks), and both the
``omni.ja`` jars (``_get_omnija_signing_files``) and ``precomplete``; an ``.exe``
or ``.dll`` artifact (an installer) is a PE image itself. An ``.rpm`` (repackage-rpm's
``target.rpm`` and ``langpack-<locale>.noarch.rpm``) is a real, unsigned RPM package built
by ``rpmbuild`` (the distribution's ``rpm`` package), which ``rpmsign`` signs and
``rpm --checksig`` checks.
"""

import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import threading
import zipfile

PAYLOAD = b"taskgraph-staging worker suite\n"
#: Built RPMs by (name, version, arch), for the session: rpmbuild takes a few tenths of a second.
_RPMS = {}
_RPMS_LOCK = threading.Lock()


def pe_image(text=b""):
    """A minimal valid PE32 executable (MZ stub, COFF and optional headers, one
    ``.text`` section holding ``ret`` and ``text``): what osslsigncode, and so
    winsign, can sign and verify."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 0x40)  # e_lfanew
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 224, 0x0102)  # i386, one section, executable 32-bit
    optional = struct.pack("<HBBIIIIIII", 0x10B, 14, 0, 0x200, 0, 0, 0x1000, 0x1000, 0x1000, 0x400000)
    optional += struct.pack("<IIHHHHHHIIIIHHIIIIII", 0x1000, 0x200, 6, 0, 0, 0, 6, 0, 0, 0x2000, 0x200, 0, 2, 0x8140, 0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    optional += b"\0" * 128  # 16 empty data directories (the certificate table is the 5th)
    section = struct.pack("<8sIIIIIIHHI", b".text", 0x200, 0x1000, 0x200, 0x200, 0, 0, 0, 0, 0x60000020)
    headers = bytes(dos) + b"PE\0\0" + coff + optional + section
    body = (b"\xc3" + text)[:0x200]
    return headers.ljust(0x200, b"\0") + body.ljust(0x200, b"\0")


def elf_image(text=b""):
    """A minimal ELF64 executable header (x86-64) followed by ``text``."""
    ident = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    header = ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x400078, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    program = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 120 + len(text), 120 + len(text), 0x1000)
    return header + program + text


def omni_ja():
    """An ``omni.ja``: a jar (zip) that mozjar reads, as signingscript merges it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("chrome.manifest", "manifest chrome/chrome.manifest\n")
        zf.writestr("modules/Staging.sys.mjs", "export const staging = true;\n")
    return out.getvalue()


def build_files(windows):
    """The files of a (tiny) Firefox build, by path inside its archive."""
    if windows:
        binaries = {"firefox/firefox.exe": pe_image(b"firefox"), "firefox/xul.dll": pe_image(b"xul"), "firefox/plugin-container.exe": pe_image(b"plugin-container")}
    else:
        binaries = {"firefox/firefox": elf_image(b"firefox"), "firefox/libxul.so": elf_image(b"libxul"), "firefox/plugin-container": elf_image(b"plugin-container")}
    files = dict(binaries)
    files["firefox/omni.ja"] = omni_ja()
    files["firefox/browser/omni.ja"] = omni_ja()
    files["firefox/application.ini"] = b"[App]\nVendor=Mozilla\nName=Firefox\nVersion=121.0\n" + PAYLOAD
    names = sorted(n[len("firefox/"):] for n in files) + ["precomplete"]
    files["firefox/precomplete"] = "".join(f'remove "{n}"\n' for n in names).encode()
    return files


def _zip(path, inner):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in inner.items():
            zf.writestr(name, data)


def _tar(path, mode):
    with tarfile.open(path, mode) as tf:
        for name, data in build_files(windows=False).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755 if data.startswith(b"\x7fELF") else 0o644
            tf.addfile(info, io.BytesIO(data))


def _tar_gz(members):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


def debian_package(package, version, architecture):
    """A Debian binary package (``ar``: ``debian-binary``, ``control.tar.gz``,
    ``data.tar.gz``), as ``dpkg-deb --build`` writes one and ``dpkg-deb --info`` reads it."""
    control = (f"Package: {package}\nVersion: {version}\nArchitecture: {architecture}\n"
               "Maintainer: Mozilla <release@mozilla.com>\nDescription: taskgraph-staging worker suite\n").encode()
    members = [
        ("debian-binary", b"2.0\n"),
        ("control.tar.gz", _tar_gz({"./control": control})),
        ("data.tar.gz", _tar_gz({f"./usr/share/doc/{package}/README": PAYLOAD})),
    ]
    out = bytearray(b"!<arch>\n")
    for name, data in members:
        out += f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(data):<10}`\n".encode()
        out += data + (b"\n" if len(data) % 2 else b"")
    return bytes(out)


RPM_SPEC = """\
Name: {name}
Version: {version}
Release: 1
Summary: taskgraph-staging worker suite
License: MPL-2.0
{build_arch}
%global debug_package %{{nil}}
%global __os_install_post %{{nil}}

%description
taskgraph-staging worker suite: a small real package of what repackage-rpm makes.

%install
mkdir -p %{{buildroot}}/usr/share/doc/{name}
printf 'taskgraph-staging worker suite\\n' > %{{buildroot}}/usr/share/doc/{name}/README

%files
/usr/share/doc/{name}/README
"""


def rpm_package(work_dir, name, version="121.0b3", noarch=False):
    """A binary RPM (unsigned) named ``name``, built with ``rpmbuild`` from a minimal spec
    in ``work_dir`` (the host's architecture, or ``noarch``); cached for the session."""
    key = (name, version, noarch)
    with _RPMS_LOCK:
        if key in _RPMS:
            return _RPMS[key]
        if shutil.which("rpmbuild") is None:
            raise RuntimeError("rpmbuild not found: the rpm distribution package (apt-get install rpm) builds the suite's RPMs")
        os.makedirs(work_dir, exist_ok=True)
        spec = os.path.join(work_dir, f"{name}.spec")
        with open(spec, "w") as fh:
            fh.write(RPM_SPEC.format(name=name, version=version, build_arch="BuildArch: noarch" if noarch else ""))
        topdir = os.path.join(work_dir, "rpmbuild")
        proc = subprocess.run(
            ["rpmbuild", "-bb", "--quiet", "--define", f"_topdir {topdir}", "--define", f"_tmppath {work_dir}", spec],
            capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )
        if proc.returncode:
            raise RuntimeError(f"rpmbuild failed for {name}: {proc.stderr.strip()}")
        built = [os.path.join(root, f) for root, _, files in os.walk(os.path.join(topdir, "RPMS")) for f in files if f.endswith(".rpm")]
        with open(built[0], "rb") as fh:
            _RPMS[key] = fh.read()
        return _RPMS[key]


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
    elif name.endswith(".zip"):
        _zip(path, build_files(windows=True))
    elif name.endswith((".exe", ".dll")):
        with open(path, "wb") as fh:
            fh.write(pe_image(name.encode()))
    elif name.endswith(".apk"):
        make_apk(path)
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
    elif name.endswith(".deb"):
        # target.deb, or <locale>/target.langpack.deb (architecture independent)
        locale = os.path.basename(os.path.dirname(path))
        package = f"firefox-l10n-{locale}" if name.endswith(".langpack.deb") else "firefox"
        with open(path, "wb") as fh:
            fh.write(debian_package(package, "121.0~b3", "all" if name.endswith(".langpack.deb") else "amd64"))
    elif name.endswith(".rpm"):
        # target.rpm (firefox, the build's architecture) or langpack-<locale>.noarch.rpm
        # (firefox-l10n-<locale>, architecture independent), as repackage-rpm names them
        stem = name[: -len(".rpm")]
        noarch = stem.endswith(".noarch")
        stem = stem[: -len(".noarch")] if noarch else stem
        package = "firefox" if stem == "target" else f"firefox-l10n-{stem[len('langpack-'):]}" if stem.startswith("langpack-") else stem
        work = path + ".d"
        try:
            data = rpm_package(work, package, noarch=noarch)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with open(path, "wb") as fh:
            fh.write(data)
    elif name.endswith(".msix"):
        # An MSIX package as pushmsixscript checks it: AppxManifest.xml with an Identity, one application.ini.
        appx = ('<?xml version="1.0" encoding="utf-8"?><Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">'
                '<Identity Name="FirefoxBeta" Publisher="CN=Mozilla Fake SPC" Version="121.0.3.0" ProcessorArchitecture="x64"/></Package>')
        ini = "[App]\nVendor=Mozilla\nName=Firefox\nVersion=121.0\nBuildID=20251201000000\nCodeName=Firefox Beta\n"
        _zip(path, {"AppxManifest.xml": appx, "VFS/ProgramFiles/Firefox Beta/application.ini": ini})
    elif name.endswith((".aab", ".jar", ".xpi")):
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
    directory), a made file of its kind otherwise (the suite leaves out of ``produced`` a
    task that ended at a step nobody can take here, ``harness.LIMITS``)."""
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
