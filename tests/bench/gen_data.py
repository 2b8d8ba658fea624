#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Data for the guest benchmarks (tests/bench/guest/): one subscriber
table of N random, disjoint IPv4 prefixes written for each contender, and
the sources of a SYN flood inside it.

    gen_data.py --prefixes N [--sources S] [--seed X] --out DIR

Writes in DIR:
  prefixes.txt      the N prefixes, random order, "a.b.c.d/len"
  op25b.conf        op25b.conf(5): mode enforce, the subscribers, the allow
                    table (a few ISP MTAs), for "op25bctl load"
  nft-sets.nft      table ip op25b_bench with interval sets "sub" and
                    "allow" (no chain), for "nft -f"
  ipset.restore     hash:net sets op25b_sub and op25b_allow, for
                    "ipset restore"
  sources.txt       S distinct addresses, each inside a random prefix
  flood.trafgen     trafgen(8) configuration: one TCP SYN to the foreign MTA
                    198.51.100.25 port 25 per source (with -S)

Prefix lengths, per mille (a subscriber-pool-like mix, mostly /24s and
/32s): /16 1, /17 2, /18 4, /19 8, /20 20, /21 40, /22 80, /23 100,
/24 500, /25../28 5 each, /29 40, /30 40, /31 5, /32 140.  Addresses are
uniform over 1.0.0.0-223.255.255.255 minus the special-purpose ranges
(0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24,
192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24), so that
no source is a martian and none is one of the test topology's own
addresses (tests/lib.sh).  Prefixes are disjoint (an nft interval set
refuses overlaps without auto-merge), so all three tools hold exactly N
entries.  Same seed, same files.
"""
import argparse
import ipaddress
import os
import random
import sys

LENGTHS = [(16, 1), (17, 2), (18, 4), (19, 8), (20, 20), (21, 40), (22, 80),
           (23, 100), (24, 500), (25, 5), (26, 5), (27, 5), (28, 5), (29, 40),
           (30, 40), (31, 5), (32, 140)]
EXCLUDED = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/3"]
LO, HI = 0x01000000, 0xdfffffff
# allowlisted ISP MTAs (TEST-NET-1 and the benchmark range, never sources)
ALLOW = ["192.0.2.25/32", "192.0.2.26/32", "192.0.2.27/32", "198.18.25.0/24"]
FLOOD_DST = "198.51.100.25"
# fixed MACs of the benchmark topology (tests/bench/guest/common.sh)
MAC_SUB = "02:0b:00:00:00:02"
MAC_GW_SUB = "02:0b:00:00:00:01"


def excluded_ranges():
    r = []
    for p in EXCLUDED:
        n = ipaddress.ip_network(p)
        r.append((int(n.network_address), int(n.broadcast_address)))
    return sorted(r)


def draw_lengths(rng, k):
    lens = [l for l, _ in LENGTHS]
    weights = [w for _, w in LENGTHS]
    return rng.choices(lens, weights=weights, k=k)


def clean(cands, excl):
    """Disjoint candidates outside the excluded ranges, sorted by start."""
    cands.sort()
    out = []
    ei = 0
    last_end = -1
    for s, e in cands:
        if s <= last_end:
            continue
        while ei < len(excl) and excl[ei][1] < s:
            ei += 1
        if ei < len(excl) and excl[ei][0] <= e:
            continue
        out.append((s, e))
        last_end = e
    return out


def gen_prefixes(rng, n):
    excl = excluded_ranges()
    have = []
    need = n
    while len(have) < n:
        k = int(need * 1.3) + 16
        cands = list(have)
        for plen in draw_lengths(rng, k):
            size = 1 << (32 - plen)
            s = rng.randint(LO, HI) & ~(size - 1) & 0xffffffff
            cands.append((s, s + size - 1))
        have = clean(cands, excl)
        need = n - len(have)
    picked = rng.sample(have, n)
    return picked


def fmt(s, e):
    plen = 32 - (e - s + 1).bit_length() + 1
    return "%s/%d" % (ipaddress.IPv4Address(s), plen)


def gen_sources(rng, prefixes, k):
    seen = set()
    out = []
    tries = 0
    while len(out) < k and tries < 50 * k:
        tries += 1
        s, e = prefixes[rng.randrange(len(prefixes))]
        a = rng.randint(s, e)
        if a in seen:
            continue
        seen.add(a)
        out.append(a)
    return out


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--prefixes", type=float, required=True)
    ap.add_argument("--sources", type=float, default=0)
    ap.add_argument("--seed", type=int, default=25)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    n, k = int(a.prefixes), int(a.sources)
    if n < 1:
        sys.exit("gen_data.py: --prefixes must be at least 1")
    rng = random.Random(a.seed * 1000003 + n)
    os.makedirs(a.out, exist_ok=True)

    pfx = gen_prefixes(rng, n)
    names = [fmt(s, e) for s, e in pfx]
    write(os.path.join(a.out, "prefixes.txt"), "\n".join(names) + "\n")

    conf = ["# op25b benchmark: %d subscriber prefixes (seed %d)" % (n, a.seed),
            "mode enforce"]
    conf += ["subscriber " + p for p in names]
    conf += ["allow " + p for p in ALLOW]
    write(os.path.join(a.out, "op25b.conf"), "\n".join(conf) + "\n")

    nft = ["table ip op25b_bench {",
           "\tset sub {", "\t\ttype ipv4_addr", "\t\tflags interval",
           "\t\telements = { " + ",\n\t\t\t".join(names) + " }", "\t}",
           "\tset allow {", "\t\ttype ipv4_addr", "\t\tflags interval",
           "\t\telements = { " + ", ".join(ALLOW) + " }", "\t}", "}"]
    write(os.path.join(a.out, "nft-sets.nft"), "\n".join(nft) + "\n")

    # hash:net grows by doubling; start it at its final size, as an
    # operator who knows the table would (bucketsize 12 by default)
    hs = 1024
    while hs * 4 < n:
        hs *= 2
    ips = ["create op25b_sub hash:net family inet hashsize %d maxelem %d"
           % (hs, max(65536, 2 * n))]
    ips += ["add op25b_sub " + p for p in names]
    ips.append("create op25b_allow hash:net family inet hashsize 1024 maxelem 65536")
    ips += ["add op25b_allow " + p for p in ALLOW]
    write(os.path.join(a.out, "ipset.restore"), "\n".join(ips) + "\n")

    if k:
        src = gen_sources(rng, pfx, k)
        write(os.path.join(a.out, "sources.txt"),
              "".join("%s\n" % ipaddress.IPv4Address(x) for x in src))
        tg = ["/* %d TCP SYNs to %s:25, one per subscriber source */"
              % (len(src), FLOOD_DST)]
        for i, x in enumerate(src):
            tg.append("{ eth(da=%s, sa=%s), ipv4(sa=%s, da=%s, ttl=64, df, id=%d), "
                      "tcp(sp=%d, dp=25, seq=%d, syn, win=64240) }"
                      % (MAC_GW_SUB, MAC_SUB, ipaddress.IPv4Address(x),
                         FLOOD_DST, i & 0xffff, 1024 + i % 60000,
                         rng.randrange(1 << 32)))
        write(os.path.join(a.out, "flood.trafgen"), "\n".join(tg) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
