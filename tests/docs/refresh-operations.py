#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Refresh the command blocks of docs/operations.md from a transcript run.

    python3 tests/docs/refresh-operations.py [PAYLOAD_LOG] [DOC]

(defaults: build/operations/payload.log, docs/operations.md; see
tests/docs/operations-transcript.sh for the run).  Each fenced block of
the document that starts with a command line ("gateway# ...",
"gateway2# ...", "bras# ...", "support@gateway$ ...", "subscriber ...$
...") gets, for
each of its command lines in order, that command's real output from the
transcript; its "## " note lines stay where they are.  Blocks are matched
in document order, so the document may leave commands out but not
reorder them.  A block whose commands the transcript does not have in
that order is left as it is and named on stderr; the exit status is then 1.
"""
import re
import sys

CMD = re.compile(r"^(gateway2?# |bras# |support@gateway\$ |(subscriber|lan|office)[^$]*\$ )")


def main():
    log_path = sys.argv[1] if len(sys.argv) > 1 else "build/operations/payload.log"
    doc_path = sys.argv[2] if len(sys.argv) > 2 else "docs/operations.md"
    log = open(log_path, encoding="utf-8").read().split("\n")
    doc = open(doc_path, encoding="utf-8").read()

    def output_of(i):
        out = []
        for line in log[i + 1:]:
            if CMD.match(line) or line.startswith("## "):
                break
            out.append(line)
        while out and out[-1] == "":
            out.pop()
        return out

    pieces, last, at, missed = [], 0, 0, 0
    for m in re.finditer(r"```\n(.*?)```\n", doc, re.S):
        body = m.group(1).split("\n")[:-1]
        if not body or not CMD.match(body[0]):
            continue
        k, out = at, []
        for line in body:
            if line.startswith("## "):
                out.append(line)
            elif CMD.match(line):
                while k < len(log) and log[k] != line:
                    k += 1
                if k == len(log):
                    break
                out += [line] + output_of(k)
                k += 1
        else:
            pieces += [doc[last:m.start()], "```\n" + "\n".join(out) + "\n```\n"]
            last, at = m.end(), k
            continue
        print("not in the transcript, in this order: " + body[0], file=sys.stderr)
        missed += 1
    pieces.append(doc[last:])
    open(doc_path, "w", encoding="utf-8").write("".join(pieces))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
