#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nfqaccept.py QUEUE: accepts every packet that NFQUEUE QUEUE hands it.

Binds the queue (nfnetlink_queue, raw netlink: no library needed), prints
"ready", then gives each packet the verdict NF_ACCEPT, so that the kernel
reinjects it and runs the hooks after the queueing one, from this
process's system call: with bottom halves enabled, as a hook that keeps
per-CPU state must survive.  On SIGTERM it prints "accepted N" and exits.
"""
import signal
import socket
import struct
import sys

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS = 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def attr(t, data):
    pad = (4 - len(data) % 4) % 4
    return struct.pack("=HH", 4 + len(data), t) + data + b"\0" * pad


def message(mtype, queue, attrs, flags=NLM_F_REQUEST):
    # nfgenmsg: family, version, resource id (the queue, big endian)
    body = struct.pack("!BBH", socket.AF_UNSPEC, 0, queue) + attrs
    return struct.pack("=IHHII", 16 + len(body), NFNL_SUBSYS_QUEUE << 8 | mtype,
                       flags, 0, 0) + body


def attrs_of(data):
    out = {}
    while len(data) >= 4:
        ln, t = struct.unpack("=HH", data[:4])
        if ln < 4:
            break
        out[t & 0x7FFF] = data[4:ln]
        data = data[(ln + 3) & ~3:]
    return out


def main():
    queue = int(sys.argv[1])
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    s.bind((0, 0))
    s.send(message(NFQNL_MSG_CONFIG, queue,
                   attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0)),
                   NLM_F_REQUEST | NLM_F_ACK))
    data = s.recv(65536)
    if struct.unpack("=H", data[4:6])[0] == NLMSG_ERROR:
        err = -struct.unpack("=i", data[16:20])[0]
        if err:
            sys.exit("nfqaccept: binding queue %d: errno %d" % (queue, err))
    s.send(message(NFQNL_MSG_CONFIG, queue,
                   attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))))
    accepted = 0

    def stop(*_):
        print("accepted %d" % accepted, flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    while True:
        data = s.recv(1 << 16)
        while len(data) >= 16:
            ln, t = struct.unpack("=IH", data[:6])
            if ln < 16:
                break
            if t == NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET:
                a = attrs_of(data[20:ln])
                pid = struct.unpack("!I", a[NFQA_PACKET_HDR][:4])[0]
                s.send(message(NFQNL_MSG_VERDICT, queue,
                               attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid))))
                accepted += 1
            data = data[(ln + 3) & ~3:]


if __name__ == "__main__":
    main()
