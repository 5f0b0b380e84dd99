#!/usr/bin/env python3
"""Holds khoad's #includes to its plan of rooms (docs/design-notes.md).

Usage: check-rooms.py DAEMON_DIR ROOM=BELOW,BELOW ...

Each ROOM is a folder of DAEMON_DIR that may include its own headers and
those of the rooms BELOW it; a header in a room's subfolder is that room's
own. The files at DAEMON_DIR itself (main.c and its glue) may include any
room's public headers. An #include "…" names a bare file: no '/' and no
'..', so that only the include path decides what is visible. Headers of the
token layer that call a PKCS#11 module (pkcs11/module.h, pin.h, read.h) are
for the devices room and the glue only; an engine's client library
(sqlite3.h, libpq-fe.h) for its backend's folder only. Prints every breach and exits 1 if
there is one; TAP output for meson.
"""
import os
import re
import sys

# Headers of pkcs11/ that call into a module; token.h (plain data), x509.h
# and text.h do not.
PKCS11_CALLS = {'module.h', 'pin.h', 'read.h'}
PKCS11_CALLERS = {'devices', None}

# An engine's client library, for its backend's folder only: the area files
# speak SQL to store-private.h, never to an engine.
ENGINE_HEADERS = {'sqlite3.h': 'store/sqlite', 'libpq-fe.h': 'store/pg'}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)


def main():
    daemon = sys.argv[1]
    below = {}
    for arg in sys.argv[2:]:
        room, _, deps = arg.partition('=')
        below[room] = [d for d in deps.split(',') if d]

    public = {}     # header name -> room
    private = {}    # header name -> room
    sources = []    # (path, room or None)
    problems = []
    for room in below:
        root = os.path.join(daemon, room)
        for dirpath, _, files in os.walk(root):
            inner = dirpath != root
            for f in files:
                path = os.path.join(dirpath, f)
                if f.endswith('.h'):
                    table = private if inner else public
                    if f in public or f in private:
                        other = public.get(f) or private.get(f)
                        problems.append('%s: a header of that name is in %s too' %
                                        (os.path.relpath(path, daemon), other))
                    table[f] = room
                if f.endswith(('.c', '.h')):
                    sources.append((path, room))
    for f in os.listdir(daemon):
        if f.endswith(('.c', '.h')):
            sources.append((os.path.join(daemon, f), None))
    glue_headers = {f for f in os.listdir(daemon) if f.endswith('.h')}

    for path, room in sorted(sources):
        rel = os.path.relpath(path, daemon)
        with open(path, encoding='utf-8') as fh:
            text = fh.read()
        here = os.listdir(os.path.dirname(path))
        folder = os.path.relpath(os.path.dirname(path), daemon)
        for name in SYSTEM_INCLUDE.findall(text):
            if name in ENGINE_HEADERS and folder != ENGINE_HEADERS[name]:
                problems.append('%s: #include <%s>: only %s speaks to that engine' %
                                (rel, name, ENGINE_HEADERS[name]))
        for name in INCLUDE.findall(text):
            if '/' in name or '..' in name:
                problems.append('%s: #include "%s": a bare name, please' % (rel, name))
                continue
            if name in here:
                continue    # beside it: its own folder
            if name in PKCS11_CALLS and room not in PKCS11_CALLERS:
                problems.append('%s: #include "%s": only the devices room calls a PKCS#11 '
                                'module' % (rel, name))
                continue
            if name in private:
                owner = private[name]
                if owner != room:
                    problems.append('%s: #include "%s": private to %s' % (rel, name, owner))
                continue
            if name in public:
                owner = public[name]
                if room is not None and owner != room and owner not in below[room]:
                    problems.append('%s: #include "%s": %s may not use %s (it sees %s)' %
                                    (rel, name, room, owner,
                                     ', '.join(below[room]) or 'no other room'))
                continue
            if name in glue_headers and room is not None:
                problems.append('%s: #include "%s": the glue\'s own header' % (rel, name))
            # else: a library's (proto/, pkcs11/, common/) or config.h

    print('1..1')
    if problems:
        print('not ok 1 - every #include follows the plan of rooms')
        for p in problems:
            print('#   ' + p)
        return 1
    print('ok 1 - every #include follows the plan of rooms (%d files)' % len(sources))
    return 0


if __name__ == '__main__':
    sys.exit(main())
