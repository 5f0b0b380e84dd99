#!/usr/bin/env python3
"""Many clients at once, as a hostile local user would make them (issue 15).

  crowd.py hold SOCK N      N connections, each asking Ping: prints
                            "accepted=A refused=R" (refused: answered
                            TooManyClients), then holds the accepted ones
                            until stdin closes
  crowd.py flood SOCK N     N connections, each sending Tokens.List calls and
                            reading none of the replies until khoad stops
                            taking them: prints "stuck=S" (S of them still
                            connected), holds until stdin closes
  crowd.py partial SOCK N   N connections, each sending 1 MiB less 64 bytes
                            of a message that never ends: prints
                            "accepted=A", holds until stdin closes
  crowd.py idle SOCK        one connection asking nothing: prints "closed"
                            when khoad closes it
  crowd.py calls SOCK N     N Tokens.List calls, one connection each: prints
                            "answered=A median_ms=M max_ms=X"
"""
import json
import resource
import select
import socket
import sys
import time

SOCK = sys.argv[2]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def msg(method, params=None):
    m = {'method': method}
    if params is not None:
        m['parameters'] = params
    return json.dumps(m).encode() + b'\0'


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(120)
    s.connect(SOCK)
    return s


def read_one(s):
    buf = b''
    while b'\0' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return json.loads(buf.split(b'\0', 1)[0])


def hold_until_stdin_closes(conns):
    print('holding', flush=True)
    sys.stdin.read()
    for s in conns:
        s.close()


def hold(n):
    raise_nofile()
    kept, refused = [], 0
    for _ in range(n):
        s = connect()
        # A refused client is told so at once and closed: the call may
        # then meet a closed socket, the refusal still to be read.
        try:
            s.sendall(msg('io.khoa.Ping'))
        except OSError:
            pass
        try:
            r = read_one(s)
        except OSError:
            r = None
        if r is None or r.get('error') == 'io.khoa.TooManyClients':
            refused += 1
            s.close()
        else:
            kept.append(s)
    print('accepted=%d refused=%d' % (len(kept), refused), flush=True)
    hold_until_stdin_closes(kept)


def flood(n):
    raise_nofile()
    conns = [connect() for _ in range(n)]
    call = msg('io.khoa.Tokens.List') * 64
    for s in conns:
        s.setblocking(False)
    # Each sends until its socket takes no more for a second: its buffers
    # full both ways, khoad no longer reading it.
    pending, dropped = list(conns), 0
    while pending:
        _, writable, _ = select.select([], pending, [], 1.0)
        if not writable:
            break
        for s in writable:
            try:
                s.send(call)
            except BlockingIOError:
                pass
            except OSError:     # dropped by khoad
                pending.remove(s)
                dropped += 1
    print('stuck=%d' % (len(conns) - dropped), flush=True)
    hold_until_stdin_closes(conns)


def partial(n):
    raise_nofile()
    body = b'{"method":"io.khoa.Ping","parameters":{"x":"' + b'a' * (1048576 - 64 - 44)
    kept = []
    for _ in range(n):
        s = connect()
        try:
            s.sendall(body)
            kept.append(s)
        except OSError:
            s.close()
    # A refused connection was told so and closed: its first bytes read.
    accepted = 0
    for s in kept:
        s.setblocking(False)
        try:
            s.recv(65536)       # an answer (TooManyClients), or the end
        except BlockingIOError:
            accepted += 1       # nothing: still waiting for the rest
        except OSError:
            pass
    print('accepted=%d' % accepted, flush=True)
    hold_until_stdin_closes(kept)


def idle():
    s = connect()
    s.settimeout(None)
    while s.recv(65536):
        pass
    print('closed', flush=True)


def calls(n):
    times, answered = [], 0
    for _ in range(n):
        t = time.monotonic()
        s = connect()
        s.sendall(msg('io.khoa.Tokens.List'))
        r = read_one(s)
        s.close()
        times.append((time.monotonic() - t) * 1000)
        answered += r is not None and 'error' not in r
    times.sort()
    print('answered=%d median_ms=%.1f max_ms=%.1f' % (answered, times[len(times) // 2],
                                                     times[-1]), flush=True)


if __name__ == '__main__':
    what = sys.argv[1]
    if what in ('hold', 'flood', 'partial', 'calls'):
        globals()[what](int(sys.argv[3]))
    elif what == 'idle':
        idle()
    else:
        sys.exit(__doc__)
