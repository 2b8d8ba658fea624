#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The README's command blocks, as tests.

Every fenced block of README.md follows a marker comment saying who runs it:

    <!-- readme-test: guest NAME [sub 'FROM' 'TO']... -->
        run verbatim in a guest (tests/scenarios/01-readme.sh), FROM
        replaced by TO first: a placeholder such as a KVER becomes the
        kernel under test, and the substitution is printed
    <!-- readme-test: deploy NAME [sub ...] -->
        run verbatim on the build host by tests/deploy/run.sh
    <!-- readme-test: host -- REASON -->
    <!-- readme-test: skip -- REASON -->
        not run from here; REASON says what tests it (host) or why
        nothing can (skip), and "check" prints it as a TAP skip

A command is a line of the block without its trailing "  # comment";
lines that are only a comment are left out.

    readme.py FILE check              TAP: every block marked, markers valid
    readme.py FILE list               LINE KIND NAME: one line per block
    readme.py FILE script KIND NAME [N[-M]]
                                      a bash script running that block's
                                      commands (or its Nth to Mth, from 1)
                                      one by one, echoing each; the first
                                      that fails ends it (exit 1) naming
                                      FILE:LINE
"""
import re
import shlex
import sys

MARK = re.compile(r"^<!--\s*readme-test:\s*(.*?)\s*-->\s*$")
FENCE = re.compile(r"^(```|~~~)")
KINDS = ("guest", "deploy", "host", "skip")


class Block:
    def __init__(self, line, marker, mline):
        self.line = line        # line of the opening fence
        self.marker = marker    # text of the marker, None if there is none
        self.mline = mline
        self.lines = []         # (line number, text)
        self.kind = self.name = self.reason = None
        self.subs = []
        self.error = None

    def parse_marker(self):
        if self.marker is None:
            self.error = "no <!-- readme-test: ... --> marker before it"
            return
        text, _, reason = self.marker.partition(" -- ")
        try:
            words = shlex.split(text)
        except ValueError as e:
            self.error = "marker: %s" % e
            return
        if not words or words[0] not in KINDS:
            self.error = "marker: the kind must be one of %s" % ", ".join(KINDS)
            return
        self.kind = words[0]
        self.reason = reason.strip() or None
        if self.kind in ("host", "skip"):
            if len(words) != 1 or not self.reason:
                self.error = "marker: %s takes only ' -- REASON', which it needs" % self.kind
            return
        if len(words) < 2:
            self.error = "marker: %s needs a NAME" % self.kind
            return
        self.name = words[1]
        rest = words[2:]
        while rest:
            if rest[0] != "sub" or len(rest) < 3:
                self.error = "marker: expected sub 'FROM' 'TO', got %r" % rest
                return
            self.subs.append((rest[1], rest[2]))
            rest = rest[3:]
        for frm, _ in self.subs:
            if not any(frm in t for _, t in self.lines):
                self.error = "marker: sub '%s' matches nothing in the block" % frm
                return
        if not self.commands():
            self.error = "a block to run has no command"

    def commands(self):
        out = []
        for n, text in self.lines:
            cmd = re.sub(r"\s+#\s.*$", "", text).strip()
            if not cmd or cmd.startswith("#"):
                continue
            typed = cmd
            for frm, to in self.subs:
                cmd = cmd.replace(frm, to)
            out.append((n, text.strip(), cmd if cmd != typed else ""))
        return out


def blocks_of(path):
    blocks, cur = [], None
    marker = mline = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            text = raw.rstrip("\n")
            if cur is not None:
                if FENCE.match(text):
                    blocks.append(cur)
                    cur = None
                else:
                    cur.lines.append((n, text))
                continue
            m = MARK.match(text)
            if m:
                marker, mline = m.group(1), n
                continue
            if FENCE.match(text):
                cur = Block(n, marker, mline)
                marker = None
                continue
            if text.strip():
                marker = None   # a marker belongs to the very next block
    if cur is not None:
        cur.error = "block never closed"
        blocks.append(cur)
    for b in blocks:
        b.parse_marker()
    return blocks


def check(path, blocks):
    print("1..%d" % len(blocks))
    bad = 0
    seen = set()
    for i, b in enumerate(blocks, 1):
        where = "%s:%d" % (path, b.line)
        if not b.error and b.name and (b.kind, b.name) in seen:
            b.error = "a second %s block named %s" % (b.kind, b.name)
        seen.add((b.kind, b.name))
        if b.error:
            bad += 1
            print("not ok %d - %s: %s" % (i, where, b.error))
        elif b.kind in ("host", "skip"):
            print("ok %d - %s: not run from here # SKIP %s: %s" % (i, where, b.kind, b.reason))
        else:
            subs = "".join(", '%s' -> %s" % s for s in b.subs)
            print("ok %d - %s: %s block '%s', %d commands%s" %
                  (i, where, b.kind, b.name, len(b.commands()), subs))
    return 1 if bad else 0


def script(path, blocks, kind, name, span=None):
    for b in blocks:
        if b.kind == kind and b.name == name and not b.error:
            break
    else:
        sys.stderr.write("readme.py: no valid %s block '%s' in %s\n" % (kind, name, path))
        return 2
    out = ["# %s:%d, %s block '%s'" % (path, b.line, kind, name),
           "readme_run() { # LINE TEXT CMD [AS]: echo the line as written, run",
           "\t# CMD, or AS (CMD with the marker's substitutions) if given",
           "\tprintf '+ %s\\n' \"$2\"",
           "\t[ -z \"$4\" ] || { printf '  (run as: %s)\\n' \"$4\"; set -- \"$1\" \"$2\" \"$4\"; }",
           "\teval \"$3\" || { rc=$?; printf '%s:%s: exit %s: %s\\n' " +
           shlex.quote(path) + " \"$1\" \"$rc\" \"$2\"; exit 1; }",
           "}"]
    cmds = b.commands()
    if span:
        first, _, last = span.partition("-")
        first = int(first)
        last = int(last) if last else first
        if not 1 <= first <= last <= len(cmds):
            sys.stderr.write("readme.py: %s block '%s' has %d commands, not %s\n" %
                             (kind, name, len(cmds), span))
            return 2
        cmds = cmds[first - 1:last]
    for n, text, subst in cmds:
        cmd = re.sub(r"\s+#\s.*$", "", text).strip()
        out.append("readme_run %d %s %s%s" % (n, shlex.quote(text), shlex.quote(cmd),
                                              " " + shlex.quote(subst) if subst else ""))
    print("\n".join(out))
    return 0


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    path, what = argv[1], argv[2]
    blocks = blocks_of(path)
    if what == "check":
        return check(path, blocks)
    if what == "list":
        for b in blocks:
            print(b.line, b.kind or "-", b.name or "-")
        return 0
    if what == "script" and len(argv) in (5, 6):
        return script(path, blocks, argv[3], argv[4], argv[5] if len(argv) == 6 else None)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
