#!/usr/bin/env python3
"""Checks a table khoa printed (on stdin) against the width it was fitted to.

Usage: table-check.py WIDTH --heading H [--heading H2] [--whole S]... [--name N]...

A table starts at a line that begins with one of the headings H (its first
column's) and runs to the next empty line; output may hold several, and
prose around them. Prints one line per problem, nothing when there is none:
  - no table found (its heading missing);
  - a line of a table wider than WIDTH, in display columns (a Vietnamese
    letter is one whatever its bytes; a wide character two);
  - a string S (a serial, an ID) that is on no line whole;
  - a name N that is not whole in any column once the column's lines are
    joined by spaces (so a name wrapped between words, "Nguyễn Thị" over
    "Phương Thảo", is whole; one broken inside a word is not).
Columns are found from the table's first line: each begins where a heading
does, after two spaces or more (the separator). A block that starts with
LABEL: (--fields LABEL:) is a "Label: value" list: its value column is
where the text after the first label begins.
"""
import argparse
import re
import sys
import unicodedata


def width(text):
    return sum(0 if unicodedata.combining(c)
               else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def slice_cols(line, starts):
    """LINE cut at the display columns STARTS (characters here are one
    column wide, which the width check holds for the tables tested)."""
    return [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]


def blocks(lines, starts_with):
    i = 0
    while i < len(lines):
        if any(lines[i].startswith(h) for h in starts_with):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            yield lines[i:j]
            i = j
        else:
            i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("width", type=int)
    ap.add_argument("--heading", action="append", default=[])
    ap.add_argument("--fields", action="append", default=[])
    ap.add_argument("--whole", action="append", default=[])
    ap.add_argument("--name", action="append", default=[])
    a = ap.parse_args()
    lines = sys.stdin.read().split("\n")
    problems = []
    columns = []  # each column's lines joined
    found = False
    for block in blocks(lines, a.heading):
        found = True
        starts = [0] + [m.end() for m in re.finditer(r"  +", block[0].rstrip())]
        cols = [[] for _ in starts]
        for line in block:
            for k, text in enumerate(slice_cols(line, starts)):
                cols[k].append(text)
        columns += [" ".join(" ".join(c).split()) for c in cols]
    for block in blocks(lines, a.fields):
        found = True
        value = len(block[0]) - len(block[0].split(":", 1)[1].lstrip())
        columns.append(" ".join(" ".join(l[value:] for l in block).split()))
    if not found:
        problems.append("no table headed %s" % " or ".join(a.heading + a.fields))
    for block in list(blocks(lines, a.heading)) + list(blocks(lines, a.fields)):
        for line in block:
            if width(line) > a.width:
                problems.append("wider than %d (%d): %s" % (a.width, width(line), line))
    for s in a.whole:
        if not any(s in line for line in lines):
            problems.append("not whole on a line: %s" % s)
    for n in a.name:
        if not any(n in c for c in columns):
            problems.append("not whole in its column: %s" % n)
    print("\n".join(problems), end="\n" if problems else "")


if __name__ == "__main__":
    main()
