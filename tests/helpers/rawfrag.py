#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends hand-made IP fragments and packets out of an interface (AF_PACKET).

rawfrag.py IFACE DSTMAC SRC DST KIND

first: offset 0, more-fragments set, carrying a TCP header to port 25.
later: a non-first fragment whose first bytes would read as source port
12345, destination port 25 if it were misparsed as a TCP header.
short: offset 0, more-fragments set, protocol TCP, but too short to hold
the ports (for IPv6: the header chain ends in a Destination Options
header right at the end of the fragment), as an evasion would send it.
Whole packets (IPv4 and IPv6), which a reject action cannot answer:
rst: a TCP RST to port 25 (no RST is sent for a RST), checksum right.
badsum: a TCP SYN to port 25 whose checksum is wrong.
IPv4 only:
opts: a first fragment whose IP options push the ports past its end.
IPv6 only, first fragments whose header chain does not reach the ports:
cut: two fragments, as RFC 8200 forbids and a lax reassembler accepts:
  the first IPv6 | Fragment(0, M, next 60) | Destination Options(next 60)
  ends there; the second (offset 8) is Destination Options(next 6) | a
  TCP SYN to port 25.
trunc: Destination Options (next TCP) whose length runs past the end.
unknown: an experimental extension header (253) cut short.
upper: Destination Options whose next header (200) is unknown.
syns:N: N whole TCP SYNs to port 25 from N consecutive sources, SRC first
(offenders for op25bctl top without N senders).
"""
import ipaddress
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_like():
    # ports 12345 -> 25, seq, ack, offset 5, SYN, window, checksum, urg
    return struct.pack("!HHIIBBHHH", 12345, 25, 1, 0, 5 << 4, 0x02, 65535, 0, 0)


def tcp_segment(src, dst, flags, good=True):
    """A 20-byte TCP header 12345 -> 25 with its checksum (or a wrong one)."""
    seg = struct.pack("!HHIIBBHHH", 12345, 25, 1, 0, 5 << 4, flags, 65535, 0, 0)
    if src.version == 4:
        pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, 6, len(seg))
    else:
        pseudo = src.packed + dst.packed + struct.pack("!IHBB", len(seg), 0, 0, 6)
    c = csum(pseudo + seg)
    if not good:
        c ^= 0x5555
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def whole(src, dst, kind):
    seg = tcp_segment(src, dst, 0x04 if kind == "rst" else 0x02, kind != "badsum")
    if src.version == 6:
        return [ipv6_packet(src, dst, seg, socket.IPPROTO_TCP)]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0x1235, 0x4000,
                      64, socket.IPPROTO_TCP, 0, src.packed, dst.packed)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return [(0x0800, hdr + seg)]


def ipv4(src, dst, kind):
    if kind in ("rst", "badsum"):
        return whole(src, dst, kind)
    payload = tcp_like() + b"\0" * 4          # 24 bytes, a multiple of 8
    opts = b""
    if kind == "short":
        payload = b""
    if kind == "opts":
        opts = b"\x01" * 4                    # four NOPs: IHL 6
        payload = payload[:2]                 # the source port only
    frag = 0x2000 if kind != "later" else 0x2000 | 3  # MF, offset 0 or 24
    ihl = 5 + len(opts) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload),
                      0x1234, frag, 64, socket.IPPROTO_TCP, 0,
                      src.packed, dst.packed) + opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return [(0x0800, hdr + payload)]


def fraghdr(nexthdr, offset, more):
    return struct.pack("!BBHI", nexthdr, 0, offset << 3 | more, 0x4321)


def opthdr(nexthdr, length):
    """An extension header in the Destination Options format, PadN."""
    body = bytes([nexthdr, length // 8 - 1, 1, length - 4]) + \
        b"\0" * (length - 4)
    return body


def ipv6_packet(src, dst, payload, nexthdr=44):
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(payload), nexthdr, 64,
                      src.packed, dst.packed)
    return (0x86DD, hdr + payload)


def ipv6(src, dst, kind):
    if kind in ("rst", "badsum"):
        return whole(src, dst, kind)
    tcp = tcp_like() + b"\0" * 4
    if kind in ("first", "later"):
        offset = 3 if kind == "later" else 0
        return [ipv6_packet(src, dst, fraghdr(socket.IPPROTO_TCP, offset, 1) + tcp)]
    if kind == "short":
        # fragment -> destination options (next: TCP, PadN) -> nothing
        return [ipv6_packet(src, dst, fraghdr(60, 0, 1) + opthdr(socket.IPPROTO_TCP, 8))]
    if kind == "cut":
        return [ipv6_packet(src, dst, fraghdr(60, 0, 1) + opthdr(60, 8)),
                ipv6_packet(src, dst, fraghdr(60, 1, 0) + opthdr(socket.IPPROTO_TCP, 8) + tcp)]
    if kind == "trunc":
        # claims 16 bytes, 8 are there
        return [ipv6_packet(src, dst, fraghdr(60, 0, 1) + opthdr(socket.IPPROTO_TCP, 16)[:8])]
    if kind == "unknown":
        return [ipv6_packet(src, dst, fraghdr(253, 0, 1) + opthdr(socket.IPPROTO_TCP, 16)[:8])]
    if kind == "upper":
        return [ipv6_packet(src, dst, fraghdr(60, 0, 1) + opthdr(200, 8))]
    raise SystemExit("rawfrag.py: no IPv6 kind %s" % kind)


def main():
    iface, dstmac, src, dst, kind = sys.argv[1:6]
    src = ipaddress.ip_address(src)
    dst = ipaddress.ip_address(dst)
    build = ipv4 if src.version == 4 else ipv6
    if kind.startswith("syns:"):
        n = int(kind[5:])
        build = lambda a, b, k: [whole(a + i, b, "syn")[0] for i in range(n)]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    srcmac = s.getsockname()[4]
    for ethertype, packet in build(src, dst, kind):
        frame = bytes.fromhex(dstmac.replace(":", "")) + srcmac + \
            struct.pack("!H", ethertype) + packet
        s.send(frame)


if __name__ == "__main__":
    main()
