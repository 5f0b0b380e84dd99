#!/usr/bin/env python3
"""Every error khoa can print, said in Vietnamese (issue 17).

usage: speaks.py KHOA SOURCE_ROOT WORKDIR

A stand-in for khoad on a Unix socket answers every call with the error of
the case at hand; the real khoa, under LANGUAGE=vi, says it. The cases are
every error of proto/io.khoa.varlink and org.varlink.service with each
variant khoa words differently, and every reason of proto/reasons.c (as
InvalidField, RuleViolation and PinInvalid) with arguments of their kinds.
A line fails when it holds an ASCII word that is neither Vietnamese nor on
the allow-list (commands, codes, units). Prints "ok - …" / "not ok - …".
"""
import json
import os
import re
import socket
import subprocess
import sys
import threading

KHOA, ROOT, WORK = sys.argv[1:4]
SOCK = os.path.join(WORK, 'speaks.sock')
SERIAL = '0011223344556677'

# Vietnamese syllables written without diacritics, and what is not a word
# of any language: commands and their options, ids of rules and laws,
# abbreviations, formats, units.
ALLOWED = set('''
    ai anh ba ban bao fax bang cho chi chia con da danh do dung gia gian giao ghi
    hai hay khi kho khong lai lien loai mang minh nam nay nao nhan nhau nhu quan
    quy ra sai sau sinh tai tam tay tham thao thay theo thi thu tin toi tra
    trang trong tu va vai vao vien vi xem xin
    khoa khoad journalctl watch pin-request show handover new seal in org
    request revoke supersedes status token tray
    PIN SO CMND CCCD UTF ASCII UTC YYYY MM DD HH SS dd mm yyyy TT BQP TTTT
    Unix ID byte YYYY-MM-DD YYYY-MM-DDTHH UTF-8 TT-BQP tt08-effective
'''.split())


def fields():
    """Every field khoad's handlers name in an InvalidField, and the forms'."""
    found = {'id_number', 'birth_date', 'email', 'phone', 'tax_code', 'name', 'full_name',
             'position', 'address', 'giver', 'receiver', 'representative',
             'documents_signed_org', 'documents_signed_person', 'documents_sent'}
    api = os.path.join(ROOT, 'daemon', 'api')
    for f in os.listdir(api):
        if f.endswith('.c'):
            text = open(os.path.join(api, f), encoding='utf-8').read()
            found |= set(re.findall(r'(?:invalid_fieldv?|field_fail)\(c, (?:r, )?"([a-z_]+)"', text))
            found |= set(re.findall(r'\{ "([a-z_]+)", CHECK_', text))
    return sorted(found)


def reasons():
    """(code, kinds of its arguments) of every reason, from the table."""
    text = open(os.path.join(ROOT, 'proto', 'reasons.c'), encoding='utf-8').read()
    return re.findall(r'\[KR_\w+\] = \{ "([a-z0-9-]+)", "([a-z]*)"', text)


SAMPLE = {'n': '3', 'd': '2026-12-05', 's': 'C815DDFA4B90A435', 'q': '0123',
          'c': 'expired', 'l': 'rename,split,title-change'}


def cases():
    e = []
    add = lambda name, **p: e.append((name, dict(p, message='English, never shown')))
    add('io.khoa.NoSuchToken', serial=SERIAL)
    add('io.khoa.UnknownToken', serial=SERIAL)
    for role in ['clerk', 'technician', 'admin', 'holder', 'custodian']:
        add('io.khoa.PermissionDenied', role=role)
        add('io.khoa.PermissionDenied', role=role, scope='Sở Tài chính')
    add('io.khoa.PermissionDenied', role='clerk', reason='registry')
    add('io.khoa.PermissionDenied', role='clerk', reason='four-eyes')
    add('io.khoa.Timeout', seconds=30)
    add('io.khoa.MessageTooLarge', limit=1048576)
    add('io.khoa.InvalidMessage')
    add('io.khoa.TooManyClients', limit=128)
    add('io.khoa.NoSuchOrganization', id=4)
    add('io.khoa.NoSuchPerson', id=4)
    add('io.khoa.AlreadyRegistered', serial=SERIAL)
    add('io.khoa.NotRegistered', serial=SERIAL)
    add('io.khoa.NoMismatch', serial=SERIAL)
    add('io.khoa.TooSlow', limit=65536)
    add('io.khoa.TryLater', serial=SERIAL, seconds=1)
    add('io.khoa.TryLater', serial=SERIAL, seconds=8)
    for pin in ['user', 'so']:
        for final, locked in [(False, False), (True, False), (False, True)]:
            add('io.khoa.PinIncorrect', serial=SERIAL, pin=pin, final_try=final, locked=locked)
    add('io.khoa.PinLocked', serial=SERIAL)
    add('io.khoa.FinalTry', serial=SERIAL)
    add('io.khoa.TokenBusy', serial=SERIAL)
    add('io.khoa.NoSuchRequest', id=7)
    add('io.khoa.BadTransition', id=7, state='filed', action='forward')
    add('io.khoa.NoSuchHandover', id=7)
    add('io.khoa.NoSuchChange', id=7)
    add('io.khoa.Finalized', id=7)
    for state in ['lost', 'damaged', 'returned', 'retired', 'found']:
        for action in ['handover', 'seal', 'pin', 'incident']:
            add('io.khoa.TokenState', serial=SERIAL, state=state, since='2026-12-01', action=action)
    add('io.khoa.TokenState', serial=SERIAL, state='lost', action='pin')
    add('io.khoa.SealOut', serial=SERIAL)
    add('io.khoa.SealIn', serial=SERIAL)
    add('io.khoa.AlreadyFiled', year=2026, filed_at='2026-11-20T08:00:00Z')
    for record, field in [('pin_request', 'serial'), ('request', 'certificate_serial'),
                          ('request', 'person_id'), ('organization', 'tax_code'),
                          ('organization', 'name')]:
        add('io.khoa.Duplicate', record=record, id=3, field=field, since='2026-12-01T08:00:00Z')
    add('io.khoa.Internal')
    add('io.khoa.RegistryUnavailable')
    add('io.khoa.RegistryUnavailable', unknown=True)
    add('io.khoa.RegistryBusy')
    for reason in ['disk-full', 'read-only', 'low-space']:
        add('io.khoa.RegistryReadOnly', reason=reason)
    add('org.varlink.service.MethodNotFound', method='io.khoa.Tokens.Get')
    add('org.varlink.service.InterfaceNotFound', interface='io.khoa.Tokens')
    add('org.varlink.service.MethodNotImplemented', method='io.khoa.Tokens.Get')
    add('org.varlink.service.InvalidParameter', parameter='serial')
    add('org.varlink.service.ExpectedMore')
    add('org.varlink.service.PermissionDenied')
    add('io.khoa.SomethingNewer')
    for field in fields():
        add('io.khoa.InvalidField', field=field, rule='required')
    for code, kinds in reasons():
        args = [SAMPLE[k] for k in kinds]
        add('io.khoa.InvalidField', field='name', rule=code, args=args)
        add('io.khoa.RuleViolation', rule='R-RENEW-60D', fact=code, args=args)
        add('io.khoa.PinInvalid', serial=SERIAL, rule=code)
    return e


current = {}


def serve(listener):
    while True:
        conn, _ = listener.accept()
        with conn:
            data = b''
            while not data.endswith(b'\0'):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            name, params = current['case']
            conn.sendall(json.dumps({'error': name, 'parameters': params}).encode() + b'\0')


def words_not_vietnamese(text):
    # serials and ids, the sample arguments, what khoa's own commands say
    text = re.sub(r'\b[0-9A-Fa-f]{8,}\b', ' ', text)
    text = re.sub(r'khoa [a-z-]+( [a-z-]+)?|journalctl -u', ' ', text)
    text = re.sub(r'--[a-z-]+', ' ', text)
    bad = []
    for w in re.findall(r"[A-Za-zÀ-ỹĐđ][A-Za-zÀ-ỹĐđ0-9'._-]*", text):
        w = w.strip("'._-")
        if not w or not w.isascii() or w in ALLOWED or w.lower() in ALLOWED:
            continue
        if re.fullmatch(r'R-[A-Z0-9-]+|[A-Z]{1,3}|io\.khoa\..*|org\.varlink\..*', w):
            continue	# a rule's id, an abbreviation, an interface
        bad.append(w)
    return bad


def main():
    if os.path.exists(SOCK):
        os.unlink(SOCK)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(SOCK)
    listener.listen(8)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    env = dict(os.environ, LANGUAGE='vi', LANG='C.UTF-8')
    env.pop('LC_ALL', None)
    failed = 0
    shown = 0
    # every error of the interfaces has its case
    declared = set()
    for idl, prefix in [('io.khoa.varlink', 'io.khoa.'),
                        ('org.varlink.service.varlink', 'org.varlink.service.')]:
        text = open(os.path.join(ROOT, 'proto', idl), encoding='utf-8').read()
        declared |= {prefix + e for e in re.findall(r'^error (\w+)', text, re.M)}
    missing = declared - {name for name, _ in cases()}
    print(('ok - ' if not missing else 'not ok - ') + 'every error of the interfaces is tried' +
          (': missing ' + ' '.join(sorted(missing)) if missing else ''))
    for name, params in cases():
        current['case'] = (name, params)
        r = subprocess.run([KHOA, '--socket', SOCK, 'token', SERIAL], env=env,
                           capture_output=True, text=True, timeout=30)
        said = r.stderr.strip()
        label = '%s %s' % (name, json.dumps({k: v for k, v in params.items() if k != 'message'},
                                            ensure_ascii=False))
        bad = words_not_vietnamese(said)
        if r.returncode == 0 or not said or 'English, never shown' in said or bad:
            failed += 1
            print('not ok - %s' % label)
            print('#   said: %s' % said.replace('\n', ' / '))
            if bad:
                print('#   English: %s' % ' '.join(sorted(set(bad))))
        else:
            shown += 1
            print('ok - %s' % label)
    print(('ok - ' if not failed else 'not ok - ') +
          '%d errors said in Vietnamese, %d not' % (shown, failed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
