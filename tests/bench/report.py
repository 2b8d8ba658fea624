#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tables of the guest benchmarks (tests/bench/guest/), from their raw output.

    report.py DIR [--icount ICDIR] [--lookup FILE]... [--out OUTDIR]

DIR holds what a guest run left (tests/bench/guest/run.sh, or a part of
it): kmod.txt (op25b_bench.ko's results), fwd.raw (fwd.sh), load.raw
(load.sh), and, when the host ran tests/bench/vcpuclock.c, vcpu-clock.log.
ICDIR holds the fwd.raw of a run under QEMU's -icount (tests/bench/run.sh
makes one after the wall-clock run): its tables are printed beside the
wall-clock ones and the ordinary-traffic target is judged on it.  Each
--lookup FILE is an output of the host lookup benchmark (bench_lookup:
build/bench/lookup.txt, lookup-carrier.txt), whose rows give one target
each: op25b/DPDK <= 1.0 on every row with a DPDK figure.
Prints the tables (with each target, met or missed) and writes them to
OUTDIR (default DIR) as fwd.txt, fwd-icount.txt, load.txt and report.txt
(all of them).  Medians over the rounds; a ratio between two
configurations is the median of the per-round ratios (paired), its range
their min..max.  Exit status 0, also when a target is missed (the tables
say so).
"""
import argparse
import bisect
import os
import re
import statistics
import sys

# none2: no hook again, measured in every round as an A/A control;
# nftempty: an nftables chain at forward without a rule (any hook's cost)
# op25bidle: op25b loaded, gw without a policy (so without op25b's hooks)
# op25brej: op25b answering the flood with resets (its reject limiter)
CONFIGS = ["none", "none2", "op25b", "op25brej", "nft", "ipset", "nftempty",
           "op25bidle"]
LOAD_DESC = {
    "udp": "ordinary traffic: UDP, 64-byte frames (pktgen)",
    "syn": "SYN flood to port 25 from 10^4 subscriber sources (trafgen)",
    "syn2": "the same SYN flood from two generators, one on each vCPU",
}
# the vCPUs a load's packets are handled on (its generators' CPUs)
LOAD_VCPUS = {"udp": 1, "syn": 1, "syn2": 2}


def pow10(n):
    n = int(n)
    e = len(str(n)) - 1
    return "10^%d" % e if n == 10 ** e else str(n)


def med(v):
    return statistics.median(v) if v else None


class VClock:
    """The host CPU time of vCPUs 0..n-1 together, from vcpuclock's log,
    at a guest time."""

    def __init__(self, log, syncs):
        self.t, self.c = [], []
        with open(log) as f:
            for line in f:
                w = line.split()
                if len(w) >= 4 and all(int(x) >= 0 for x in w[3:]):
                    self.t.append(int(w[1]))
                    self.c.append([int(x) for x in w[3:]])
        # guest ns = host ns + D; D <= (read done) - (sample written)
        self.d = min(int(tb) * 1000 - int(h) for _, tb, h in syncs)
        self.ok = len(self.t) >= 2

    def cpu_at(self, guest_us, n=1):
        h = guest_us * 1000 - self.d
        i = bisect.bisect_left(self.t, h)
        if i <= 0 or i >= len(self.t) or len(self.c[i]) < n:
            return None
        t0, t1 = self.t[i - 1], self.t[i]
        c0, c1 = sum(self.c[i - 1][:n]), sum(self.c[i][:n])
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


def fwd_read(d, name="fwd.raw"):
    """NAME (fwd.raw, flood.raw) of DIR as m[size][load][config] =
    {round: (pps, vpps, share)}, and how many clock readings there were
    (None: no vCPU clock, vpps and share are then None)."""
    raw = os.path.join(d, name)
    rows = read_lines(raw, "fwd")
    if not rows:
        return None, None
    syncs = read_lines(raw, "vclk")
    vc = None
    log = os.path.join(d, "vcpu-clock.log")
    if syncs and os.path.exists(log):
        vc = VClock(log, syncs)
        if not vc.ok:
            vc = None
    m = {}
    for w in rows:
        size, rnd, cfg, load, n, t0, t1 = w[:7]
        n, t0, t1 = int(n), int(t0), int(t1)
        secs = (t1 - t0) / 1e6
        pps = n / secs if secs > 0 else 0
        vpps = share = None
        if vc:
            nv = LOAD_VCPUS.get(load, 1)
            c0, c1 = vc.cpu_at(t0, nv), vc.cpu_at(t1, nv)
            if c0 is not None and c1 is not None and c1 > c0:
                vpps = n / ((c1 - c0) / 1e9)
                share = (c1 - c0) / ((t1 - t0) * 1000 * nv)
        m.setdefault(int(size), {}).setdefault(load, {}).setdefault(
            cfg, {})[int(rnd)] = (pps, vpps, share)
    return m, len(syncs) if vc else None


class Cell:
    """One (size, load) of a run: the figure compared is pps/vCPU-s when
    every measurement has it, else pps (guest clock)."""

    def __init__(self, cf):
        self.cf = cf
        self.key = 1 if all(x[1] is not None for v in cf.values()
                            for x in v.values()) else 0

    def med(self, cfg, k=None):
        v = [x[self.key if k is None else k] for x in self.cf.get(cfg, {}).values()]
        v = [x for x in v if x is not None]
        return med(v)

    def ratios(self, a, b):
        """a/b round by round: both were measured in the same round, a
        few seconds apart, so a slow spell of the host that spans a round
        cancels out of the ratio."""
        ra, rb = self.cf.get(a, {}), self.cf.get(b, {})
        return [ra[r][self.key] / rb[r][self.key] for r in sorted(ra)
                if r in rb and ra[r][self.key] and rb[r][self.key]]

    def ratio(self, a, b):
        return med(self.ratios(a, b))


FWD_HEAD = {
    "wall": [
        "Forwarding through gw, wall-clock run (multi-threaded TCG, 2 vCPUs; vCPU 0",
        "does all of it: generator, forwarding, the hook).  pps: packets per second",
        "of guest time; pps/vCPU-s: per second of host CPU time that vCPU 0 got (the",
        "rest of the window the host ran other jobs on its core); vCPU%: that share.",
        "UDP counted as forwarded (inet rx), the flood as handled (gw rx: forwarded",
        "or dropped by the hook).  Ratios are paired: each round's ratio of",
        "pps/vCPU-s (pps without vcpuclock) between two configurations measured in",
        "that round, median over the rounds; range = min..max of those per-round",
        "ratios.  none2 is no hook measured a second time in each round (A/A): its",
        "/none range is this run's noise floor.  syn2: the flood from two",
        "generators, one on each vCPU; its pps/vCPU-s is per second of both vCPUs'",
        "host CPU time, its vCPU% their mean share.",
    ],
    "flood": [
        "A blocked SYN flood on one vCPU and on two (wall-clock run, 2 vCPUs):",
        "syn from one generator on vCPU 0, syn2 from two, one on each vCPU, where",
        "gw's hook then runs too.  op25b drops the flood; op25brej answers it",
        "with TCP resets (action reject-tcp), so that every packet asks the",
        "namespace's reject limiter (1000/s: exhausted at once).  pps/vCPU-s:",
        "per second of host CPU time of the vCPUs handling the flood (both for",
        "syn2); vCPU%: their mean share.  Ratios paired per round as above.",
    ],
    "icount": [
        "Forwarding through gw, instruction-count run (QEMU -icount shift=0: guest",
        "time advances 1 ns per guest instruction, so pps = packets per 10^9",
        "instructions, whatever the host's load; 1 vCPU, single-threaded TCG; no",
        "model of caches or memory latency).  Counted as in the wall-clock run.",
        "Ratios paired per round, median; range = min..max of the per-round",
        "ratios; none2 = no hook measured again in each round (A/A); nftempty =",
        "an nftables base chain at forward without a rule (what any hook costs).",
    ],
}


def fwd_tables(m, kind, nsync):
    """The tables of one run (kind "wall" or "icount") and its figures
    for the targets: res[(size, load)] = Cell."""
    out = list(FWD_HEAD[kind])
    res = {}
    for size in sorted(m):
        for load in ("udp", "syn", "syn2"):
            if load not in m[size]:
                continue
            c = res[(size, load)] = Cell(m[size][load])
            nround = max(len(v) for v in c.cf.values())
            out.append("")
            out.append("%s, %s subscriber prefixes, %d round%s"
                       % (LOAD_DESC[load], pow10(size), nround, "s" * (nround != 1)))
            if kind != "icount":
                out.append("%-8s %10s %11s %6s %9s %13s %9s %9s"
                           % ("config", "pps", "pps/vCPU-s", "vCPU%", "/none", "range",
                              "/nft", "/ipset"))
            else:
                out.append("%-8s %10s %9s %13s %9s %9s"
                           % ("config", "pkts/Ginsn", "/none", "range", "/nft", "/ipset"))
            for cfg in CONFIGS:
                if cfg not in c.cf:
                    continue
                cols = [cfg]
                if kind != "icount":
                    mw, mv, sh = c.med(cfg, 0), c.med(cfg, 1), c.med(cfg, 2)
                    cols += ["%.0f" % mw if mw else "-", "%.0f" % mv if mv else "-",
                             "%.0f%%" % (100 * sh) if sh else "-"]
                    fmt = "%-8s %10s %11s %6s %9s %13s %9s %9s"
                else:
                    mw = c.med(cfg, 0)
                    cols += ["%.0f" % mw if mw else "-"]
                    fmt = "%-8s %10s %9s %13s %9s %9s"
                cols += [fmt_ratio(c.ratio(cfg, "none")),
                         fmt_range(c.ratios(cfg, "none")),
                         fmt_ratio(c.ratio(cfg, "nft")),
                         fmt_ratio(c.ratio(cfg, "ipset"))]
                out.append(fmt % tuple(cols))
    if nsync:
        out.append("")
        out.append("(guest clock - host clock offset from %d readings of vcpuclock)" % nsync)
    return "\n".join(out), res


def spread(c, a, b):
    v = c.ratios(a, b)
    return "%.3f..%.3f" % (min(v), max(v)) if v else "-"


def fwd_targets(wall, icount):
    """Ordinary traffic is judged on the instruction-count run when there
    is one: under wall-clock TCG the A/A spread is several percent, so a
    1% difference cannot be seen there.  The flood comparisons (10-50%
    apart) are judged on the wall-clock run, which also carries some of
    the host's cache and memory costs."""
    targets = []
    for size in sorted({s for s, _ in wall} | {s for s, _ in icount}):
        w, i = wall.get((size, "udp")), icount.get((size, "udp"))
        what = "ordinary traffic, %s prefixes: op25b/no hook >= 0.99" % pow10(size)
        wtxt = None
        if w and w.ratio("op25b", "none"):
            wtxt = "wall clock: %.3f, %s, A/A %s" % (
                w.ratio("op25b", "none"), spread(w, "op25b", "none"),
                spread(w, "none2", "none"))
        if i and i.ratio("op25b", "none"):
            r = i.ratio("op25b", "none")
            itxt = "instruction count: %s, A/A %s" % (
                spread(i, "op25b", "none"), spread(i, "none2", "none"))
            if i.ratio("nftempty", "none"):
                itxt += ", empty nftables chain %.4f" % i.ratio("nftempty", "none")
            targets.append((what, r >= 0.99, "%.4f, instruction count" % r,
                            itxt + ("; " + wtxt if wtxt else "")))
        elif wtxt:
            targets.append((what, w.ratio("op25b", "none") >= 0.99,
                            "%.3f, wall clock" % w.ratio("op25b", "none"), wtxt))
        if i and i.ratio("op25bidle", "none"):
            # within the A/A control's own spread of 1.000
            aa = i.ratios("none2", "none")
            r = i.ratio("op25bidle", "none")
            lo, hi = min(aa + [1.0]), max(aa + [1.0])
            targets.append((
                "namespace without policy, %s prefixes elsewhere: op25b loaded/no hook = 1.000 (A/A range)"
                % pow10(size), lo - 0.0005 <= r <= hi + 0.0005,
                "%.4f, instruction count" % r,
                "per round %s, A/A %s" % (spread(i, "op25bidle", "none"),
                                          spread(i, "none2", "none"))))
        w, i = wall.get((size, "syn")), icount.get((size, "syn"))
        if not w:
            continue
        for other in ("nft", "ipset"):
            r = w.ratio("op25b", other)
            if r is None:
                continue
            txt = "wall clock: %s" % spread(w, "op25b", other)
            if i and i.ratio("op25b", other):
                txt += "; instruction count %.3f (%s)" % (
                    i.ratio("op25b", other), spread(i, "op25b", other))
            targets.append(("SYN flood, %s prefixes: op25b >= %s" % (pow10(size), other),
                            r >= 1, "op25b/%s = %.3f" % (other, r), txt))
    return targets


def flood_figures(cells):
    out = []
    for size in sorted({s for s, _ in cells}):
        out += flood_cpus_figures(size, cells.get((size, "syn")), cells.get((size, "syn2")))
    return out


def flood_cpus_figures(size, one, two):
    """The blocked flood from one generator and from two (one on each
    vCPU), in packets per vCPU-second: dropped (op25b) and answered with
    resets (op25brej, every packet asking the reject limiter).  Reported,
    not judged: how far two vCPUs fall short of one is mostly TCG's and
    the stack's; what op25b adds to it shows in op25brej/op25b with two
    generators against one."""
    if not one or not two:
        return []
    out = []
    for cfg in ("op25b", "op25brej"):
        a, b = one.med(cfg), two.med(cfg)
        if a and b:
            out.append(("blocked flood, %s prefixes, %s: 2 generators / 1" % (pow10(size), cfg),
                        None, "%.0f / %.0f pkts per vCPU-s = %.3f" % (b, a, b / a),
                        "per vCPU-second of the vCPUs handling it; pps %.0f / %.0f"
                        % (two.med(cfg, 0), one.med(cfg, 0))))
    r1, r2 = one.ratio("op25brej", "op25b"), two.ratio("op25brej", "op25b")
    if r1 and r2:
        out.append(("blocked flood, %s prefixes: reject limiter's cost, 2 generators vs 1"
                    % pow10(size), None, "op25brej/op25b %.3f (2) vs %.3f (1)" % (r2, r1),
                    "per round: %s (2), %s (1)" % (spread(two, "op25brej", "op25b"),
                                                   spread(one, "op25brej", "op25b"))))
    return out


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
                            o <= 0.1 * nft, "op25b/nft = %.4f" % (o / nft), None))
    st = read_lines(os.path.join(d, "load.raw"), "status")
    for size, calls, longest, median, load_ms in (w[:5] for w in st):
        out.append("")
        out.append("op25bctl status while a load of %s prefixes runs (%s ms): %s calls, "
                   "longest %s ms, median %s ms" % (pow10(int(size)), load_ms, calls,
                                                     longest, median))
        targets.append(("status during a load of %s prefixes: answers, never waits for it"
                        % pow10(int(size)),
                        int(calls) > 1 and int(longest) < int(load_ms) / 2,
                        "longest call %s ms of a %s ms load" % (longest, load_ms), None))
    return "\n".join(out), targets


# a row of bench_lookup's lookup table: fam, prefixes, set, addresses,
# hit%, top% | op25b ns, DPDK ns, ratio (min..max) | ...
LOOKUP_ROW = re.compile(r"^v([46])\s+(\d+)\s+(mix|hit|miss)\s+\d+\s+[\d.]+\s+[\d.]+\s+\|"
                        r"\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\(([\d.]+)\.\.([\d.]+)\)")


def lookup_targets(paths):
    """One target per bench_lookup output: every row with a DPDK figure
    at or under 1.0 (the median of its per-rep ratios)."""
    targets = []
    for p in paths:
        if not os.path.exists(p):
            continue
        with open(p) as f:
            text = f.read()
        rows = []
        for line in text.splitlines():
            m = LOOKUP_ROW.match(line)
            if m:
                fam, n, st = m.group(1), int(m.group(2)), m.group(3)
                rows.append(("v%s %s %s" % (fam, pow10(n), st), float(m.group(6)),
                             float(m.group(7)), float(m.group(8))))
        if not rows:
            continue
        kind = "carrier-like" if "carrier" in os.path.basename(p) else "RIB-like"
        worst = max(rows, key=lambda r: r[1])
        above = [r for r in rows if r[1] > 1.0]
        # the benchmark's own count, from the unrounded ratios (a row
        # printed 1.00 may be above)
        m = re.search(r"^worst ratio op25b/DPDK [\d.]+ \(.*\); (\d+) rows? above 1\.0$", text, re.M)
        nabove = int(m.group(1)) if m else len(above)
        targets.append((
            "host lookup, %s prefixes: op25b/DPDK <= 1.0, every row" % kind,
            not nabove,
            "worst %.2f (%s), %d of %d rows above 1.0" % (worst[1], worst[0], nabove, len(rows)),
            "per-rep range of the worst row %.2f..%.2f; %s" % (
                worst[2], worst[3],
                ", ".join("%s %.2f" % (r[0], r[1]) for r in above) if above
                else "highest per-rep ratio %.2f" % max(r[3] for r in rows))))
    return targets


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
    ap.add_argument("--icount", metavar="ICDIR")
    ap.add_argument("--lookup", metavar="FILE", action="append", default=[])
    ap.add_argument("--out")
    a = ap.parse_args()
    outdir = a.out or a.dir
    os.makedirs(outdir, exist_ok=True)
    parts = []
    targets = []
    k = kmod_table(a.dir)
    if k:
        parts.append(k)
    cells = {}
    for kind, d, raw, name in (("wall", a.dir, "fwd.raw", "fwd.txt"),
                               ("flood", a.dir, "flood.raw", "flood.txt"),
                               ("icount", a.icount, "fwd.raw", "fwd-icount.txt")):
        m, nsync = fwd_read(d, raw) if d else (None, None)
        if not m:
            cells[kind] = {}
            continue
        f, cells[kind] = fwd_tables(m, kind, nsync)
        parts.append(f)
        with open(os.path.join(outdir, name), "w") as fo:
            fo.write(f + "\n")
    targets += fwd_targets(cells["wall"], cells["icount"])
    targets += flood_figures(cells["flood"])
    targets += lookup_targets(a.lookup)
    lt, t = load_table(a.dir)
    if lt:
        parts.append(lt)
        targets += t
        with open(os.path.join(outdir, "load.txt"), "w") as fo:
            fo.write(lt + "\n")
    if targets:
        parts.append("Targets (ratio: median of the per-round ratios; ranges: min..max):\n"
                     + "\n".join(
                         "  %-6s %-52s %s%s" % ({True: "met", False: "MISSED"}.get(ok, "report"),
                                                what, val,
                                                "\n         (%s)" % more if more else "")
                         for what, ok, val, more in targets))
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
