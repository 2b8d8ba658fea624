#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sends one hand-made IP fragment out of an interface (AF_PACKET).

rawfrag.py IFACE DSTMAC SRC DST first|later|short

first: offset 0, more-fragments set, carrying a TCP header to port 25.
later: a non-first fragment whose first bytes would read as source port
12345, destination port 25 if it were misparsed as a TCP header.
short: offset 0, more-fragments set, protocol TCP, but too short to hold
the ports (for IPv6: the header chain ends in a Destination Options
header right at the end of the fragment), as an evasion would send it.
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


def ipv4(src, dst, kind):
    payload = tcp_like() + b"\0" * 4          # 24 bytes, a multiple of 8
    if kind == "short":
        payload = b""
    frag = 0x2000 if kind != "later" else 0x2000 | 3  # MF, offset 0 or 24
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234,
                      frag, 64, socket.IPPROTO_TCP, 0,
                      src.packed, dst.packed)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return 0x0800, hdr + payload


def ipv6(src, dst, kind):
    payload = tcp_like() + b"\0" * 4
    offset = 3 if kind == "later" else 0
    fraghdr = struct.pack("!BBHI", socket.IPPROTO_TCP, 0,
                          offset << 3 | 1, 0x4321)
    if kind == "short":
        # fragment -> destination options (next: TCP, PadN) -> nothing
        fraghdr = struct.pack("!BBHI", 60, 0, 1, 0x4321) + \
            bytes([socket.IPPROTO_TCP, 0, 1, 4, 0, 0, 0, 0])
        payload = b""
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(fraghdr) + len(payload),
                      44, 64, src.packed, dst.packed)
    return 0x86DD, hdr + fraghdr + payload


def main():
    iface, dstmac, src, dst, kind = sys.argv[1:6]
    src = ipaddress.ip_address(src)
    dst = ipaddress.ip_address(dst)
    build = ipv4 if src.version == 4 else ipv6
    ethertype, packet = build(src, dst, kind)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    srcmac = s.getsockname()[4]
    frame = bytes.fromhex(dstmac.replace(":", "")) + srcmac + \
        struct.pack("!H", ethertype) + packet
    s.send(frame)


if __name__ == "__main__":
    main()
