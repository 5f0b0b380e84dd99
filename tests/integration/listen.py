#!/usr/bin/env python3
"""Listens on a Unix datagram socket as systemd does for a service: its
NOTIFY_SOCKET (sd_notify: "KEY=VALUE" lines) or the journal's native socket
(sd_journal_send: "KEY=VALUE" lines, or "KEY\\n" + 64-bit length + value for
a value with a newline). Prints each datagram as one JSON line,
{"t": monotonic seconds, "fields": {KEY: VALUE}}, until killed.

usage: listen.py SOCKET-PATH
"""
import json
import os
import socket
import struct
import sys
import time


def fields_of(data):
    out = {}
    i = 0
    while i < len(data):
        nl = data.find(b'\n', i)
        if nl < 0:
            nl = len(data)
        line = data[i:nl]
        if b'=' in line:
            k, v = line.split(b'=', 1)
            out[k.decode()] = v.decode('utf-8', 'replace')
            i = nl + 1
        else:  # binary-safe: KEY \n le64 length, value, \n
            (n,) = struct.unpack('<Q', data[nl + 1:nl + 9])
            out[line.decode()] = data[nl + 9:nl + 9 + n].decode('utf-8', 'replace')
            i = nl + 9 + n + 1
    return out


def main():
    path = sys.argv[1]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o777)
    print(json.dumps({'t': time.monotonic(), 'fields': {'LISTENING': '1'}}), flush=True)
    while True:
        data = s.recv(1 << 20)
        print(json.dumps({'t': time.monotonic(), 'fields': fields_of(data)},
                         ensure_ascii=False), flush=True)


if __name__ == '__main__':
    main()
