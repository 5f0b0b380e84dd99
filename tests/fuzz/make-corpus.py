#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (docs/fuzzing.md).

usage: make-corpus.py [DIR]   (default: corpus/ beside this script)

The seeds are the calls of tests/integration (wire.py, the *.sh), replies
and errors of the interface files (proto/), the misbehaving clients of
wire.py, and the valid and invalid fields of tests/unit/test-validate.c.
Each file is named after its content's digest, as libFuzzer names the
inputs it adds; run this again after changing the lists, and commit what
it writes. A seed the targets' invariants refuse is a bug of the seed or
of khoa: meson test --suite fuzz replays them all.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')


def msg(obj):
    """One wire message: JSON, then NUL (the interface's own encoding)."""
    if isinstance(obj, bytes):
        return obj + b'\0'
    return json.dumps(obj, ensure_ascii=False, separators=(',', ':')).encode() + b'\0'


def call(method, params=None, **flags):
    m = {'method': method}
    if params is not None:
        m['parameters'] = params
    m.update(flags)
    return msg(m)


# Calls as the integration tests send them (ids and serials made up).
CALLS = [
    call('io.khoa.Ping'),
    call('org.varlink.service.GetInfo'),
    call('org.varlink.service.GetInterfaceDescription', {'interface': 'io.khoa.Tokens'}),
    call('io.khoa.Tokens.List'),
    call('io.khoa.Tokens.List', more=True),
    call('io.khoa.Ping', oneway=True),
    call('io.khoa.Tokens.Rescan'),
    call('io.khoa.Daemon.Status'),
    call('io.khoa.Tokens.Get', {'serial': 'A1B2C3D4E5F60718'}),
    call('io.khoa.Tokens.Get', {'serial': 5}),
    call('io.khoa.Tokens.Get', {}),
    call('io.khoa.Tokens.Nope'),
    call('io.khoa.Tokens.Register', {'serial': 'A1B2C3D4E5F60718', 'person_id': 3}),
    call('io.khoa.Tokens.Register', {'serial': '0A1B2C3D', 'organization_id': 1}),
    call('io.khoa.Tokens.History', {'serial': 'A1B2C3D4E5F60718'}),
    call('io.khoa.Pin.Change', {'serial': 'A1B2C3D4E5F60718', 'old_pin': '0000',
                                'new_pin': '5678', 'final_try': True}),
    call('io.khoa.Pin.Status', {'serial': 'A1B2C3D4E5F60718'}),
    call('io.khoa.PinRequests.New', {'serial': 'A1B2C3D4E5F60718', 'reason': 'Quên mật khẩu',
                                     'fields': {'id_number': '034186000999', 'sex': 'Nữ'}}),
    call('io.khoa.Organizations.Create', {'name': 'Văn phòng UBND tỉnh Thái Bình'}),
    call('io.khoa.Organizations.Create', {'name': 'Sở Tài chính', 'tax_code': '0100109106-001'}),
    call('io.khoa.People.Create', {'full_name': 'Nguyễn Thị Hường', 'id_number': '034186000999',
                                   'birth_date': '1986-05-04', 'organization_id': 1,
                                   'position': 'Văn thư', 'email': 'huong@thaibinh.gov.vn',
                                   'phone': '+84 912 345 678'}),
    call('io.khoa.People.Update', {'id': 3, 'logins': ['lp', 'news'], 'clerk': True}),
    call('io.khoa.People.List', {'organization_id': 1}),
    call('io.khoa.Requests.New', {'kind': 'new', 'person_id': 3, 'requested_years': 5}),
    call('io.khoa.Requests.New', {'kind': 'revoke', 'organization_id': 1,
                                  'serial': '0A1B2C3D', 'reason': 'compromised'}),
    call('io.khoa.Requests.Count', {'year': 2026, 'kind': 'new'}),
    call('io.khoa.Requests.Confirm', {'id': 7, 'note': 'đã xác minh'}),
    call('io.khoa.Handovers.New', {'giver': {'person_id': 2},
                                   'receiver': {'organization_id': 1,
                                                'representative': 'Nguyễn Thị Hường'},
                                   'reason': 'revocation-return', 'serials': ['A1B2C3D4']}),
    call('io.khoa.Handovers.AddRow', {'id': 1, 'serial': 'A1B2C3D4', 'reason': 'x'}),
    call('io.khoa.Custody.SealOut', {'serial': '0A1B2C3D', 'person_id': 2,
                                     'purpose': 'ký công văn'}),
    call('io.khoa.Events.Watch', {'since': 0}, more=True),
    call('io.khoa.Events.Watch', {'since': 12, 'serial': 'A1B2C3D4'}, more=True),
    call('io.khoa.Expiry.Expiring', {'days': 3650}),
    call('io.khoa.Expiry.Expiring', {'days': 30, 'limit': 1000, 'after': 'eyJrIjoxfQ'}),
    # what wire.py sends to be refused or taken exactly
    call('io.khoa.Tokens.Get', {'serial': 'abc\u0000zzz'}),
    b'{"method":"io.khoa.Tokens.Get","parameters":{"serial":"ab\\ud800c"}}\0',
    b'{"method":"io.khoa.Tokens.Get","parameters":{"serial":"\\udc00"}}\0',
    b'{"method":"io.khoa.Tokens.Get","parameters":{"serial":"\\ud800\\u0041"}}\0',
    b'{"method":"io.khoa.Tokens.Get","parameters":{"serial":"x\\ud83d\\ude00"}}\0',
    b'{"method":"io.khoa.Tokens.Get","parameters":{"serial":"\\\\ud800"}}\0',
    call('io.khoa.Handovers.New', {'giver': {'person_id': 1}, 'receiver': {'person_id': 2},
                                   'reason': 'x', 'serials': ['ok', 'a\u0000b']}),
    b'{"method":"io.khoa.Expiry.Expiring","parameters":{"days":-9223372036854775808}}\0',
    b'{"method":"io.khoa.Expiry.Expiring","parameters":{"days":-92233720368547758080}}\0',
    b'{"method":"io.khoa.Expiry.Expiring","parameters":{"days":9223372036854775807}}\0',
    b'{"method":"io.khoa.Ping","parameters":null,"more":null,"oneway":false}\0',
    b'{"method":"io.khoa.Ping","parameters":[]}\0',
    b'{"method":"io.khoa.Ping","more":1}\0',
    b'{"method":""}\0',
    b'{"method":7}\0',
]

# Several calls in one write, as wire.py merges them.
MERGED = [
    call('io.khoa.Tokens.List') + call('io.khoa.Ping') + call('io.khoa.Daemon.Status'),
    call('io.khoa.Tokens.Rescan') + call('io.khoa.Ping'),
    call('io.khoa.Ping', oneway=True) + call('io.khoa.Daemon.Status'),
]

# Replies and errors as khoad sends them (proto/*.varlink).
REPLIES = [
    msg({'parameters': {'version': '0.1.0'}}),
    msg({'parameters': {'vendor': 'khoa', 'product': 'khoad', 'version': '0.1.0',
                        'url': 'https://example.invalid/khoa',
                        'interfaces': ['io.khoa', 'io.khoa.Tokens', 'org.varlink.service']}}),
    msg({'parameters': {'tokens': [{
        'serial': 'A1B2C3D4E5F60718', 'label': 'Nguyen Thi Huong', 'manufacturer': 'SoftHSM',
        'model': 'SoftHSM v2', 'flags': {'initialized': True, 'login_required': True},
        'certificates': [{'serial': '5403A1F2', 'subject': 'CN=Nguyễn Thị Hường',
                          'not_before': '2024-01-01T00:00:00Z',
                          'not_after': '2029-01-01T00:00:00Z', 'key_bits': 2048,
                          'has_private_key': True}],
        'registration': {'status': 'registered', 'holder': None, 'mismatch': False}}]}}),
    msg({'parameters': {'event': {'id': 12, 'time': '2026-11-24T20:28:31Z',
                                  'type': 'token-inserted', 'token_serial': 'A1B2C3D4',
                                  'actor': {'uid': 0, 'user': 'root'}, 'details': {}}},
         'continues': True}),
    msg({'error': 'io.khoa.NoSuchToken',
         'parameters': {'serial': 'nope', 'message': 'no token nope'}}),
    msg({'error': 'org.varlink.service.InvalidParameter', 'parameters': {'parameter': 'serial'}}),
    msg({'error': 'org.varlink.service.MethodNotFound',
         'parameters': {'method': 'io.khoa.Tokens.Nope'}}),
    msg({'error': 'io.khoa.MessageTooLarge',
         'parameters': {'limit': 1048576, 'message': 'message too large'}}),
    msg({'error': 'io.khoa.PinIncorrect',
         'parameters': {'serial': 'A1B2C3D4', 'final_try': False, 'locked': False,
                        'message': 'PIN incorrect'}}),
    msg({'error': 'io.khoa.InvalidField',
         'parameters': {'field': 'id_number', 'rule': 'CCCD: 12 digits',
                        'message': 'invalid id_number'}}),
    b'{"error":null,"parameters":{}}\0',
    b'{"error":"x","continues":"yes"}\0',
    b'{"parameters":{"n":1.5e300,"m":-0.0,"k":NaN,"j":1e999}}\0',
    b'{"parameters":{"n":18446744073709551615,"m":99999999999999999999}}\0',
]

# The misbehaving clients of wire.py.
BAD = [
    b'hello\0',
    b'[1,2]\0',
    b'{"foo":1}\0',
    b'{"method":"io.khoa.Ping","x":"\xff"}\0',
    b'{"method":"io.khoa.Ping","x":"\xc0\xaf"}\0',      # overlong '/'
    b'{"method":"io.khoa.Ping","x":"\xed\xa0\x80"}\0',  # a surrogate in UTF-8
    b'\0',
    b'{"method":"io.khoa.Tokens.Li',
    b'{"method":"io.khoa.Ping"} \0',
    b'{"method":"io.khoa.Ping"}{"method":"io.khoa.Ping"}\0',
    b'{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\0',
]

# decoder: two header bytes (fuzz-decoder.c): strict 1 MiB ('A') or khoa's
# decoder (0xC1), a small limit ('!' 272 bytes, '#' 288, '\x01' 16), and
# the cut: at once (0), a byte at a time (1), random pieces (a letter).
DECODER = []
for i, m in enumerate(CALLS + MERGED + BAD):
    DECODER.append(b'A' + bytes([[0, 1, 0x41, 0x7a][i % 4]]) + m)
for i, m in enumerate(REPLIES + MERGED):
    DECODER.append(b'\xc1' + bytes([[0, 0x41, 1][i % 3]]) + m)
DECODER += [
    b'\x01A' + call('io.khoa.Ping'),                      # 16 bytes: over
    b'\x01\x01' + b'{"x":1}\0' + call('io.khoa.Ping'),    # the first fits
    b'!A' + call('io.khoa.Tokens.List') * 20,
    b'#\x07' + call('io.khoa.Ping') + b'x' * 300 + b'\0' + call('io.khoa.Ping'),
    b'\x00\x00' + b'{}\0' + b'y' * 20,                    # limit 8: a tail over
    b'A\x00' + b'{}\0' * 50,
]

# params: calls whose parameters fit the tables of fuzz-params.c, and not.
PARAMS = CALLS + [
    call('io.khoa.X', {'s': 'a', 'i': 1, 'b': True, 'o': {}, 'a': []}),
    call('io.khoa.X', {'s': None, 'i': None, 'b': None, 'o': None, 'a': None}),
    call('io.khoa.X', {'giver': {'person_id': 1, 'name': 'x', 'official': False,
                                 'extra': {'k': 'v'}, 'list': [1, 'a', None]},
                       'receiver': {'organization_id': 2}, 'reason': 'transfer',
                       'held_at': '2026-11-24T20:28Z', 'supersedes': 4}),
    call('io.khoa.X', {'year': 2026, 'kind': None, 'subject_kind': 'person'}),
    call('io.khoa.X', {'full_name': 'a', 'id_number': 'b', 'unknown': 1}),
    b'{"method":"io.khoa.X","parameters":{"o":{"deep":["\\u0000"]},"s":"a","i":1,"b":true,"a":[]}}\0',
    b'{"method":"io.khoa.X","parameters":{"year":9223372036854775808}}\0',
]

# validate: fields as people type them (tests/unit/test-validate.c); after a
# NUL, the birth date a CCCD is checked against.
VALIDATE = [
    b'Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xc6\xb0\xe1\xbb\x9dng',
    'Nguyễn  Văn\u00a0An '.encode(),
    'Nguye\u0302\u0303n'.encode(),                      # NFD, to be composed
    '\u3000Trần\u2003Thị\u3000'.encode(),
    b'a\tb', b'a\nb', 'zero\u200bwidth'.encode(), 'bidi\u202eover'.encode(), b'\xff\xfe',
    b'', b'   ', 'x'.encode() * 201, 'ề'.encode() * 200,
    b'1986-05-04', b'04/05/1986', b'4.5.1986', b'4-5-1986', b'29/02/2000', b'29/02/1900',
    b'31/04/2020', b'1899-12-31', b'2999-01-01', b'2026-11-24T20:28:31Z',
    b'2026-11-24T20:28:31.5+07:00', b'2026-11-24 20:28', b'0000-01-01T00:00+01:00',
    b'9999-12-31T23:59:60-00:30', b'2016-12-31T23:59:60Z',
    b'034186000999\x001986-05-04', b'034186000999\x0004/05/1986', b'034186000999',
    b'034 186 000 999', b'001099000001', b'123456789', b'999186000999', b'034286000999',
    b'03418600099', b'0341860009990', b'034186000999\x001987-05-04',
    b'034186000999\x0031/02/1986',
    b'huong@ThaiBinh.GOV.vn', b' a.b@c.d ', b'a..b@c.d', b'.a@c.d', b'a@c', b'a@-c.d',
    b'a@c..d', b'a b@c.d', b'@c.d', b'a@b@c.d', b'x' * 65 + b'@c.d',
    b'0912345678', b'+84 912 345 678', b'84912345678', b'+84 (0) 912 345 678',
    b'(0227) 3831 234', b'0227.3831.234', b'+85 912345678', b'+84', b'0012345678',
    b'091234567890123456', b'+8', b'++84912345678',
    b'0100109106', b'0100684378', b'0100112437', b'0101248141', b'0300588569',
    b'0100107370', b'0100100079', b'0100107518', b'0100109106-001', b'0100109106001',
    b'0100109106-000', b'0100109107', b'010010910', b'0100 109 106', b'0100109106-01',
]


def write(target, inputs):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for data in inputs:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


write('decoder', DECODER)
write('message', CALLS + MERGED + REPLIES + BAD)
write('params', PARAMS)
write('validate', VALIDATE)
