#!/usr/bin/env python3
"""writer.py SOCKET ACKED FIRST COUNT: adds people (People.Create) on one
connection, one after the other, as fast as khoad answers, until COUNT are
added or khoad is gone; the id of each person answered is appended to the
file ACKED, a line each, as soon as its answer is read. Their ID numbers
are FIRST, FIRST + 1, ... (nine digits). For the tests that kill khoad in
the middle (registry.sh, kill.sh): what was answered must be kept."""
import json
import socket
import sys

sock, acked_path, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
acked = open(acked_path, 'a')
buf = b''
for n in range(first, first + count):
    p = {"full_name": "Cán bộ %d" % n, "id_number": "%09d" % n}
    try:
        s.sendall(json.dumps({"method": "io.khoa.People.Create", "parameters": p}).encode() + b'\0')
        while b'\0' not in buf:
            chunk = s.recv(65536)
            if not chunk:
                sys.exit(0)
            buf += chunk
    except OSError:
        sys.exit(0)
    raw, buf = buf.split(b'\0', 1)
    acked.write(str(json.loads(raw)["parameters"]["person"]["id"]) + "\n")
    acked.flush()
