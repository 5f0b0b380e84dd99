#!/usr/bin/env python3
"""The calls bench/province.sh times, over khoad's socket (varlink: JSON
and a NUL), each from sending the call to the whole reply read, on one
connection kept open (no process start-up in the figures).

  province-calls.py time SOCKET LABEL RUNS METHOD [JSON]
      RUNS calls (after 2 untimed ones): one line LABEL, median, p95,
      min, the reply's size and how many items it lists
  province-calls.py pair SOCKET_A LABEL_A SOCKET_B LABEL_B RUNS METHOD [JSON]
      the same, to two khoad in turn (A B, B A, ...)
  province-calls.py orgs SOCKET LABEL YEAR FIRST LAST
      Reports.Annual of YEAR for every organization FIRST..LAST, once
      each: median, p95, and the time of them all
  province-calls.py settle TIMEOUT SOCKET...
      until every khoad answers Tokens.List within 0.1 s, three times in
      a row (its start-up work done): how long it took
  province-calls.py load SECONDS WRITE_SOCKET WATCH_SOCKET READ_SOCKET...
      one process per READ_SOCKET calling reads in turn (Tokens.List,
      People.Get, Organizations.Get) as fast as it is
      answered; one process adding people through WRITE_SOCKET; one
      watching WATCH_SOCKET's events: reads/s, writes/s, and the delay
      from sending each write to its event at the watcher (p50, p99).
      SOCKET:ORG: that khoad serves organization ORG (an agency's role):
      its people, its report, people added to it

Lines are tab-separated: label, then name=value fields.
"""
import json
import multiprocessing
import os
import socket
import sys
import time


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b''

    def send(self, method, params=None, more=False):
        msg = {'method': method, 'parameters': params or {}}
        if more:
            msg['more'] = True
        self.s.sendall(json.dumps(msg).encode() + b'\0')

    def read(self):
        """The next message, raw."""
        while b'\0' not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise ConnectionError('khoad closed the connection (a reply over its 16 MiB?)')
            self.buf += chunk
        msg, self.buf = self.buf.split(b'\0', 1)
        return msg

    def call(self, method, params=None):
        self.send(method, params)
        return self.read()


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def items(reply):
    """How many things the reply lists (its first array)."""
    params = reply.get('parameters', {})
    for v in params.values():
        if isinstance(v, list):
            return len(v)
    return 0


def cmd_time(path, label, runs, method, params='{}'):
    c = Conn(path)
    params = json.loads(params)
    for _ in range(2):
        c.call(method, params)
    times, raw = [], b''
    for _ in range(int(runs)):
        t = time.perf_counter()
        raw = c.call(method, params)
        times.append((time.perf_counter() - t) * 1000)
    reply = json.loads(raw)
    if 'error' in reply:
        sys.exit('%s: %s' % (method, reply))
    print('%s\tmedian=%.2f\tp95=%.2f\tmin=%.2f\tbytes=%d\titems=%d\tn=%d'
          % (label, pct(times, 50), pct(times, 95), min(times), len(raw), items(reply), len(times)))


def cmd_pair(path_a, label_a, path_b, label_b, runs, method, params='{}'):
    """The same call to two khoad, in turn (A B, then B A, ...): drift and
    background load hit both alike."""
    conns = {label_a: Conn(path_a), label_b: Conn(path_b)}
    params = json.loads(params)
    times = {label_a: [], label_b: []}
    raws = {}
    for c in conns.values():
        for _ in range(3):
            c.call(method, params)
    for i in range(int(runs)):
        for label in ((label_a, label_b) if i % 2 == 0 else (label_b, label_a)):
            t = time.perf_counter()
            raws[label] = conns[label].call(method, params)
            times[label].append((time.perf_counter() - t) * 1000)
    for label, v in times.items():
        reply = json.loads(raws[label])
        if 'error' in reply:
            sys.exit('%s: %s' % (method, reply))
        print('%s\tmedian=%.3f\tp95=%.3f\tmin=%.3f\tbytes=%d\titems=%d\tn=%d'
              % (label, pct(v, 50), pct(v, 95), min(v), len(raws[label]), items(reply), len(v)))


def cmd_orgs(path, label, year, first, last):
    c = Conn(path)
    c.call('io.khoa.Reports.Annual', {'year': int(year)})
    times = []
    t0 = time.perf_counter()
    for org in range(int(first), int(last) + 1):
        t = time.perf_counter()
        reply = json.loads(c.call('io.khoa.Reports.Annual',
                                  {'year': int(year), 'organization_id': org}))
        times.append((time.perf_counter() - t) * 1000)
        if 'error' in reply:
            sys.exit('Reports.Annual %d: %s' % (org, reply))
    total = time.perf_counter() - t0
    print('%s\tmedian=%.2f\tp95=%.2f\tmin=%.2f\ttotal_s=%.2f\tn=%d'
          % (label, pct(times, 50), pct(times, 95), min(times), total, len(times)))


# ---- load ----------------------------------------------------------------


def split(target):
    """SOCKET[:ORG]: the socket, and the organization its khoad serves."""
    path, _, org = target.partition(':')
    return path, int(org) if org else None


def reader(target, seconds, seed, out):
    path, org = split(target)
    c = Conn(path)
    people = (lambda i: org + 1000 * ((seed * 7919 + i * 104729) % 5)) if org else \
        (lambda i: (seed * 7919 + i * 104729) % 90000 + 1)
    orgs = (lambda i: org) if org else (lambda i: (seed * 131 + i) % 1000 + 1)
    calls = [('io.khoa.Tokens.List', lambda i: {}),
             ('io.khoa.People.Get', lambda i: {'id': people(i)}),
             ('io.khoa.Organizations.Get', lambda i: {'id': orgs(i)})]
    counts = [0] * len(calls)
    errors = 0
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        k = i % len(calls)
        name, params = calls[k]
        if b'"error"' in c.call(name, params(i))[:12]:
            errors += 1
        counts[k] += 1
        i += 1
    out.put(('read', path, counts, errors))


def writer(target, seconds, out):
    path, org = split(target)
    c = Conn(path)
    sent = {}
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        name = 'Tải Thử %d %d' % (os.getpid(), i)
        t = time.monotonic()
        c.send('io.khoa.People.Create', {'full_name': name, 'id_number': '%09d' % (100000000 + i),
                                         'organization_id': org or 1 + i % 1000})
        reply = c.read()
        if b'"error"' in reply[:12]:
            sys.exit('People.Create: %s' % reply[:300])
        sent[name] = (t, time.monotonic())
        i += 1
    out.put(('write', path, sent))


def watcher(path, seconds, ready, out):
    c = Conn(path)
    since = json.loads(c.call('io.khoa.Events.Last')).get('parameters', {}).get('id', 0)
    c.send('io.khoa.Events.Watch', {'since': since}, more=True)
    ready.set()
    heard = {}
    c.s.settimeout(0.2)
    end = time.monotonic() + seconds + 3
    while time.monotonic() < end:
        try:
            raw = c.read()
        except socket.timeout:
            continue
        ev = json.loads(raw).get('parameters', {}).get('event', {})
        if ev.get('type') == 'person.created':
            name = (ev.get('details') or {}).get('full_name')
            heard.setdefault(name, time.monotonic())
    out.put(('watch', path, heard))


def cmd_load(seconds, write_path, watch_path, *read_paths):
    seconds = float(seconds)
    ctx = multiprocessing.get_context('fork')
    out, ready = ctx.Queue(), ctx.Event()
    w = ctx.Process(target=watcher, args=(split(watch_path)[0], seconds, ready, out))
    w.start()
    ready.wait(10)
    procs = [ctx.Process(target=reader, args=(p, seconds, n, out)) for n, p in enumerate(read_paths)]
    procs.append(ctx.Process(target=writer, args=(write_path, seconds, out)))
    for p in procs:
        p.start()
    results = [out.get() for _ in range(len(procs) + 1)]
    for p in procs + [w]:
        p.join()
    reads = [r for r in results if r[0] == 'read']
    sent = next(r[2] for r in results if r[0] == 'write')
    heard = next(r[2] for r in results if r[0] == 'watch')
    total = sum(sum(r[2]) for r in reads)
    per = [sum(r[2]) / seconds for r in reads]
    by_method = [sum(r[2][k] for r in reads) / seconds for k in range(3)]
    delays = [(heard[n] - t[0]) * 1000 for n, t in sent.items() if n in heard]
    after_reply = [(heard[n] - t[1]) * 1000 for n, t in sent.items() if n in heard]
    print('load\treads_s=%.1f\tper_khoad_min=%.1f\tper_khoad_max=%.1f\ttokens_list_s=%.1f'
          '\tpeople_get_s=%.1f\torg_get_s=%.1f\tread_errors=%d\twrites_s=%.1f\twrites=%d'
          '\theard=%d\tdelay_p50=%.2f\tdelay_p99=%.2f\tdelay_max=%.2f\tafter_reply_p99=%.2f'
          '\tseconds=%g\treaders=%d'
          % (total / seconds, min(per), max(per), by_method[0], by_method[1], by_method[2],
             sum(r[3] for r in reads), len(sent) / seconds, len(sent), len(delays),
             pct(delays, 50) if delays else -1, pct(delays, 99) if delays else -1,
             max(delays) if delays else -1, pct(after_reply, 99) if delays else -1,
             seconds, len(reads)))


def cmd_settle(timeout, *paths):
    """Until every khoad answers Tokens.List within 0.1 s three times in a
    row (its start-up work done), at most TIMEOUT seconds: how long."""
    t0 = time.monotonic()
    conns = [Conn(p) for p in paths]
    while time.monotonic() - t0 < float(timeout):
        quick = 0
        for c in conns:
            for _ in range(3):
                t = time.monotonic()
                c.call('io.khoa.Tokens.List')
                quick += time.monotonic() - t < 0.1
        if quick == 3 * len(conns):
            break
        time.sleep(0.5)
    print('settle\tseconds=%.1f' % (time.monotonic() - t0))


def main():
    cmds = {'time': cmd_time, 'pair': cmd_pair, 'orgs': cmd_orgs, 'load': cmd_load,
            'settle': cmd_settle}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


main()
