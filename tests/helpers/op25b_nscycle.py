#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""op25b_nscycle.py NETNS...: configures each named namespace (ip netns)
from one process, without an exec per namespace (each costs under TCG):
setns into it, add allow and subscriber entries, delete one (a table
change), dump top.  Prints "configured N" (N = namespaces where every
request succeeded) and one "FAIL: ..." line per failed request; exit 1 if
any failed."""
import ctypes
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import op25b_rawnl as R  # noqa: E402

CLONE_NEWNET = 0x40000000
NLM_F_DUMP = 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
U = R.U


def top_dump(g):
    """errno of a GET_TOP dump (0: it ended with NLMSG_DONE)"""
    g.send_raw(g.family, struct.pack("=BBH", U["OP25B_CMD_GET_TOP"], 1, 0),
               R.NLM_F_REQUEST | NLM_F_DUMP)
    while True:
        data = g.s.recv(1 << 20)
        while len(data) >= 16:
            ln, t = struct.unpack("=IH", data[:6])
            if t == NLMSG_DONE:
                return 0
            if t == NLMSG_ERROR:
                return -struct.unpack("=i", data[16:20])[0]
            data = data[(ln + 3) & ~3:]


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    allow, sub = U["OP25B_TABLE_ALLOW"], U["OP25B_TABLE_SUBSCRIBER"]
    good = 0
    for name in sys.argv[1:]:
        fd = os.open("/run/netns/" + name, os.O_RDONLY)
        if libc.setns(fd, CLONE_NEWNET):
            print("FAIL: %s: setns errno %d" % (name, ctypes.get_errno()))
            continue
        os.close(fd)
        g = R.Genl()
        errs = [
            g.op("ADD_ENTRIES", R.table(allow) + R.entries(
                R.entry4("192.0.2.25", 32), R.entry4("10.1.0.0", 16),
                R.entry4("10.2.0.0", 16)))[0],
            g.op("ADD_ENTRIES", R.table(sub) +
                 R.entries(R.entry4("10.10.0.0", 24)))[0],
            g.op("DEL_ENTRIES", R.table(allow) +
                 R.entries(R.entry4("10.2.0.0", 16)))[0],
            top_dump(g),
        ]
        g.s.close()
        if any(errs):
            print("FAIL: %s: errnos %s" % (name, errs))
        else:
            good += 1
    print("configured %d" % good)
    sys.exit(0 if good == len(sys.argv) - 1 else 1)


if __name__ == "__main__":
    main()
