#!/usr/bin/env python3
"""A minimal varlink caller for the tests, like systemd's varlinkctl.

usage: call.py SOCKET METHOD [JSON-PARAMETERS] [--more N | --until TYPE [--nth K]]
Prints the reply (or each of N streamed replies, or the streamed events up
to and with the K-th (first) of type TYPE) as one JSON line: the parameters, or
{"error": NAME, "parameters": {...}} for an error; exits 1 on an error
reply.
"""
import json
import socket
import sys

args = sys.argv[1:]
more = None
until = None
nth = 1
if '--nth' in args:
    i = args.index('--nth')
    nth = int(args[i + 1])
    del args[i:i + 2]
if '--until' in args:
    i = args.index('--until')
    until = args[i + 1]
    more = 1 << 30
    del args[i:i + 2]
if '--more' in args:
    i = args.index('--more')
    more = int(args[i + 1])
    del args[i:i + 2]
sock_path, method = args[0], args[1]
params = json.loads(args[2]) if len(args) > 2 else {}

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(60)
s.connect(sock_path)
msg = {'method': method, 'parameters': params}
if more is not None:
    msg['more'] = True
s.sendall(json.dumps(msg).encode() + b'\0')

buf = b''
count = 0
status = 0
while more is None or count < more:
    while b'\0' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit(2)
        buf += chunk
    raw, buf = buf.split(b'\0', 1)
    reply = json.loads(raw)
    count += 1
    if 'error' in reply:
        print(json.dumps({'error': reply['error'], 'parameters': reply.get('parameters', {})},
                         ensure_ascii=False), flush=True)
        status = 1
        break
    print(json.dumps(reply.get('parameters', {}), ensure_ascii=False), flush=True)
    if until is not None and reply.get('parameters', {}).get('event', {}).get('type') == until:
        nth -= 1
        if nth == 0:
            break
    if more is None or not reply.get('continues'):
        break
sys.exit(status)
