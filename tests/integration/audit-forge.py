#!/usr/bin/env python3
"""A forger who knows the audit trail (daemon/store/store-audit.c): changes
a row of a stopped khoad's SQLite registry, seals the change into the last
record that changed the row, and rewrites the hash of that record and of
every record after it, so that the chain holds against itself. Only heads
kept elsewhere (the journal) can tell.

usage: audit-forge.py REGISTRY.db TABLE ID COLUMN VALUE
"""
import hashlib
import sqlite3
import sys


def row_digest(row):
    h = hashlib.sha256()
    for v in row:
        if v is None:
            h.update(b'N\n')
        elif isinstance(v, int):
            h.update(b'I%d\n' % v)
        else:
            b = str(v).encode()
            h.update(b'T%d:' % len(b) + b + b'\n')
    return h.hexdigest()


def record_hash(rec, changes):
    seq, time, uid, user, action, prev = rec
    lines = ['khoa audit 1', str(seq), prev, time, '' if uid is None else str(uid),
             user or '', action]
    text = ''.join(l + '\n' for l in lines)
    for table, key, op, digest in changes:
        text += '%s\t%s\t%s\t%s\n' % (table, key, op, digest or '')
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    db, table, rid, column, value = sys.argv[1:]
    con = sqlite3.connect(db)
    con.execute('DROP TRIGGER IF EXISTS audit_%s_update' % table)
    con.execute('UPDATE %s SET %s = ? WHERE id = ?' % (table, column), (value, int(rid)))
    row = con.execute('SELECT * FROM %s WHERE id = ?' % table, (int(rid),)).fetchone()
    seq = con.execute('SELECT MAX(seq) FROM audit_changes WHERE tbl = ? AND key = ?',
                      (table, rid)).fetchone()[0]
    con.execute('UPDATE audit_changes SET digest = ? WHERE seq = ? AND tbl = ? AND key = ?',
                (row_digest(row), seq, table, rid))
    prev = con.execute('SELECT hash FROM audit_records WHERE seq = ?', (seq - 1,)).fetchone()
    prev = prev[0] if prev else '0' * 64
    for rec in con.execute('SELECT seq, time, actor_uid, actor_user, action FROM audit_records '
                           'WHERE seq >= ? ORDER BY seq', (seq,)).fetchall():
        changes = con.execute('SELECT tbl, key, op, digest FROM audit_changes WHERE seq = ? '
                              'ORDER BY pos', (rec[0],)).fetchall()
        h = record_hash(rec + (prev,), changes)
        con.execute('UPDATE audit_records SET prev = ?, hash = ? WHERE seq = ?', (prev, h, rec[0]))
        prev = h
    con.commit()


main()
