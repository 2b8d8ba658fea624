#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for op25b, for sending what op25bctl never
would: malformed attributes, wrong types and lengths, broken nesting.

op25b_rawnl.py cases     runs the built-in malformed cases, one line each:
                         "NAME errno EXTACK-MESSAGE"; exit 1 if any was
                         accepted (errno 0)

Attribute and command numbers come from include/uapi/linux/op25b.h.
"""
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETLINK_EXT_ACK, SOL_NETLINK = 11, 270
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLA_F_NESTED = 0x8000


def uapi():
    """Enum values from the UAPI header, so this client cannot drift."""
    here = os.path.dirname(os.path.abspath(__file__))
    text = open(os.path.join(here, "../../include/uapi/linux/op25b.h")).read()
    values = {}
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, re.S):
        n = 0
        for line in body.splitlines():
            m = re.match(r"\s*(\w+)(?:\s*=\s*(\d+))?,", line)
            if m:
                n = int(m.group(2)) if m.group(2) else n
                values[m.group(1)] = n
                n += 1
    return values


U = uapi()


def attr(t, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack("=HH", 4 + len(data), t) + data + b"\0" * pad


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b"".join(attrs))


def u8(t, v):
    return attr(t, struct.pack("=B", v))


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0
        err, _, payload = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, b"op25b\0"), ack=False)
        if err:
            raise SystemExit("op25b family not found: errno %d" % err)
        self.family = self.find_attr(payload[4:], CTRL_ATTR_FAMILY_ID)

    @staticmethod
    def find_attr(data, want):
        while len(data) >= 4:
            ln, t = struct.unpack("=HH", data[:4])
            if ln < 4:
                break
            if t & 0x3FFF == want:
                return struct.unpack("=H", data[4:6])[0]
            data = data[(ln + 3) & ~3:]
        return None

    def send_raw(self, msgtype, body, flags=NLM_F_REQUEST | NLM_F_ACK):
        self.seq += 1
        hdr = struct.pack("=IHHII", 16 + len(body), msgtype, flags,
                          self.seq, 0)
        self.s.send(hdr + body)

    def request(self, family, cmd, attrs=b"", ack=True, version=1,
                reserved=0):
        body = struct.pack("=BBH", cmd, version, reserved) + attrs
        self.send_raw(family, body,
                      NLM_F_REQUEST | (NLM_F_ACK if ack else 0))
        return self.reply()

    def reply(self):
        """(errno, extack message, payload of a non-error reply)"""
        data = self.s.recv(1 << 20)
        ln, t, flags, seq, pid = struct.unpack("=IHHII", data[:16])
        if t != NLMSG_ERROR:
            return 0, "", data[16:ln]
        err = -struct.unpack("=i", data[16:20])[0]
        msg = ""
        # TLVs follow the echoed request, or just its header when capped
        off = 20 + (16 if flags & 0x100 else
                    struct.unpack("=I", data[20:24])[0])
        tlv = data[off:ln]
        while len(tlv) >= 4:
            alen, atype = struct.unpack("=HH", tlv[:4])
            if alen < 4:
                break
            if atype == NLMSGERR_ATTR_MSG:
                msg = tlv[4:alen].rstrip(b"\0").decode(errors="replace")
            tlv = tlv[(alen + 3) & ~3:]
        return err, msg, b""

    def op(self, name, attrs=b"", **kw):
        return self.request(self.family, U["OP25B_CMD_" + name], attrs, **kw)


def entry4(addr, plen=None):
    a = attr(U["OP25B_ENTRY_A_ADDR4"], socket.inet_aton(addr))
    if plen is not None:
        a += u8(U["OP25B_ENTRY_A_PREFIXLEN"], plen)
    return nest(U["OP25B_LIST_A_ENTRY"], a)


def entries(*e):
    return nest(U["OP25B_A_ENTRIES"], *e)


def table(t=0):
    return u8(U["OP25B_A_TABLE"], t)


def cases():
    """(name, command, attrs, extra request options)"""
    E = U["OP25B_LIST_A_ENTRY"]
    A4, A6 = U["OP25B_ENTRY_A_ADDR4"], U["OP25B_ENTRY_A_ADDR6"]
    IIF, PLEN = U["OP25B_ENTRY_A_IIFNAME"], U["OP25B_ENTRY_A_PREFIXLEN"]
    good = entry4("10.9.0.0", 16)
    return [
        ("no-table", "ADD_ENTRIES", entries(good), {}),
        ("no-entries", "ADD_ENTRIES", table(), {}),
        ("table-out-of-range", "ADD_ENTRIES", table(9) + entries(good), {}),
        ("table-wrong-size", "ADD_ENTRIES",
         attr(U["OP25B_A_TABLE"], b"\0\0\0\0\0\0\0\0") + entries(good), {}),
        ("unknown-top-attr", "ADD_ENTRIES",
         table() + entries(good) + u8(200, 1), {}),
        ("addr4-short", "ADD_ENTRIES",
         table() + entries(nest(E, attr(A4, b"\x0a\x09\x00"))), {}),
        ("addr6-long", "ADD_ENTRIES",
         table() + entries(nest(E, attr(A6, b"\x20" * 17))), {}),
        ("addr-and-iif", "ADD_ENTRIES",
         table() + entries(nest(E, attr(A4, b"\x0a\x09\0\0"),
                                attr(IIF, b"ppp0\0"))), {}),
        ("empty-entry", "ADD_ENTRIES", table() + entries(nest(E)), {}),
        ("plen-33", "ADD_ENTRIES", table() + entries(entry4("10.9.0.0", 33)),
         {}),
        ("plen-200", "ADD_ENTRIES", table() + entries(entry4("10.9.0.0", 200)),
         {}),
        ("host-bits", "ADD_ENTRIES", table() + entries(entry4("10.9.0.1", 16)),
         {}),
        ("iif-in-allow", "ADD_ENTRIES",
         table(1) + entries(nest(E, attr(IIF, b"ppp0\0"))), {}),
        ("iif-unterminated", "ADD_ENTRIES",
         table() + entries(nest(E, attr(IIF, b"ppp0"))), {}),
        ("iif-too-long", "ADD_ENTRIES",
         table() + entries(nest(E, attr(IIF, b"x" * 40 + b"\0"))), {}),
        ("iif-plus-inside", "ADD_ENTRIES",
         table() + entries(nest(E, attr(IIF, b"pp+p\0"))), {}),
        ("iif-with-plen", "ADD_ENTRIES",
         table() + entries(nest(E, attr(IIF, b"ppp0\0"), u8(PLEN, 8))), {}),
        ("unknown-list-attr", "ADD_ENTRIES",
         table() + entries(good, attr(7, b"\0\0\0\0")), {}),
        ("list-not-nested", "ADD_ENTRIES",
         table() + attr(U["OP25B_A_ENTRIES"], b"\x01\x02\x03\x04\x05"), {}),
        ("entry-len-overruns", "ADD_ENTRIES",
         table() + nest(U["OP25B_A_ENTRIES"],
                        struct.pack("=HH", 200, E) + b"\0" * 8), {}),
        ("duplicate-in-batch", "ADD_ENTRIES",
         table() + entries(good, good), {}),
        ("valid-then-bad", "ADD_ENTRIES",
         table() + entries(good, entry4("10.8.0.1", 16)), {}),
        ("del-missing", "DEL_ENTRIES", table() + entries(good), {}),
        ("mode-out-of-range", "SET", u8(U["OP25B_A_MODE"], 9), {}),
        ("set-nothing", "SET", b"", {}),
        ("flush-no-table", "FLUSH", b"", {}),
        ("reserved-nonzero", "FLUSH", table(), {"reserved": 1}),
        ("check-no-dst", "CHECK",
         nest(U["OP25B_A_SRC"], attr(A4, b"\x0a\x0a\0\2")), {}),
        ("check-prefix", "CHECK",
         nest(U["OP25B_A_SRC"], attr(A4, b"\x0a\x0a\0\0"), u8(PLEN, 24)) +
         nest(U["OP25B_A_DST"], attr(A4, b"\xc6\x33\x64\x19")), {}),
        ("check-mixed-family", "CHECK",
         nest(U["OP25B_A_SRC"], attr(A4, b"\x0a\x0a\0\2")) +
         nest(U["OP25B_A_DST"], attr(A6, b"\x20" * 16)), {}),
    ]


def main():
    g = Genl()
    if sys.argv[1:] != ["cases"]:
        raise SystemExit(__doc__)
    accepted = 0
    for name, cmd, attrs, kw in cases():
        err, msg, _ = g.op(cmd, attrs, **kw)
        print("%s %d %s" % (name, err, msg or "-"))
        accepted += err == 0
    sys.exit(1 if accepted else 0)


if __name__ == "__main__":
    main()
