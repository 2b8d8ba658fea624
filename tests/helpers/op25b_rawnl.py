#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for op25b, for sending what op25bctl never
would: malformed attributes, wrong types and lengths, broken nesting.

op25b_rawnl.py cases     runs the built-in malformed cases, one line each:
                         "NAME errno EXTACK-MESSAGE"; exit 1 if any was
                         accepted (errno 0)
op25b_rawnl.py txn       checks the transaction rules on the namespace it
                         runs in (which it leaves with mode off and one
                         allow entry, 10.78.0.0/16); "ok:"/"FAIL:" lines,
                         exit 1 on any FAIL
op25b_rawnl.py topdumps N
                         prints "ready", waits for a line on stdin, then
                         starts N offenders dumps on N sockets, reads only
                         their first message, prints "opened K busy B
                         other O" and the first refusal's message, and
                         keeps them open until stdin closes
op25b_rawnl.py slowlistener N
                         joins the "config" event group on a socket with
                         the smallest receive buffer and does not read it,
                         makes N changes (reject-rate) on another socket,
                         then prints "changes N failed F; listener read R
                         events, then errno E" (105, ENOBUFS, when the
                         kernel dropped what did not fit)

Attribute and command numbers come from include/uapi/linux/op25b.h.
"""
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME = 7, 1
CTRL_ATTR_MCAST_GRP_ID = 2
SOL_NETLINK_ADD_MEMBERSHIP = 1
NETLINK_EXT_ACK, SOL_NETLINK = 11, 270
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
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
A_NAMES = {v: k for k, v in U.items() if k.startswith("OP25B_A_")}


def attr(t, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack("=HH", 4 + len(data), t) + data + b"\0" * pad


def nest(t, *attrs):
    return attr(t | NLA_F_NESTED, b"".join(attrs))


def u8(t, v):
    return attr(t, struct.pack("=B", v))


def u32(t, v):
    return attr(t, struct.pack("=I", v))


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
        self.groups = self.mcast_groups(payload[4:])

    @staticmethod
    def mcast_groups(data):
        """{name: id} of CTRL_ATTR_MCAST_GROUPS in a family's reply"""
        groups = {}
        while len(data) >= 4:
            ln, t = struct.unpack("=HH", data[:4])
            if ln < 4:
                break
            if t & 0x3FFF == CTRL_ATTR_MCAST_GROUPS:
                grp = data[4:ln]
                while len(grp) >= 4:
                    gl = struct.unpack("=H", grp[:2])[0]
                    if gl < 4:
                        break
                    body = grp[4:gl]
                    gid = Genl.find_attr(body, CTRL_ATTR_MCAST_GRP_ID, "=I")
                    name, b = None, body
                    while len(b) >= 4:
                        al, at = struct.unpack("=HH", b[:4])
                        if al < 4:
                            break
                        if at == CTRL_ATTR_MCAST_GRP_NAME:
                            name = b[4:al].rstrip(b"\0").decode()
                        b = b[(al + 3) & ~3:]
                    groups[name] = gid
                    grp = grp[(gl + 3) & ~3:]
            data = data[(ln + 3) & ~3:]
        return groups

    @staticmethod
    def find_attr(data, want, fmt="=H"):
        while len(data) >= 4:
            ln, t = struct.unpack("=HH", data[:4])
            if ln < 4:
                break
            if t & 0x3FFF == want:
                return struct.unpack(fmt, data[4:4 + struct.calcsize(fmt)])[0]
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
        err, msg, payload = self.reply()
        if ack and payload:
            # a doit's reply comes first, then the ACK asked for
            err, msg, _ = self.reply()
        return err, msg, payload

    def reply(self):
        """(errno, extack message, payload of a non-error reply)"""
        data = self.s.recv(1 << 20)
        ln, t, flags, seq, pid = struct.unpack("=IHHII", data[:16])
        if t == NLMSG_DONE and ln >= 20:
            # a dump's error: its code, then TLVs if NLM_F_ACK_TLVS
            err = -struct.unpack("=i", data[16:20])[0]
            off = 20 if flags & 0x200 else ln
        elif t != NLMSG_ERROR:
            return 0, "", data[16:ln]
        else:
            err = -struct.unpack("=i", data[16:20])[0]
            # TLVs follow the echoed request, or just its header when capped
            off = 20 + (16 if flags & 0x100 else
                        struct.unpack("=I", data[20:24])[0])
        msg, miss = "", None
        tlv = data[off:ln]
        while len(tlv) >= 4:
            alen, atype = struct.unpack("=HH", tlv[:4])
            if alen < 4:
                break
            if atype == NLMSGERR_ATTR_MSG:
                msg = tlv[4:alen].rstrip(b"\0").decode(errors="replace")
            elif atype == NLMSGERR_ATTR_MISS_TYPE and alen >= 8:
                miss = struct.unpack("=I", tlv[4:8])[0]
            tlv = tlv[(alen + 3) & ~3:]
        if miss is not None and not msg:
            # GENL_REQ_ATTR_CHECK: the attribute that is missing, no text
            msg = "missing attribute %s" % A_NAMES.get(miss, miss)
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


def noted4(addr, plen, comment):
    return nest(U["OP25B_LIST_A_ENTRY"],
                attr(U["OP25B_ENTRY_A_ADDR4"], socket.inet_aton(addr)),
                u8(U["OP25B_ENTRY_A_PREFIXLEN"], plen),
                attr(U["OP25B_ENTRY_A_COMMENT"], comment))


def timed4(addr, timeout=None, expires=None, iif=None):
    """An entry with a timeout attribute, and maybe expires."""
    a = (attr(U["OP25B_ENTRY_A_IIFNAME"], iif) if iif else
         attr(U["OP25B_ENTRY_A_ADDR4"], socket.inet_aton(addr)))
    if timeout is not None:
        a += u32(U["OP25B_ENTRY_A_TIMEOUT"], timeout)
    if expires is not None:
        a += u32(U["OP25B_ENTRY_A_EXPIRES"], expires)
    return nest(U["OP25B_LIST_A_ENTRY"], a)


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
        ("comment-65-bytes", "ADD_ENTRIES",
         table() + entries(noted4("10.9.0.0", 16, b"x" * 65 + b"\0")), {}),
        ("comment-unterminated", "ADD_ENTRIES",
         table() + entries(noted4("10.9.0.0", 16, b"abc")), {}),
        ("comment-control-char", "ADD_ENTRIES",
         table() + entries(noted4("10.9.0.0", 16, b"a\nb\0")), {}),
        ("comment-bad-utf8", "ADD_ENTRIES",
         table() + entries(noted4("10.9.0.0", 16, b"\xc3\x28\0")), {}),
        ("timeout-zero", "ADD_ENTRIES",
         table(2) + entries(timed4("10.9.0.1", 0)), {}),
        ("timeout-over-365d", "ADD_ENTRIES",
         table(2) + entries(timed4("10.9.0.1", 31536001)), {}),
        ("timeout-negative", "ADD_ENTRIES",
         table(2) + entries(timed4("10.9.0.1", 0xffffffff)), {}),
        ("timeout-wrong-size", "ADD_ENTRIES",
         table(2) + entries(nest(U["OP25B_LIST_A_ENTRY"],
                                 attr(U["OP25B_ENTRY_A_ADDR4"],
                                      socket.inet_aton("10.9.0.1")),
                                 u8(U["OP25B_ENTRY_A_TIMEOUT"], 5))), {}),
        ("expires-alone", "ADD_ENTRIES",
         table(2) + entries(timed4("10.9.0.1", None, 60)), {}),
        ("expires-past-timeout", "ADD_ENTRIES",
         table(2) + entries(timed4("10.9.0.1", 60, 61)), {}),
        ("timeout-on-iif", "ADD_ENTRIES",
         table(0) + entries(timed4(None, 60, None, b"ppp0\0")), {}),
        ("action-out-of-range", "SET", u8(U["OP25B_A_ACTION"], 3), {}),
        ("scope-out-of-range", "SET", u8(U["OP25B_A_SCOPE"], 2), {}),
        ("reject-rate-zero", "SET", u32(U["OP25B_A_REJECT_RATE"], 0), {}),
        ("reject-rate-huge", "SET",
         u32(U["OP25B_A_REJECT_RATE"], 2000000), {}),
        ("log-burst-zero", "SET", u32(U["OP25B_A_LOG_BURST"], 0), {}),
        ("log-2", "SET", u8(U["OP25B_A_LOG"], 2), {}),
        ("rate-wrong-size", "SET", u8(U["OP25B_A_LOG_RATE"], 5), {}),
        ("txn-zero", "ADD_ENTRIES",
         table() + entries(good) + u32(U["OP25B_A_TXN"], 0), {}),
        ("txn-unknown", "ADD_ENTRIES",
         table() + entries(good) + u32(U["OP25B_A_TXN"], 4242), {}),
        ("set-txn-unknown", "SET",
         u8(U["OP25B_A_MODE"], 0) + u32(U["OP25B_A_TXN"], 4242), {}),
        ("del-in-txn", "DEL_ENTRIES",
         table() + entries(good) + u32(U["OP25B_A_TXN"], 1), {}),
        ("flush-in-txn", "FLUSH", table() + u32(U["OP25B_A_TXN"], 1), {}),
        ("commit-no-txn", "TXN_COMMIT", b"", {}),
        # each command takes only the attributes of its own policy
        ("set-with-entries", "SET",
         u8(U["OP25B_A_MODE"], 1) + entries(good), {}),
        ("status-with-mode", "GET_STATUS", u8(U["OP25B_A_MODE"], 1), {}),
        ("stats-reset-with-table", "RESET_STATS", table(), {}),
        ("add-with-mode", "ADD_ENTRIES",
         table() + entries(good) + u8(U["OP25B_A_MODE"], 1), {}),
        ("check-with-table", "CHECK",
         nest(U["OP25B_A_SRC"], attr(A4, b"\x0a\x0a\0\2")) +
         nest(U["OP25B_A_DST"], attr(A4, b"\xc6\x33\x64\x19")) + table(),
         {}),
        ("commit-with-mode", "TXN_COMMIT",
         u32(U["OP25B_A_TXN"], 4242) + u8(U["OP25B_A_MODE"], 1), {}),
        ("commit-unknown", "TXN_COMMIT", u32(U["OP25B_A_TXN"], 4242), {}),
        ("abort-unknown", "TXN_ABORT", u32(U["OP25B_A_TXN"], 4242), {}),
    ]


def proc_status():
    return open("/proc/net/op25b/status").read()


def txn_checks():
    """The transaction rules, against the running module."""
    T = U["OP25B_A_TXN"]
    ALLOW = U["OP25B_TABLE_ALLOW"]
    results = []

    def check(what, cond, detail=""):
        results.append(bool(cond))
        print("%s: %s%s" % ("ok" if cond else "FAIL", what,
                            " (%s)" % detail if detail else ""))

    def begin(g):
        err, msg, payload = g.op("TXN_BEGIN")
        tid = Genl.find_attr(payload[4:], T, "=I") if not err else None
        return err, msg, tid

    before = proc_status()
    g1, g2 = Genl(), Genl()
    err, _, tid = begin(g1)
    check("begin opens a transaction", err == 0 and tid, "errno %d" % err)
    # a commit replaces everything: writes meanwhile would be lost
    for who, g, cmd, attrs in (
            ("another socket's add", g2, "ADD_ENTRIES",
             table(ALLOW) + entries(entry4("10.76.0.0", 16))),
            ("another socket's flush", g2, "FLUSH", table(ALLOW)),
            ("another socket's set", g2, "SET", u8(U["OP25B_A_MODE"], 1)),
            ("the owner's own plain set", g1, "SET", u8(U["OP25B_A_MODE"], 1)),
            ("the owner's own plain del", g1, "DEL_ENTRIES",
             table(ALLOW) + entries(entry4("10.78.0.0", 16)))):
        err, msg, _ = g.op(cmd, attrs)
        check("%s while it is open is EBUSY, saying why" % who,
              err == 16 and "transaction (op25bctl load) is open" in msg,
              "%d %s" % (err, msg))
    check("the refused writes changed nothing", proc_status() == before)
    err, msg, _ = begin(g2)
    check("a second begin is EBUSY", err == 16, "%d %s" % (err, msg))
    err, msg, _ = g2.op("ADD_ENTRIES", table(ALLOW) +
                        entries(entry4("10.77.0.0", 16)) + u32(T, tid))
    check("another socket cannot stage into it", err == 2,
          "%d %s" % (err, msg))
    err, _, _ = g1.op("SET", u8(U["OP25B_A_MODE"], 1) + u32(T, tid))
    check("settings are staged", err == 0, "errno %d" % err)
    err, _, _ = g1.op("ADD_ENTRIES", table(ALLOW) + u32(T, tid) +
                      entries(noted4("10.77.0.0", 16, b"staged\0")))
    check("entries are staged", err == 0, "errno %d" % err)
    check("staging changes nothing visible", proc_status() == before)
    g1.s.close()
    err, _, tid = begin(g2)
    check("closing the owner's socket aborts it", err == 0,
          "errno %d" % err)
    check("the aborted transaction changed nothing",
          proc_status() == before)
    for _ in range(2):
        g2.op("ADD_ENTRIES", table(ALLOW) + u32(T, tid) +
              entries(entry4("10.79.0.0", 16)))
    err, msg, _ = g2.op("TXN_COMMIT", u32(T, tid))
    check("a duplicate across messages fails the commit",
          err == 22 and "twice in the allow table" in msg,
          "%d %s" % (err, msg))
    check("the failed commit changed nothing", proc_status() == before)
    err, _, _ = g2.op("TXN_COMMIT", u32(T, tid))
    check("a failed commit ends the transaction", err == 2,
          "errno %d" % err)
    err, _, tid = begin(g2)
    g2.op("SET", u8(U["OP25B_A_MODE"], 0) + u32(T, tid))
    g2.op("ADD_ENTRIES", table(ALLOW) + u32(T, tid) +
          entries(noted4("10.78.0.0", 16, b"loaded\0")))
    err, msg, _ = g2.op("TXN_COMMIT", u32(T, tid))
    after = proc_status()
    check("a commit replaces the whole configuration",
          err == 0 and "mode off" in after and
          "allow 1 ipv4 1" in after and "subscriber 0 " in after,
          "%d %s %r" % (err, msg, after))
    err, _, tid = begin(g2)
    g2.op("TXN_ABORT", u32(T, tid))
    err, _, tid2 = begin(g2)
    check("abort ends it", err == 0, "errno %d" % err)
    g2.op("TXN_ABORT", u32(T, tid2))
    return all(results)


def top_dumps(n):
    """Offenders dumps left unread: each holds the kernel's snapshot."""
    print("ready", flush=True)
    sys.stdin.readline()
    socks, opened, busy, other, why = [], 0, 0, 0, ""
    for _ in range(n):
        g = Genl()
        body = struct.pack("=BBH", U["OP25B_CMD_GET_TOP"], 1, 0)
        g.send_raw(g.family, body, NLM_F_REQUEST | 0x300)   # NLM_F_DUMP
        err, msg, _ = g.reply()
        if err == 0:
            opened += 1
        elif err == 16:
            busy += 1
            why = why or msg
        else:
            other += 1
            why = why or "errno %d %s" % (err, msg)
        socks.append(g)
    print("opened %d busy %d other %d" % (opened, busy, other), flush=True)
    print(why or "-", flush=True)
    sys.stdin.read()


def slow_listener(n):
    """A listener that never reads while N changes are made: the kernel
    drops its events (ENOBUFS), the writers never wait for it."""
    g = Genl()
    lsn = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    lsn.bind((0, 0))
    lsn.setsockopt(SOL_NETLINK, SOL_NETLINK_ADD_MEMBERSHIP,
                   g.groups["config"])
    failed = 0
    for i in range(n):
        err, _, _ = g.op("SET", u32(U["OP25B_A_REJECT_RATE"], 900 + i % 2))
        failed += err != 0
    lsn.setblocking(False)
    read, errno = 0, 0
    while True:
        try:
            lsn.recv(1 << 16)
            read += 1
        except BlockingIOError:
            break
        except OSError as e:
            errno = e.errno
            break
    print("changes %d failed %d; listener read %d events, then errno %d"
          % (n, failed, read, errno))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "slowlistener":
        slow_listener(int(sys.argv[2]))
        return
    if sys.argv[1:] == ["txn"]:
        sys.exit(0 if txn_checks() else 1)
    if len(sys.argv) == 3 and sys.argv[1] == "topdumps":
        top_dumps(int(sys.argv[2]))
        return
    if sys.argv[1:] != ["cases"]:
        raise SystemExit(__doc__)
    g = Genl()
    accepted = 0
    for name, cmd, attrs, kw in cases():
        err, msg, _ = g.op(cmd, attrs, **kw)
        print("%s %d %s" % (name, err, msg or "-"))
        accepted += err == 0
    sys.exit(1 if accepted else 0)


if __name__ == "__main__":
    main()
