#!/usr/bin/env python3
"""Raw varlink clients against a running khoad, well- and ill-behaved.

usage: wire.py SOCKET IDL_DIR
Prints one line per check, "ok - what" or "not ok - what", for protocol.sh.
"""
import json
import os
import socket
import sys

SOCK, IDL_DIR = sys.argv[1], sys.argv[2]
LIMIT = 1024 * 1024
failed = False


def check(what, cond, detail=''):
    global failed
    print(('ok - ' if cond else 'not ok - ') + what)
    if not cond:
        failed = True
        if detail:
            print('#   ' + str(detail)[:300])


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(SOCK)
    return s


def msg(method, params=None, **flags):
    m = {'method': method}
    if params is not None:
        m['parameters'] = params
    m.update(flags)
    return json.dumps(m).encode() + b'\0'


class Reader:
    def __init__(self, s):
        self.s, self.buf = s, b''

    def next(self):
        """The next message, or None at EOF."""
        while b'\0' not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        raw, self.buf = self.buf.split(b'\0', 1)
        return json.loads(raw)


def call(method, params=None):
    s = connect()
    s.sendall(msg(method, params))
    r = Reader(s).next()
    s.close()
    return r


def still_serving(what):
    r = call('io.khoa.Ping')
    check(what, r is not None and 'version' in r.get('parameters', {}), r)


# The service describes itself.
r = call('org.varlink.service.GetInfo')
p = r['parameters']
check('GetInfo names vendor and product', (p['vendor'], p['product']) == ('khoa', 'khoad'), p)
check('GetInfo lists the interfaces',
      {'io.khoa', 'io.khoa.Tokens', 'io.khoa.Certificates', 'io.khoa.Daemon',
       'org.varlink.service'} <= set(p['interfaces']), p)
for iface in p['interfaces']:
    with open(os.path.join(IDL_DIR, iface + '.varlink'), encoding='utf-8') as f:
        text = f.read()
    r = call('org.varlink.service.GetInterfaceDescription', {'interface': iface})
    check('description of %s is its interface file' % iface,
          r.get('parameters', {}).get('description') == text)
r = call('org.varlink.service.GetInterfaceDescription', {'interface': 'io.khoa.Nope'})
check('description of an unknown interface: InterfaceNotFound',
      r.get('error') == 'org.varlink.service.InterfaceNotFound' and
      r['parameters']['interface'] == 'io.khoa.Nope', r)

# Standard errors.
r = call('io.khoa.Tokens.Nope')
check('unknown method: MethodNotFound naming it',
      r.get('error') == 'org.varlink.service.MethodNotFound' and
      r['parameters']['method'] == 'io.khoa.Tokens.Nope', r)
r = call('io.khoa.Tokens.Get', {'serial': 5})
check('wrong parameter type: InvalidParameter naming it',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'serial', r)
r = call('io.khoa.Tokens.Get', {})
check('missing parameter: InvalidParameter naming it',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'serial', r)
# A string is what was sent or refused, never cut short or changed: a NUL
# inside ("\u0000") would end it as a C string, and json-c turns a lone
# surrogate into U+FFFD (issue 15). At any depth.
for what, value in (('a NUL', 'abc\u0000zzz'), ('a lone high surrogate', 'ab\ud800c'),
                    ('a lone low surrogate', '\udc00'),
                    ('a high surrogate before no low one', '\ud800\u0041')):
    r = call('io.khoa.Tokens.Get', {'serial': value})
    check('%s in a string: InvalidParameter naming it' % what,
          r.get('error') == 'org.varlink.service.InvalidParameter' and
          r['parameters']['parameter'] == 'serial', r)
r = call('io.khoa.Handovers.New', {'giver': {'person_id': 1}, 'receiver': {'person_id': 2},
                                   'reason': 'x', 'serials': ['ok', 'a\u0000b']})
check('a NUL in an array element: InvalidParameter naming the array',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'serials', r)
r = call('io.khoa.Tokens.Get', {'serial': 'x\U0001F600'})
check('a surrogate pair is a character: taken',
      r.get('error') == 'io.khoa.NoSuchToken' and r['parameters']['serial'] == 'x\U0001F600', r)
r = call('io.khoa.Tokens.Get', {'serial': '\\ud800'})
check('a backslash before "ud800" is no escape: taken as sent',
      r.get('error') == 'io.khoa.NoSuchToken' and r['parameters']['serial'] == '\\ud800', r)
r = call('io.khoa.Expiry.Expiring', {'days': -9223372036854775808})
check('the integer kept for "not given" is refused from the wire',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'days', r)
r = call('io.khoa.Expiry.Expiring', {'days': 9223372036854775808})
check('an integer above the largest is refused, not taken as the largest',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'days', r)
r = call('io.khoa.Ping\u0000x')
check('a method name with a NUL inside is no method: InvalidMessage',
      r.get('error') == 'io.khoa.InvalidMessage', r)
r = call('io.khoa.Expiry.Expiring', {'days': -92233720368547758080})
check('as is an integer below it',
      r.get('error') == 'org.varlink.service.InvalidParameter' and
      r['parameters']['parameter'] == 'days', r)
r = call('io.khoa.Tokens.Get', {'serial': 'nope'})
check('unknown token: io.khoa.NoSuchToken with serial and message',
      r.get('error') == 'io.khoa.NoSuchToken' and r['parameters']['serial'] == 'nope' and
      r['parameters']['message'], r)

# Framing: several calls in one write, answered in order.
s = connect()
s.sendall(msg('io.khoa.Tokens.List') + msg('io.khoa.Ping') + msg('io.khoa.Daemon.Status'))
rd = Reader(s)
a, b, c = rd.next(), rd.next(), rd.next()
check('merged calls answered in order',
      'tokens' in a['parameters'] and 'version' in b['parameters'] and
      'modules' in c['parameters'], (a, b, c))
s.close()

# Framing: one call a byte at a time.
s = connect()
for byte in msg('io.khoa.Ping'):
    s.send(bytes([byte]))
r = Reader(s).next()
check('a call sent byte by byte is answered', r and 'version' in r['parameters'], r)
s.close()

# A deferred call (rescan) keeps later calls behind it.
s = connect()
s.sendall(msg('io.khoa.Tokens.Rescan') + msg('io.khoa.Ping'))
rd = Reader(s)
a, b = rd.next(), rd.next()
check('replies keep call order behind a rescan',
      'tokens' in a['parameters'] and 'version' in b['parameters'], (a, b))
s.close()

# oneway gets no reply; more on a plain method gets one final reply.
s = connect()
s.sendall(msg('io.khoa.Ping', oneway=True) + msg('io.khoa.Daemon.Status'))
r = Reader(s).next()
check('oneway call: no reply', 'modules' in r['parameters'], r)
s.close()
s = connect()
s.sendall(msg('io.khoa.Tokens.List', more=True))
r = Reader(s).next()
check('more on a single-reply method: one reply, not continued',
      'tokens' in r['parameters'] and not r.get('continues'), r)
s.close()

# Misbehaving clients are dropped; a well-behaved one beside them is served.
bystander = connect()
for what, data, error in [
        ('not JSON', b'hello\0', 'io.khoa.InvalidMessage'),
        ('JSON but not an object', b'[1,2]\0', 'io.khoa.InvalidMessage'),
        ('an object without method', b'{"foo":1}\0', 'io.khoa.InvalidMessage'),
        ('invalid UTF-8', b'{"method":"io.khoa.Ping","x":"\xff"}\0', 'io.khoa.InvalidMessage'),
        ('an empty message', b'\0', 'io.khoa.InvalidMessage')]:
    s = connect()
    s.sendall(data)
    rd = Reader(s)
    r = rd.next()
    check('%s: %s' % (what, error), r is not None and r.get('error') == error, r)
    check('%s: then dropped' % what, rd.next() is None)
    s.close()

s = connect()
try:
    s.sendall(b'{"method":"io.khoa.Ping","parameters":{"x":"' + b'a' * (LIMIT + 10))
except (BrokenPipeError, ConnectionResetError):
    pass
rd = Reader(s)
r = rd.next()
check('oversized message: MessageTooLarge with the limit',
      r is not None and r.get('error') == 'io.khoa.MessageTooLarge' and
      r['parameters']['limit'] == LIMIT, r)
check('oversized message: then dropped', rd.next() is None)
s.close()

s = connect()
s.sendall(b'{"method":"io.khoa.Tokens.Li')
s.close()
still_serving('a client that hangs up mid-message harms nobody')

# A client that sends calls and never reads its replies: khoad stops
# reading it once 64 KiB of replies wait, and drops it when none has been
# read for the idle timeout (protocol.sh: 3 s). Meanwhile the bystander
# asks and is answered, each time the reader is stuck.
bystander.sendall(msg('io.khoa.Ping'))
Reader(bystander).next()
s = connect()
s.setblocking(False)
sent = 0
dropped = False
served = 0
batch = msg('io.khoa.Tokens.List') * 200
for _ in range(10000):
    try:
        sent += s.send(batch)
    except BlockingIOError:
        # The daemon stopped reading us: our replies are piling up. Check
        # whether it hung up on us, without reading replies.
        import select
        select.select([], [s], [], 0.05)
        bystander.sendall(msg('io.khoa.Ping'))
        r = Reader(bystander).next()
        served += r is not None and 'version' in r.get('parameters', {})
    except (BrokenPipeError, ConnectionResetError):
        dropped = True
        break
check('a client that never reads is dropped', dropped, 'sent %d bytes' % sent)
check('the well-behaved client was served while it was stuck', served > 0, served)
s.close()

bystander.sendall(msg('io.khoa.Tokens.List'))
r = Reader(bystander).next()
check('the well-behaved client was served throughout', r and 'tokens' in r['parameters'], r)
bystander.close()

# Many clients at once get the same answer.
clients = [connect() for _ in range(50)]
for c in clients:
    c.sendall(msg('io.khoa.Tokens.List'))
answers = [Reader(c).next() for c in clients]
check('50 clients at once get the same tokens',
      all(a == answers[0] for a in answers) and 'tokens' in answers[0]['parameters'])
for c in clients:
    c.close()

sys.exit(1 if failed else 0)
