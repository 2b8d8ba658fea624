#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the guest benchmarks (tests/bench/guest/), from their raw output.

    report.py DIR [--out OUTDIR]

DIR holds what a guest run left (tests/bench/guest/run.sh, or a part of
it): kmod.txt (op25b_bench.ko's results), fwd.raw (fwd.sh), load.raw
(load.sh), and, when the host ran tests/bench/vcpuclock.c, vcpu-clock.log.
Prints the tables (with each target, met or missed) and writes them to
OUTDIR (default DIR) as kmod.txt (copied), fwd.txt, load.txt and
report.txt (all of them).  Medians over the rounds; a ratio is the ratio
of two medians, its range the min..max of the per-round ratios.
Exit status 0, also when a target is missed (the tables say so).
"""
import argparse
import bisect
import os
import statistics
import sys

CONFIGS = ["none", "op25b", "nft", "ipset"]
CONFIG_DESC = {
    "none": "no hook",
    "op25b": "op25b",
    "nft": "nftables, interval sets",
    "ipset": "iptables-nft + ipset hash:net",
}
LOAD_DESC = {
    "udp": "ordinary traffic: UDP, 64-byte frames (pktgen)",
    "syn": "SYN flood to port 25 from 10^4 subscriber sources (trafgen)",
}


def pow10(n):
    n = int(n)
    e = len(str(n)) - 1
    return "10^%d" % e if n == 10 ** e else str(n)


def med(v):
    return statistics.median(v) if v else None


class VClock:
    """vCPU 0's host CPU time, from vcpuclock's log, at a guest time."""

    def __init__(self, log, syncs):
        self.t, self.c = [], []
        with open(log) as f:
            for line in f:
                w = line.split()
                if len(w) >= 4 and int(w[3]) >= 0:
                    self.t.append(int(w[1]))
                    self.c.append(int(w[3]))
        # guest ns = host ns + D; D <= (read done) - (sample written)
        self.d = min(int(tb) * 1000 - int(h) for _, tb, h in syncs)
        self.ok = len(self.t) >= 2

    def cpu_at(self, guest_us):
        h = guest_us * 1000 - self.d
        i = bisect.bisect_left(self.t, h)
        if i <= 0 or i >= len(self.t):
            return None
        t0, t1 = self.t[i - 1], self.t[i]
        c0, c1 = self.c[i - 1], self.c[i]
        return c0 + (c1 - c0) * (h - t0) / (t1 - t0) if t1 > t0 else c0


def read_lines(path, tag):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            w = line.split()
            if w and w[0] == tag:
                out.append(w[1:])
    return out


def fmt_ratio(x):
    return "-" if x is None else "%.3f" % x


def fmt_range(v):
    v = [x for x in v if x is not None]
    return "-" if not v else "%.3f..%.3f" % (min(v), max(v))


def fwd_tables(d):
    raw = os.path.join(d, "fwd.raw")
    rows = read_lines(raw, "fwd")
    if not rows:
        return None, []
    syncs = read_lines(raw, "vclk")
    vc = None
    log = os.path.join(d, "vcpu-clock.log")
    if syncs and os.path.exists(log):
        vc = VClock(log, syncs)
        if not vc.ok:
            vc = None
    # m[size][load][config] = list of (round, wall pps, vcpu pps, share)
    m = {}
    for w in rows:
        size, rnd, cfg, load, n, t0, t1 = w[:7]
        n, t0, t1 = int(n), int(t0), int(t1)
        secs = (t1 - t0) / 1e6
        wall = n / secs if secs > 0 else 0
        vpps = share = None
        if vc:
            c0, c1 = vc.cpu_at(t0), vc.cpu_at(t1)
            if c0 is not None and c1 is not None and c1 > c0:
                vpps = n / ((c1 - c0) / 1e9)
                share = (c1 - c0) / ((t1 - t0) * 1000)
        m.setdefault(int(size), {}).setdefault(load, {}).setdefault(cfg, []).append(
            (int(rnd), wall, vpps, share))
    out = []
    targets = []
    out.append("Forwarding through gw (one vCPU does all: generator, forwarding, the hook).")
    out.append("pps: packets per second of guest time; pps/vCPU-s: per second of host CPU time")
    out.append("that vCPU 0 got (the rest of the window the host ran other jobs on its core);")
    out.append("UDP counted as forwarded (inet rx), the flood as handled (gw rx: forwarded or")
    out.append("dropped by the hook).  Medians over rounds; ratio = ratio of medians of")
    out.append("pps/vCPU-s (wall-clock pps when the host did not run vcpuclock), range = the")
    out.append("per-round ratios.")
    for size in sorted(m):
        for load in ("udp", "syn"):
            if load not in m[size]:
                continue
            cf = m[size][load]
            nround = max(len(v) for v in cf.values())
            out.append("")
            out.append("%s, %s subscriber prefixes, %d round%s"
                       % (LOAD_DESC[load], pow10(size), nround, "s" * (nround != 1)))
            out.append("%-8s %10s %11s %6s %9s %13s %9s %9s"
                       % ("config", "pps", "pps/vCPU-s", "vCPU%", "/none", "range",
                          "/nft", "/ipset"))
            use_v = all(x[2] is not None for v in cf.values() for x in v)
            key = 2 if use_v else 1

            def medk(cfg, k=key):
                return med([x[k] for x in cf.get(cfg, []) if x[k] is not None])

            def per_round(a, b, k=key):
                ra = {x[0]: x[k] for x in cf.get(a, [])}
                rb = {x[0]: x[k] for x in cf.get(b, [])}
                return [ra[r] / rb[r] for r in ra if r in rb and ra[r] and rb[r]]

            base = medk("none")
            for cfg in CONFIGS:
                if cfg not in cf:
                    continue
                mw = medk(cfg, 1)
                mv = medk(cfg, 2)
                sh = medk(cfg, 3)
                mk = medk(cfg)
                r_none = mk / base if base and mk else None
                r_nft = mk / medk("nft") if mk and medk("nft") else None
                r_ips = mk / medk("ipset") if mk and medk("ipset") else None
                out.append("%-8s %10s %11s %6s %9s %13s %9s %9s"
                           % (cfg, "%.0f" % mw if mw else "-",
                              "%.0f" % mv if mv else "-",
                              "%.0f%%" % (100 * sh) if sh else "-",
                              fmt_ratio(r_none), fmt_range(per_round(cfg, "none")),
                              fmt_ratio(r_nft), fmt_ratio(r_ips)))
            o = medk("op25b")
            if load == "udp" and o and base:
                r = o / base
                targets.append(("ordinary traffic, %s prefixes: op25b/no hook >= 0.99"
                                % pow10(size), r >= 0.99, "%.3f" % r))
            if load == "syn" and o:
                for other in ("nft", "ipset"):
                    x = medk(other)
                    if x:
                        targets.append(("SYN flood, %s prefixes: op25b >= %s"
                                        % (pow10(size), other), o >= x,
                                        "op25b/%s = %.3f" % (other, o / x)))
    if vc:
        out.append("")
        out.append("(guest clock - host clock offset from %d readings of vcpuclock)"
                   % len(syncs))
    return "\n".join(out), targets


def load_table(d):
    rows = read_lines(os.path.join(d, "load.raw"), "load")
    if not rows:
        return None, []
    m = {}
    for size, rnd, tool, ms, got in (w[:5] for w in rows):
        m.setdefault(int(size), {}).setdefault(tool, []).append((int(ms), got))
    out = ["Load time of a subscriber table into an empty namespace (wall time of the",
           "command, from tmpfs), median of the rounds:"]
    targets = []
    for size in sorted(m):
        out.append("")
        out.append("%s prefixes" % pow10(size))
        out.append("%-7s %-36s %11s %11s %11s %8s" %
                   ("tool", "command", "median ms", "min ms", "max ms", "/nft"))
        cmd = {"op25b": "op25bctl load op25b.conf",
               "nft": "nft -f nft-sets.nft (interval set)",
               "ipset": "ipset restore < ipset.restore (hash:net)"}
        nft = med([x[0] for x in m[size].get("nft", [])])
        for tool in ("op25b", "nft", "ipset"):
            v = [x[0] for x in m[size].get(tool, [])]
            if not v:
                continue
            mm = med(v)
            out.append("%-7s %-36s %11.0f %11d %11d %8s" %
                       (tool, cmd[tool][:36], mm, min(v), max(v),
                        fmt_ratio(mm / nft) if nft else "-"))
        o = med([x[0] for x in m[size].get("op25b", [])])
        if o and nft:
            targets.append(("load of %s prefixes: op25b <= 0.1 x nft" % pow10(size),
                            o <= 0.1 * nft, "op25b/nft = %.4f" % (o / nft)))
    return "\n".join(out), targets


def kmod_table(d):
    p = os.path.join(d, "kmod.txt")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        text = f.read().rstrip("\n")
    return "op25b_decide() in the kernel (tests/bench/kmod), per call:\n" + text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    outdir = a.out or a.dir
    os.makedirs(outdir, exist_ok=True)
    parts = []
    targets = []
    k = kmod_table(a.dir)
    if k:
        parts.append(k)
    f, t = fwd_tables(a.dir)
    if f:
        parts.append(f)
        targets += t
        with open(os.path.join(outdir, "fwd.txt"), "w") as fo:
            fo.write(f + "\n")
    lt, t = load_table(a.dir)
    if lt:
        parts.append(lt)
        targets += t
        with open(os.path.join(outdir, "load.txt"), "w") as fo:
            fo.write(lt + "\n")
    if targets:
        parts.append("Targets:\n" + "\n".join(
            "  %-6s %-52s %s" % ("met" if ok else "MISSED", what, val)
            for what, ok, val in targets))
    if not parts:
        print("report.py: no results in %s" % a.dir, file=sys.stderr)
        return 1
    text = "\n\n".join(parts) + "\n"
    with open(os.path.join(outdir, "report.txt"), "w") as fo:
        fo.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
