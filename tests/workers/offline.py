"""Run a command with this machine's network cut off: ``unshare --net python offline.py CMD...``.

A new network namespace has only a loopback interface, and it starts down; this
brings it up (the SIOCSIFFLAGS ioctl, so neither ``ip`` nor ``ifconfig`` is needed)
and execs the command. Inside, 127.0.0.1 works and nothing else can be reached:
a worker whose code names a production or staging host (bouncerscript checks its
aliases at a hard-coded redirector URL) fails to resolve it instead of leaving the machine.

The hosts that workers' code itself names (``services.PINNED_HOSTS``: bouncerscript's
staging redirector, GitHub's API for treescript) resolve to their loopback address, where the suite serves their stand-ins: in
a mount namespace of its own, a copy of ``/etc/hosts`` with them added is bound over
``/etc/hosts``. Where that is not allowed they stay unresolvable, as before.
"""

import ctypes
import fcntl
import os
import socket
import struct
import sys
import tempfile

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
CLONE_NEWNS, MS_BIND, MS_REC, MS_PRIVATE = 0x20000, 0x1000, 0x4000, 0x40000


def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, ifreq))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


def pin_hosts(hosts):
    """Resolve ``hosts`` (``{host: loopback address}``) in this process and its children (a private mount
    namespace with its own /etc/hosts). False when the kernel does not allow it."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0 or libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    with open("/etc/hosts") as fh:
        text = fh.read()
    fd, path = tempfile.mkstemp(prefix="offline-hosts-")
    with os.fdopen(fd, "w") as fh:
        fh.write(text.rstrip("\n") + "\n" + "".join(f"{address} {h}\n" for h, address in hosts.items()))
    os.chmod(path, 0o644)
    return libc.mount(path.encode(), b"/etc/hosts", None, MS_BIND, None) == 0


if __name__ == "__main__":
    loopback_up()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from services import PINNED_HOSTS

    pin_hosts(PINNED_HOSTS)
    os.execvp(sys.argv[1], sys.argv[1:])
