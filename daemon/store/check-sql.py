#!/usr/bin/env python3
"""The SQL of the store's area files stays portable (SQLite and PostgreSQL).

usage: check-sql.py STORE_DIR

Reads the C string literals of STORE_DIR/store-*.c (adjacent literals
joined, as the compiler joins them) and fails, naming file and line, on a
construct one engine does not take: SQLite's INSERT OR …, PRAGMA,
last_insert_rowid(), a bare integer parameter as a condition (CASE WHEN ?n
THEN: PostgreSQL wants a boolean), a sum of booleans (SUM(x IS …)), a
boolean added to a number ((x = 'y')). The backend's own SQL (sqlite/) is
not checked: it is one engine's by design. Prints TAP.
"""
import glob
import os
import re
import sys

FORBIDDEN = [
    (r'\bINSERT\s+OR\b', 'INSERT OR … (use ON CONFLICT)'),
    (r'\bPRAGMA\b', 'PRAGMA (an engine setting, for the backend)'),
    (r'last_insert_rowid', 'last_insert_rowid()'),
    (r'\bWHEN\s+\?\d*\s+THEN\b', 'CASE WHEN ?n THEN (write ?n <> 0)'),
    (r'\bSUM\s*\([^)]*\bIS\b', 'SUM of a boolean (use COUNT or CASE)'),
    (r"\+\s*\(\s*\w+(\.\w+)?\s*=\s*'", 'a boolean added to a number (use CASE)'),
    (r'\bgroup_concat\b', 'group_concat (SQLite only)'),
    (r'\bIFNULL\b', 'IFNULL (use COALESCE)'),
]


def statements(path):
    """(line, joined literal) for each run of adjacent string literals."""
    text = open(path, encoding='utf-8').read()
    # Comments out, keeping the lines where they were.
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    runs = []
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*', text):
        parts = re.findall(r'"((?:[^"\\\n]|\\.)*)"', m.group(0))
        runs.append((text.count('\n', 0, m.start()) + 1, ''.join(parts)))
    return runs


def main():
    files = sorted(glob.glob(os.path.join(sys.argv[1], 'store-*.c')))
    n = 0
    failed = 0
    for path in files:
        bad = []
        for line, sql in statements(path):
            for pattern, why in FORBIDDEN:
                if re.search(pattern, sql, re.I):
                    bad.append('%s:%d: %s' % (os.path.basename(path), line, why))
        n += 1
        print('%s %d - %s: portable SQL' % ('not ok' if bad else 'ok', n, os.path.basename(path)))
        for b in bad:
            print('#   ' + b)
        failed += bool(bad)
    print('1..%d' % n)
    sys.exit(1 if failed or not files else 0)


main()
