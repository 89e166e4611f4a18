"""Run a command with this machine's network cut off: ``unshare --net python offline.py CMD...``.

A new network namespace has only a loopback interface, and it starts down; this
brings it up (the SIOCSIFFLAGS ioctl, so neither ``ip`` nor ``ifconfig`` is needed)
and execs the command. Inside, 127.0.0.1 works and nothing else can be reached:
a worker whose code names a production or staging host (bouncerscript checks its
aliases at a hard-coded redirector URL) fails to resolve it instead of leaving the machine.
"""

import fcntl
import os
import socket
import struct
import sys

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        ifreq = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, ifreq))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sh", b"lo", flags | IFF_UP))


if __name__ == "__main__":
    loopback_up()
    os.execvp(sys.argv[1], sys.argv[1:])
