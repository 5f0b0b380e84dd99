#!/usr/bin/env python3
"""Several varlink calls on one connection, back to back: each is sent as
soon as the one before it is answered, so "at once" means at once however
slow the machine (a new process per call could take longer than a PIN's
delay to start).

usage: calls.py SOCKET [--wait] METHOD PARAMS [METHOD PARAMS ...]
Prints {"pid": N} (this process, which khoad sees as the caller), then each
reply as one JSON line as call.py prints it. With --wait, the first call is
made again every 20 ms while khoad answers io.khoa.TryLater (its PIN's
delay has not run out), and only its last answer is printed: a wait for
what khoad says, not for a while. Exits 2 if khoad closes the connection,
or after 60 s of TryLater.
"""
import json
import os
import socket
import sys
import time

args = sys.argv[1:]
wait = '--wait' in args
if wait:
    args.remove('--wait')
sock_path, pairs = args[0], args[1:]

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(60)
s.connect(sock_path)
buf = b''


def call(method, params):
    global buf
    s.sendall(json.dumps({'method': method, 'parameters': params}).encode() + b'\0')
    while b'\0' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit(2)
        buf += chunk
    raw, buf = buf.split(b'\0', 1)
    reply = json.loads(raw)
    if 'error' in reply:
        return {'error': reply['error'], 'parameters': reply.get('parameters', {})}
    return reply.get('parameters', {})


print(json.dumps({'pid': os.getpid()}), flush=True)
deadline = time.monotonic() + 60
for i in range(0, len(pairs), 2):
    method, params = pairs[i], json.loads(pairs[i + 1])
    reply = call(method, params)
    while wait and i == 0 and reply.get('error') == 'io.khoa.TryLater':
        if time.monotonic() > deadline:
            sys.exit(2)
        time.sleep(0.02)
        reply = call(method, params)
    print(json.dumps(reply, ensure_ascii=False), flush=True)
